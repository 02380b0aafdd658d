// The read side of Argo CD's ApplicationService: List (`?projects=`,
// `?selector=`, `?name=`, sorted by name, only apps the caller may `get`),
// Get (with `?refresh=normal|hard`, which asks the controller to refresh and
// waits for it), ResourceTree, ManagedResources (each resource's target,
// live, normalized and predicted states as JSON strings, Secrets masked as
// Argo CD's HideSecretData masks them), GetResource (one live object of the
// app's tree as `{manifest}`, a Secret's values masked) and ListResourceEvents.
import { setTimeout as sleep } from 'node:timers/promises';
import { applicationRefreshAnnotation, type Application } from '../../api/application.ts';
import type { KubeObject } from '../../api/kube-object.ts';
import type { ResourceComparison } from '../../controller/app-diff.ts';
import { maskSecretPair } from '../../diff/secret-mask.ts';
import type { ApiContext } from '../api-context.ts';
import { ApiError } from '../http/api-errors.ts';
import { parseLabelSelector } from '../http/label-selector-query.ts';
import { jsonOf, listJson, RawJson } from '../http/raw-json.ts';
import { queryList } from '../http/request-body.ts';
import { appForRequest, rbacNameOf } from './app-access.ts';
import { buildResourceTree, type ApplicationTree } from './resource-tree.ts';


/** The apps a list or watch query selects (before RBAC). */
export function appFilter(query: URLSearchParams): (app: Application) => boolean {
  const projects = new Set([...queryList(query, 'projects'), ...queryList(query, 'project')]);
  const name = query.get('name') ?? '';
  const selector = parseLabelSelector(query.get('selector'));
  return (app) => (projects.size === 0 || projects.has(app.spec.project || 'default'))
    && (name === '' || app.metadata.name === name) && selector(app.metadata.labels);
}

export function listApplications(ctx: ApiContext): unknown {
  const filter = appFilter(ctx.query);
  const items = [...ctx.deps.cache.apps.items.values()]
    .filter((a) => filter(a) && ctx.can('applications', 'get', rbacNameOf(a)))
    .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  return listJson({ resourceVersion: ctx.deps.cache.apps.resourceVersion }, items);
}

export async function getApplication(ctx: ApiContext): Promise<unknown> {
  const name = ctx.params['name']!;
  const app = appForRequest(ctx, 'get', name);
  const refresh = ctx.query.get('refresh');
  if (refresh === null || refresh === '') return new RawJson(jsonOf(app));
  if (refresh !== 'normal' && refresh !== 'hard') throw new ApiError('InvalidArgument', `refresh must be normal or hard, got "${refresh}"`);
  if (ctx.claims === undefined) throw new ApiError('Unauthenticated', 'no session information');
  await ctx.deps.client.patch({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace: ctx.deps.namespace } },
    { metadata: { annotations: { [applicationRefreshAnnotation]: refresh } } }, 'merge');
  // The controller removes the annotation when the refresh is done; the watch shows it.
  const deadline = Date.now() + (ctx.deps.refreshWaitMs ?? 60_000);
  let seenAnnotation = false;
  while (Date.now() < deadline && !ctx.signal.aborted) {
    const current = ctx.deps.cache.apps.items.get(name);
    if (current === undefined) break;
    const annotated = current.metadata.annotations?.[applicationRefreshAnnotation] !== undefined;
    if (annotated) seenAnnotation = true;
    else if (seenAnnotation) return current;
    await sleep(50);
  }
  return ctx.deps.cache.apps.items.get(name) ?? app;
}

export async function applicationResourceTree(ctx: ApiContext): Promise<ApplicationTree> {
  const app = appForRequest(ctx, 'get', ctx.params['applicationName']!);
  return buildResourceTree(app, await ctx.deps.live.viewOf(app));
}

const json = (obj: KubeObject | undefined): string => (obj === undefined ? 'null' : JSON.stringify(obj));

