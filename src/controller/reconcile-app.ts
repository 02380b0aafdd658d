// One reconcile of one Application, as ordered steps: check the spec against
// its project (InvalidSpecError), render the desired state (a failure becomes
// ComparisonError and touches nothing live), compare with the live cache,
// assess health, collect warnings (shared and orphaned resources), advance a
// requested operation or start an automated one, then write status (and
// operation) in one patch that also removes what went away. Diffs apply the
// app's and argocd-cm's ignoreDifferences, health the argocd-cm Lua scripts;
// kinds argocd-cm excludes are left out with a warning; a cluster whose
// watches fail is checked first and, if unreachable, the comparison is
// Unknown with a ComparisonError (never "all missing", never a prune).
// The project bounds it all (project-scope.ts): live objects it does not
// permit are left out, and sync windows gate automated and manual syncs.
// `client`, `live` and `differ` are the destination cluster's; the
// Application itself is written through `appClient` (the control plane), and
// `destination` is the cluster the spec names (or Argo CD's reason there is
// none: InvalidSpecError, nothing rendered against any cluster).
import type { Application } from '../api/application.ts';
import type { AppProject } from '../api/app-project.ts';
import type { Operation } from '../api/application-status.ts';
import { groupOf, resourceKey, type KubeObject } from '../api/kube-object.ts';
import { CapstanError, describeError } from '../errors.ts';
import { aggregateAppHealth } from '../health/app-health.ts';
import { assessBuiltinHealth, type HealthStatus } from '../health/builtin-health.ts';
import { UnknownKindError } from '../kube/api-error.ts';
import type { LiveCache } from '../kube/cache/live-cache.ts';
import type { KubeClient } from '../kube/kube-client.ts';
import { renderApplication, type RenderServices } from '../render/render-application.ts';
import type { ServerSideDiffer } from '../diff/server-side-diff.ts';
import { treeImages } from '../status/app-images.ts';
import { isHook } from '../sync/plan/hooks.ts';
import { hasAppOption, hasResourceOption } from '../sync/plan/sync-options.ts';
import type { AppCondition, ConditionType } from '../status/conditions.ts';
import { buildStatus } from './app-status.ts';
import { orphanedResourceWarning, sharedResourceWarnings, specErrors } from './app-conditions.ts';
import { resolveAppDestination, type DestinationResolution } from './app-destination.ts';
import { clusterReadFailure } from './desired-guards.ts';
import type { ProjectCluster } from '../project/permissions.ts';
import { permittedLive, syncWindowDecision, windowRecheckDelay, withUnpermittedUnknown } from './project-scope.ts';
import { compareAppState, type Comparison } from './compare-app-state.ts';
import { applyCrdScopes } from './crd-scopes.ts';
import { advanceOperation, automatedOperation, type ServedKinds } from './reconcile-operation.ts';
import { assertReachable, managedLive, withoutExcluded } from './desired-guards.ts';
import { resourceChecks, type CompatRuntime } from './resource-checks.ts';
import { mergePatchFor } from './status-patch.ts';
import { defaultSettings, type EngineSettings } from '../settings/argocd-cm.ts';

export interface ReconcileDeps {
  readonly client: KubeClient;
  readonly live: LiveCache;
  readonly differ: ServerSideDiffer;
  readonly render: RenderServices;
  readonly controllerNamespace: string;
  readonly waveDelayMs: number;
  readonly now: () => Date;
  /** The AppProject of that name, undefined when there is none (without this function every project permits everything). */
  readonly projectOf?: (name: string) => AppProject | undefined;
  /** argocd-cm as last parsed (Argo CD's defaults without it). */
  readonly settings?: EngineSettings;
  /** gojq and gopher-lua, once the compatibility module is loaded. */
  readonly compat?: CompatRuntime;
  readonly log?: (line: string) => void;
  /** Where Applications are read and written (default: `client`, a single-cluster engine). */
  readonly appClient?: KubeClient;
  /** The cluster the destination resolved to (default: the in-cluster destination only). */
  readonly destination?: DestinationResolution;
  /** The clusters scoped to the app's project, for permitOnlyProjectScopedClusters. */
  readonly projectClusters?: readonly ProjectCluster[];
}


