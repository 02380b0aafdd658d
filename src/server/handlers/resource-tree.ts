// An app's resource tree as Argo CD's ApplicationTree: the objects the app
// tracks and, through owner references, everything they own (ReplicaSets,
// Pods, Jobs, …), each a ResourceNode with its parentRefs, health (where a
// check exists), images, creation time and resourceVersion, taken from the
// live cache — no API request. Secrets appear by name only.
import type { Application } from '../../api/application.ts';
import { groupOf, resourceKey, versionOf, type KubeObject } from '../../api/kube-object.ts';
import { imagesOf } from '../../api/object-images.ts';
import { assessHealth } from '../../health/assess-health.ts';
import type { AppLiveView } from '../state/live-source.ts';

export interface ResourceRef {
  group: string;
  kind: string;
  namespace: string;
  name: string;
  uid: string;
  version?: string;
}

export interface ResourceNode extends ResourceRef {
  version: string;
  resourceVersion?: string;
  parentRefs?: ResourceRef[];
  info?: Array<{ name: string; value: string }>;
  images?: string[];
  health?: { status: string; message?: string };
  createdAt?: string;
}

export interface ApplicationTree {
  nodes: ResourceNode[];
  orphanedNodes: ResourceNode[];
}

const maxNodes = 10_000;

function podInfo(obj: KubeObject): Array<{ name: string; value: string }> | undefined {
  if (obj.kind !== 'Pod' || obj.apiVersion !== 'v1') return undefined;
  const status = obj['status'] as { phase?: string; reason?: string; containerStatuses?: Array<{ ready?: boolean }> } | undefined;
  const spec = obj['spec'] as { containers?: unknown[] } | undefined;
  const ready = (status?.containerStatuses ?? []).filter((c) => c.ready).length;
  return [{ name: 'Status Reason', value: status?.reason ?? status?.phase ?? 'Unknown' },
    { name: 'Containers', value: `${ready}/${spec?.containers?.length ?? 0}` }];
}

function nodeOf(obj: KubeObject, view: AppLiveView): ResourceNode {
  const namespace = obj.metadata.namespace ?? '';
  const parents = (obj.metadata.ownerReferences ?? []).map((r) => ({ group: groupOf(r.apiVersion), kind: r.kind, namespace, name: r.name, uid: r.uid }));
  const health = assessHealth(obj, view.health);
  const images = imagesOf(obj);
  const info = podInfo(obj);
  return {
    group: groupOf(obj.apiVersion), version: versionOf(obj.apiVersion), kind: obj.kind, namespace, name: obj.metadata.name ?? '',
    uid: obj.metadata.uid ?? '',
    ...(obj.metadata.resourceVersion ? { resourceVersion: obj.metadata.resourceVersion } : {}),
    ...(parents.length > 0 ? { parentRefs: parents } : {}),
    ...(info ? { info } : {}),
    ...(images.length > 0 ? { images } : {}),
    ...(health ? { health: { status: health.status, ...(health.message ? { message: health.message } : {}) } } : {}),
    ...(obj.metadata.creationTimestamp ? { createdAt: obj.metadata.creationTimestamp } : {}),
  };
}

export function buildResourceTree(_app: Application, view: AppLiveView): ApplicationTree {
  const seen = new Set<string>();
  const nodes: ResourceNode[] = [];
  const queue = [...view.managed];
  while (queue.length > 0 && nodes.length < maxNodes) {
    const obj = queue.shift()!;
    const key = obj.metadata.uid ?? resourceKey(obj);
    if (seen.has(key)) continue;
    seen.add(key);
    nodes.push(nodeOf(obj, view));
    if (obj.metadata.uid) queue.push(...view.childrenOf(obj.metadata.uid));
  }
  nodes.sort((a, b) => `${a.group}/${a.kind}/${a.namespace}/${a.name}`.localeCompare(`${b.group}/${b.kind}/${b.namespace}/${b.name}`));
  return { nodes, orphanedNodes: [] };
}