/** One ResourceDiff (Argo CD's shape), masked when it is a Secret. */
export function resourceDiffOf(c: ResourceComparison): Record<string, unknown> {
  const states = maskSecretPair(c.target, c.live);
  const predicted = maskSecretPair(c.predictedLive, c.normalizedLive);
  return {
    group: c.group, kind: c.kind, namespace: c.namespace, name: c.name,
    targetState: json(states.target), liveState: json(states.live),
    normalizedLiveState: json(predicted.live), predictedLiveState: json(predicted.target),
    hook: c.hook, modified: c.modified, ...(c.live?.metadata.resourceVersion ? { resourceVersion: c.live.metadata.resourceVersion } : {}),
  };
}

export async function managedResources(ctx: ApiContext): Promise<unknown> {
  const app = appForRequest(ctx, 'get', ctx.params['applicationName']!);
  if (ctx.deps.diff === undefined) throw new ApiError('Unimplemented', 'managed resources are not available from this server');
  const q = ctx.query;
  const want = (c: ResourceComparison): boolean => ['namespace', 'name', 'version', 'group', 'kind'].every((k) => {
    const v = q.get(k);
    return v === null || v === '' || (c as unknown as Record<string, string>)[k] === v;
  });
  const compared = await ctx.deps.diff.compare(app);
  return { items: compared.filter(want).map(resourceDiffOf) };
}

export async function applicationEvents(ctx: ApiContext): Promise<unknown> {
  const app = appForRequest(ctx, 'get', ctx.params['name']!);
  const resourceName = ctx.query.get('resourceName') ?? '';
  const resourceNamespace = ctx.query.get('resourceNamespace') ?? '';
  const resourceUID = ctx.query.get('resourceUID') ?? '';
  if (resourceName === '' && resourceUID === '') {
    const items = await ctx.deps.client.list('v1', 'Event', { namespace: ctx.deps.namespace,
      fieldSelector: `involvedObject.name=${app.metadata.name},involvedObject.uid=${app.metadata.uid ?? ''},involvedObject.namespace=${ctx.deps.namespace}` });
    return { metadata: {}, items };
  }
  // Only events of objects in the app's resource tree.
  const view = await ctx.deps.live.viewOf(app);
  const tree = buildResourceTree(app, view);
  const node = tree.nodes.find((n) => (resourceUID === '' || n.uid === resourceUID) && (resourceName === '' || n.name === resourceName)
    && (resourceNamespace === '' || n.namespace === resourceNamespace));
  if (node === undefined) throw new ApiError('NotFound', `resource ${resourceNamespace}/${resourceName} is not part of application ${app.metadata.name}`);
  const items = await view.client.list('v1', 'Event', { ...(node.namespace ? { namespace: node.namespace } : {}),
    fieldSelector: `involvedObject.name=${node.name},involvedObject.uid=${node.uid}${node.namespace ? `,involvedObject.namespace=${node.namespace}` : ''}` });
  return { metadata: {}, items };
}

export async function getApplicationResource(ctx: ApiContext): Promise<unknown> {
  const app = appForRequest(ctx, 'get', ctx.params['name']!);
  const q = ctx.query;
  const want = { namespace: q.get('namespace') ?? '', name: q.get('resourceName') ?? '', group: q.get('group') ?? '', kind: q.get('kind') ?? '' };
  const view = await ctx.deps.live.viewOf(app);
  const node = buildResourceTree(app, view).nodes.find((n) => n.kind === want.kind && n.group === want.group && n.name === want.name
    && n.namespace === want.namespace);
  if (node === undefined) {
    throw new ApiError('NotFound', `${want.group}/${want.kind} ${want.namespace}/${want.name} is not a resource of application ${app.metadata.name}`);
  }
  const apiVersion = node.group ? `${node.group}/${node.version}` : node.version;
  const live = await view.client.get(apiVersion, node.kind, node.namespace || undefined, node.name);
  if (live === undefined) throw new ApiError('NotFound', `${node.group}/${node.kind} ${node.namespace}/${node.name} not found`);
  const { managedFields: _m, ...metadata } = live.metadata;
  return { manifest: JSON.stringify(maskSecretPair(undefined, { ...live, metadata }).live) };
}
