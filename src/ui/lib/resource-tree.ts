// The resource tree as the UI draws it: the nodes of Argo CD's ApplicationTree
// linked parent → children through their parentRefs, with each managed
// resource's sync status from status.resources merged in, and managed
// resources that are not live (Missing) shown as roots too, as Argo CD's UI
// does. Siblings are ordered by kind (the sync order's groups), then name.
import type { ResourceStatus } from '../../api/application-status.ts';
import type { ApplicationTree, ResourceNode, ResourceRef } from '../api/api-types.ts';

export interface TreeItem {
  readonly key: string;
  readonly ref: ResourceRef;
  readonly node?: ResourceNode;
  readonly status?: ResourceStatus;
  readonly health?: string;
  readonly healthMessage?: string;
  readonly orphaned: boolean;
  readonly children: TreeItem[];
}

export function refKey(ref: { group?: string; kind: string; namespace?: string; name: string }): string {
  return `${ref.group ?? ''}/${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}

const kindOrder = ['AppProject', 'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'ServiceAccount', 'Secret', 'ConfigMap',
  'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'PersistentVolume',
  'PersistentVolumeClaim', 'Service', 'Endpoints', 'EndpointSlice', 'DaemonSet', 'Deployment', 'StatefulSet',
  'ReplicaSet', 'Pod', 'Job', 'CronJob', 'Ingress', 'HorizontalPodAutoscaler', 'Application', 'ApplicationSet'];

function kindRank(kind: string): number {
  const i = kindOrder.indexOf(kind);
  return i < 0 ? kindOrder.length : i;
}

export function compareRefs(a: ResourceRef, b: ResourceRef): number {
  return kindRank(a.kind) - kindRank(b.kind) || a.kind.localeCompare(b.kind) || (a.namespace ?? '').localeCompare(b.namespace ?? '')
    || a.name.localeCompare(b.name);
}

interface MutableItem { key: string; ref: ResourceRef; node?: ResourceNode; status?: ResourceStatus; health?: string;
  healthMessage?: string; orphaned: boolean; children: MutableItem[] }

function sortItems(items: MutableItem[]): void {
  items.sort((a, b) => compareRefs(a.ref, b.ref));
  for (const i of items) sortItems(i.children);
}

/** Roots of the tree (managed resources and nodes whose parents are not in the tree), then the orphaned nodes' roots. */
export function buildResourceTree(tree: ApplicationTree | undefined, resources: readonly ResourceStatus[] = []): { roots: TreeItem[]; orphans: TreeItem[] } {
  const statusByKey = new Map(resources.map((r) => [refKey(r), r]));
  const byKey = new Map<string, MutableItem>();
  const byUid = new Map<string, MutableItem>();
  const add = (node: ResourceNode, orphaned: boolean): MutableItem => {
    const key = refKey(node);
    const status = statusByKey.get(key);
    const health = node.health?.status ?? status?.health?.status;
    const healthMessage = node.health?.message ?? status?.health?.message;
    const item: MutableItem = { key, ref: node, node, orphaned, children: [],
      ...(status ? { status } : {}), ...(health ? { health } : {}), ...(healthMessage ? { healthMessage } : {}) };
    if (!byKey.has(key)) byKey.set(key, item);
    if (node.uid) byUid.set(node.uid, item);
    return item;
  };
  const nodes = (tree?.nodes ?? []).map((n) => add(n, false));
  const orphanNodes = (tree?.orphanedNodes ?? []).map((n) => add(n, true));
  const roots: MutableItem[] = []; const orphans: MutableItem[] = [];
  for (const item of [...nodes, ...orphanNodes]) {
    const parents = (item.node?.parentRefs ?? [])
      .map((p) => (p.uid ? byUid.get(p.uid) : undefined) ?? byKey.get(refKey(p)))
      .filter((p): p is MutableItem => p !== undefined && p !== item);
    if (parents.length === 0) (item.orphaned ? orphans : roots).push(item);
    // A node with several parents (a Pod of a Job and a CronJob's Job, say) is drawn under the first.
    else parents[0]!.children.push(item);
  }
  for (const r of resources) {
    const key = refKey(r);
    if (byKey.has(key)) continue;
    const health = r.health?.status ?? (r.status === 'OutOfSync' && !r.requiresPruning ? 'Missing' : undefined);
    const item: MutableItem = { key, ref: { ...(r.group ? { group: r.group } : {}), version: r.version, kind: r.kind,
      ...(r.namespace ? { namespace: r.namespace } : {}), name: r.name }, status: r, orphaned: false, children: [],
      ...(health ? { health } : {}), ...(r.health?.message ? { healthMessage: r.health.message } : {}) };
    byKey.set(key, item);
    roots.push(item);
  }
  sortItems(roots); sortItems(orphans);
  return { roots, orphans };
}

/** Every item in display order (depth first), for keyboard movement and search. */
export function flattenTree(items: readonly TreeItem[], out: TreeItem[] = []): TreeItem[] {
  for (const i of items) { out.push(i); flattenTree(i.children, out); }
  return out;
}

const abbreviations: Record<string, string> = {
  Deployment: 'deploy', ReplicaSet: 'rs', Pod: 'pod', Service: 'svc', ConfigMap: 'cm', Secret: 'secret', Namespace: 'ns',
  ServiceAccount: 'sa', StatefulSet: 'sts', DaemonSet: 'ds', Job: 'job', CronJob: 'cronjob', Ingress: 'ing',
  PersistentVolumeClaim: 'pvc', PersistentVolume: 'pv', Role: 'role', RoleBinding: 'rb', ClusterRole: 'crole',
  ClusterRoleBinding: 'crb', Endpoints: 'ep', EndpointSlice: 'eps', CustomResourceDefinition: 'crd', Application: 'app',
  ApplicationSet: 'appset', AppProject: 'proj', HorizontalPodAutoscaler: 'hpa', NetworkPolicy: 'netpol',
  PodDisruptionBudget: 'pdb', StorageClass: 'sc', ControllerRevision: 'cr', Event: 'ev',
};

/** The short kind badge Argo CD's UI prints beside a node (deploy, rs, pod, svc…); other kinds by their capitals. */
export function kindAbbreviation(kind: string): string {
  const known = abbreviations[kind];
  if (known !== undefined) return known;
  const capitals = kind.replace(/[^A-Z]/g, '').toLowerCase();
  return capitals.length >= 2 ? capitals : kind.slice(0, 6).toLowerCase();
}