export interface ReconcileResult {
  /** Reconcile again after this long (an operation in progress, a self-heal backoff). */
  readonly requeueAfterMs?: number;
  /** The Application as written. */
  readonly updated: Application;
  /** The destination did not answer (reconcile again soon, to notice it is back). */
  readonly unreachable?: boolean;
}

export function healthOf(obj: KubeObject): HealthStatus | undefined {
  return assessBuiltinHealth(obj);
}

interface WatchOutcome {
  /** apiVersion/kind the server does not serve (no CRD yet). */
  readonly unknown: string[];
  /** Other failures (the cluster, permissions). */
  readonly failed: string[];
}

async function watchDesiredKinds(live: LiveCache, desired: readonly KubeObject[]): Promise<WatchOutcome> {
  const kinds = new Map(desired.map((o) => [`${o.apiVersion}/${o.kind}`, o]));
  const out: WatchOutcome = { unknown: [], failed: [] };
  await Promise.all([...kinds.values()].map((o) => live.ensureWatching(o.apiVersion, o.kind)
    .catch((err: unknown) => {
      if (err instanceof UnknownKindError) out.unknown.push(`${o.apiVersion}/${o.kind}`);
      else out.failed.push(`watching ${o.apiVersion}/${o.kind}: ${describeError(err)}`);
    })));
  return out;
}

async function servedKinds(client: KubeClient): Promise<ServedKinds> {
  return new Map((await client.discovery.all()).map((r) => [`${r.apiVersion}/${r.kind}`, { namespaced: r.namespaced }]));
}

/** A kind not served yet is expected when its CRD comes with the app or the dry run may skip it. */
function expectedUnknown(apiVersionKind: string, desired: readonly KubeObject[], options: readonly string[]): boolean {
  const slash = apiVersionKind.lastIndexOf('/');
  const [apiVersion, kind] = [apiVersionKind.slice(0, slash), apiVersionKind.slice(slash + 1)];
  const crdInApp = desired.some((o) => {
    const spec = o['spec'] as { group?: string; names?: { kind?: string } } | undefined;
    return o.kind === 'CustomResourceDefinition' && spec?.group === groupOf(apiVersion) && spec.names?.kind === kind;
  });
  return crdInApp || hasAppOption(options, 'SkipDryRunOnMissingResource=true')
    || desired.some((o) => o.apiVersion === apiVersion && o.kind === kind && hasResourceOption(o, 'SkipDryRunOnMissingResource=true'));
}

const changedNamespaceMetadata = (app: Application): boolean => {
  const want = app.spec.syncPolicy?.managedNamespaceMetadata;
  const result = app.status?.operationState?.syncResult;
  return want !== undefined && result !== undefined && JSON.stringify(want) !== JSON.stringify(result.managedNamespaceMetadata ?? null);
};

