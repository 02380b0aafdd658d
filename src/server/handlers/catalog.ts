// The other read endpoints the UI and CLI use, each filtered by RBAC:
// projects (`projects, get, <name>`), ApplicationSets (`applicationsets,
// get, <project>/<name>` with the template's project), clusters (`clusters,
// get, <server>`: name, server, namespaces, project, labels — never the
// Secret's config) and repositories (`repositories, get, <url>`: URL, type,
// name, project, username — never a password, key or token).
import type { ApplicationSet } from '../../api/application-set.ts';
import { clusterIdentityOf, inClusterName, inClusterServer, isClusterSecret } from '../../api/cluster-secret.ts';
import type { KubeObject } from '../../api/kube-object.ts';
import { parseRepositorySecret } from '../../source/repository-secrets.ts';
import type { ApiContext } from '../api-context.ts';
import { permissionDenied } from '../http/api-errors.ts';
import { parseLabelSelector } from '../http/label-selector-query.ts';
import { queryList } from '../http/request-body.ts';

const byName = <T extends { metadata: { name?: string } }>(a: T, b: T): number => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');

export function listProjects(ctx: ApiContext): unknown {
  const items = [...ctx.deps.cache.projects.items.values()].filter((p) => ctx.can('projects', 'get', p.metadata.name ?? '')).sort(byName);
  return { metadata: { resourceVersion: ctx.deps.cache.projects.resourceVersion }, items };
}

export function getProject(ctx: ApiContext): unknown {
  const name = ctx.params['name']!;
  ctx.enforce('projects', 'get', name);
  const project = ctx.deps.cache.projects.items.get(name);
  if (project === undefined) throw permissionDenied();
  return project;
}

const appSetRbacName = (s: ApplicationSet): string => `${(s.spec.template?.spec as { project?: string } | undefined)?.project || 'default'}/${s.metadata.name}`;

export function listApplicationSets(ctx: ApiContext): unknown {
  const projects = new Set(queryList(ctx.query, 'projects'));
  const selector = parseLabelSelector(ctx.query.get('selector'));
  const items = [...ctx.deps.cache.appSets.items.values()].filter((s) => selector(s.metadata.labels)
    && (projects.size === 0 || projects.has(appSetRbacName(s).split('/')[0]!)) && ctx.can('applicationsets', 'get', appSetRbacName(s))).sort(byName);
  return { metadata: { resourceVersion: ctx.deps.cache.appSets.resourceVersion }, items };
}

export function getApplicationSet(ctx: ApiContext): unknown {
  const set = ctx.deps.cache.appSets.items.get(ctx.params['name']!);
  if (set === undefined || !ctx.can('applicationsets', 'get', appSetRbacName(set))) throw permissionDenied();
  return set;
}

interface ClusterView { server: string; name: string; namespaces?: string[]; project?: string; labels?: Record<string, string>;
  annotations?: Record<string, string>; clusterResources?: boolean; config: Record<string, unknown> }

function clustersOf(ctx: ApiContext): ClusterView[] {
  const out = new Map<string, ClusterView>();
  const cm = ctx.deps.cache.configMapData('argocd-cm') ?? {};
  if (cm['cluster.inClusterEnabled'] !== 'false') out.set(inClusterServer, { server: inClusterServer, name: inClusterName, config: { tlsClientConfig: { insecure: false } } });
  for (const s of ctx.deps.cache.secrets.items.values()) {
    if (!isClusterSecret(s as KubeObject)) continue;
    const id = clusterIdentityOf(s as KubeObject);
    out.set(id.server, { server: id.server, name: id.name, config: { tlsClientConfig: { insecure: false } },
      ...(id.namespaces.length > 0 ? { namespaces: [...id.namespaces] } : {}), ...(id.project ? { project: id.project } : {}),
      ...(id.clusterResources ? { clusterResources: true } : {}),
      ...(Object.keys(id.labels).length > 0 ? { labels: { ...id.labels } } : {}), ...(Object.keys(id.annotations).length > 0 ? { annotations: { ...id.annotations } } : {}) });
  }
  return [...out.values()];
}

export function listClusters(ctx: ApiContext): unknown {
  const items = clustersOf(ctx).filter((c) => ctx.can('clusters', 'get', c.server)).sort((a, b) => a.server.localeCompare(b.server));
  return { metadata: {}, items };
}

export function getCluster(ctx: ApiContext): unknown {
  const key = ctx.params['server']!;
  const cluster = clustersOf(ctx).find((c) => c.server === key || c.name === key);
  if (cluster === undefined || !ctx.can('clusters', 'get', cluster.server)) throw permissionDenied();
  return cluster;
}

export function listRepositories(ctx: ApiContext): unknown {
  const items: Array<Record<string, unknown>> = [];
  for (const s of ctx.deps.cache.secrets.items.values()) {
    if ((s.metadata.labels ?? {})['argocd.argoproj.io/secret-type'] !== 'repository') continue;
    const entry = parseRepositorySecret(s as KubeObject);
    if (!('url' in entry) || !ctx.can('repositories', 'get', entry.url)) continue;
    items.push({ repo: entry.url, type: entry.type || 'git', ...(entry.name ? { name: entry.name } : {}), ...(entry.project ? { project: entry.project } : {}),
      ...(entry.username ? { username: entry.username } : {}), ...(entry.insecure ? { insecure: true } : {}),
      connectionState: { status: 'Unknown', message: '' } });
  }
  items.sort((a, b) => String(a['repo']).localeCompare(String(b['repo'])));
  return { metadata: {}, items };
}