export async function reconcileApp(app: Application, deps: ReconcileDeps): Promise<ReconcileResult> {
  const name = app.metadata.name!;
  const now = deps.now().toISOString();
  const conditions: AppCondition[] = [];
  let desired: KubeObject[] = [];
  let revisions: string[] = [];
  let sourceTypes: string[] = [];
  let comparison: Comparison | undefined;
  const settings = deps.settings ?? defaultSettings();
  const checks = resourceChecks(app, settings, deps.differ, deps.compat);
  const unserved = new Set<string>();
  const project = deps.projectOf === undefined ? permitAll(app) : deps.projectOf(app.spec.project);
  const destination = deps.destination ?? resolveAppDestination(app);
  const projectClusters = deps.projectClusters ?? [];
  const invalid = specErrors(app, project, destination, deps.controllerNamespace, projectClusters);
  // Live objects the project does not permit are not part of the app (Argo CD's IsLiveResourcePermitted).
  const permitted = permittedLive(project, destination.resolved, projectClusters);
  const control = deps.appClient ?? deps.client;
  const server = destination.resolved?.server;
  let served: ServedKinds = new Map();
  let unreachable: CapstanError | undefined;
  if (invalid.length === 0) {
    served = await servedKinds(deps.client).catch((err: unknown) => {
      unreachable = clusterReadFailure(deps.destination?.cluster ? `"${deps.destination.cluster.name}" (${deps.client.connection.server})`
        : deps.client.connection.server, err);
      return new Map();
    });
  }
  const render: RenderServices = { ...deps.render, isNamespaced: (v, k) => served.get(`${v}/${k}`)?.namespaced };
  if (invalid.length > 0) {
    conditions.push(...invalid);
  } else {
    try {
      const rendered = await renderApplication({ appName: name, spec: app.spec }, render);
      ({ revisions, sourceTypes } = rendered);
      desired = withoutExcluded(applyCrdScopes(rendered.objects, (v, k) => served.has(`${v}/${k}`)), settings, conditions, server);
      if (unreachable !== undefined) throw unreachable;
      await assertReachable(deps.live).catch((err: unknown) => { unreachable = err as CapstanError; throw err; });
      const watched = await watchDesiredKinds(deps.live, desired);
      for (const k of watched.unknown) {
        unserved.add(k);
        // A kind whose CRD comes with the app (or that may skip the dry run) is expected to be missing for now.
        if (!expectedUnknown(k, desired, app.spec.syncPolicy?.syncOptions ?? [])) {
          conditions.push({ type: 'ComparisonError', message: `the server does not serve ${k} (yet): its resources cannot be compared until the CRD exists` });
        }
      }
      if (watched.failed.length > 0) throw new CapstanError('LiveStateUnavailable', watched.failed.join('; '), { retry: 'transient' });
      comparison = withUnpermittedUnknown(await compareAppState({
        desired, live: managedLive(deps.live, name, settings, server).filter(permitted),
        lookupLive: (t) => { const l = deps.live.index.get(resourceKey(t)); return l && permitted(l) ? l : undefined; },
        diff: (t, l) => checks.diff(t, l),
      }), project, (v, k) => served.get(`${v}/${k}`)?.namespaced);
      if (comparison.syncStatus === 'Synced' && changedNamespaceMetadata(app)) comparison = { ...comparison, syncStatus: 'OutOfSync' };
    } catch (err) {
      conditions.push({ type: 'ComparisonError', message: describeError(err) });
    }
  }
  const blocking = comparison === undefined ? [...conditions] : [];
  const shared = comparison ? sharedResourceWarnings(app, comparison.pairs, deps.render.tracking) : [];
  conditions.push(...shared);
  const destNs = app.spec.destination?.namespace;
  const orphaned = comparison && destNs ? orphanedResourceWarning(project, deps.live.index.inNamespace(destNs),
    (o) => deps.live.index.appOwning(o) !== undefined) : undefined;
  if (orphaned) conditions.push(orphaned);
  const resourceHealth = new Map<string, HealthStatus & { status: NonNullable<HealthStatus['status']> }>();
  const inputs = (comparison?.pairs ?? []).map((p) => {
    const obj = (p.target ?? p.live)!;
    const h = p.live ? checks.health(p.live)
      : unserved.has(`${obj.apiVersion}/${obj.kind}`) ? { status: 'Missing' as const, message: `the server does not serve ${obj.apiVersion}/${obj.kind} (no CRD yet)` } : undefined;
    if (h) resourceHealth.set(`${groupOf(obj.apiVersion)}/${obj.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`, h);
    return { kind: obj.kind, group: groupOf(obj.apiVersion), hook: isHook(obj), live: p.live !== undefined, ...(h ? { health: h } : {}),
      ignoreHealth: obj.metadata.annotations?.['argocd.argoproj.io/ignore-healthcheck'] === 'true' };
  });
  const health = comparison ? aggregateAppHealth(inputs) : { status: 'Unknown' as const, message: conditions[0]?.message };
  const evaluated: ConditionType[] = ['ComparisonError', 'InvalidSpecError', 'UnknownError', 'SyncError', 'ExcludedResourceWarning',
    'SharedResourceWarning', 'OrphanedResourceWarning'];
  // Argo CD's summary images: the Pods in the tree of every live object the app manages.
  const images = comparison ? treeImages(comparison.pairs.flatMap((p) => (p.live ? [p.live] : [])), (uid) => deps.live.index.childrenOf(uid)) : undefined;
  let status = buildStatus({ app, ...(comparison ? { comparison } : {}), revisions, sourceTypes, health, resourceHealth,
    conditions, evaluated, ...(images ? { images } : {}), now, controllerNamespace: deps.controllerNamespace });
  let operation: Operation | null | undefined;
  let requeueAfterMs: number | undefined;
  const autoWindow = comparison && !app.operation ? syncWindowDecision(project, app, false, deps.now().getTime()) : undefined;
  if (app.operation) {
    const outcome = await advanceOperation({ app, project, blocking, shared, destination: destination.resolved, projectClusters,
      syncWindow: (manual) => syncWindowDecision(project, app, manual, deps.now().getTime()),
      ...(comparison ? { current: { desired, revisions, comparison } } : {}) }, {
      client: deps.client, appClient: control, ...(server ? { server } : {}), live: deps.live, checks, settings, render,
      waveDelayMs: deps.waveDelayMs,
      watchKinds: (objects) => watchDesiredKinds(deps.live, objects), served: async () => served, now: deps.now,
    });
    status = { ...status, operationState: outcome.operationState, ...(outcome.history ? { history: outcome.history } : {}) };
    if (outcome.operation === null) operation = null;
    requeueAfterMs = outcome.requeueAfterMs;
  } else if (comparison && autoWindow?.allowed === false) {
    // Argo CD: "Sync prevented by sync window" — no automated sync, and the SyncError condition stays as it was.
    if (app.spec.syncPolicy?.automated && comparison.syncStatus === 'OutOfSync') {
      deps.log?.(`${name}: automated sync prevented by sync window${autoWindow.error ? `: ${autoWindow.error}` : ''}`);
      requeueAfterMs = windowRecheckDelay(autoWindow, deps.now().getTime());
    }
    status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== 'SyncError'),
      ...(app.status?.conditions ?? []).filter((c) => c.type === 'SyncError')];
  } else if (comparison) {
    const auto = automatedOperation(app, comparison, revisions, desired.length, deps.now().getTime());
    if (auto.operation) operation = auto.operation;
    if (auto.requeueAfterMs !== undefined) requeueAfterMs = auto.requeueAfterMs;
    if (auto.syncError) {
      const kept = (status.conditions ?? []).find((c) => c.type === 'SyncError' && c.message === auto.syncError);
      status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== 'SyncError'),
        { type: 'SyncError', message: auto.syncError, lastTransitionTime: kept?.lastTransitionTime ?? now }];
    }
  }
  const patch: Record<string, unknown> = { status: mergePatchFor(app.status, status) };
  if (operation !== undefined) patch['operation'] = operation;
  const updated = await control.patch(app as unknown as KubeObject, patch, 'merge') as unknown as Application;
  return { updated, ...(requeueAfterMs !== undefined ? { requeueAfterMs } : {}), ...(unreachable !== undefined ? { unreachable: true } : {}) };
}

function permitAll(app: Application): AppProject {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: app.spec.project },
    spec: { sourceRepos: ['*'], destinations: [{ server: '*', namespace: '*', name: '*' }], clusterResourceWhitelist: [{ group: '*', kind: '*' }] } };
}
