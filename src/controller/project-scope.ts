// What an app's project lets one reconcile see and do, as Argo CD's
// CompareAppState and SyncAppState apply it:
// - live objects the project does not permit (IsLiveResourcePermitted) are
//   not part of the app: never compared, never pruned;
// - a desired object of a kind the project does not permit keeps the sync
//   status Unknown (its sync then fails with the permission message);
// - sync windows (spec.syncWindows) gate syncs: automated syncs need
//   CanSync(false), an operation CanSync(manual) where manual means not
//   initiated by automation; a blocked operation stays Running with "Sync
//   operation blocked by sync window" until a window lets it through.
import type { Application } from '../api/application.ts';
import type { AppProject } from '../api/app-project.ts';
import type { ResourceStatus } from '../api/application-status.ts';
import { groupOf, type KubeObject } from '../api/kube-object.ts';
import {
  isDestinationPermitted, isGroupKindPermitted, isLiveResourcePermitted, type ProjectCluster, type ResolvedDestination,
} from '../project/permissions.ts';
import { canSync, matchingWindows, type SyncWindowDecision } from '../project/sync-windows.ts';
import type { Comparison } from './compare-app-state.ts';

export const syncWindowBlockedMessage = 'Sync operation blocked by sync window';

/**
 * A predicate keeping the live objects the project permits on this
 * destination (IsLiveResourcePermitted). Namespaced answers depend only on
 * the kind and the namespace, so they are remembered for the predicate's life
 * (one reconcile): an app of thousands of objects asks a handful of times.
 */
export function permittedLive(project: AppProject | undefined, destination: ResolvedDestination | undefined,
  projectClusters: readonly ProjectCluster[] = []): (obj: KubeObject) => boolean {
  if (project === undefined || destination === undefined) return () => true;
  const spec = project.spec;
  const kinds = new Map<string, boolean>();
  const namespaces = new Map<string, boolean>();
  return (obj) => {
    const group = groupOf(obj.apiVersion);
    const namespace = obj.metadata.namespace ?? '';
    if (namespace === '') {
      return isLiveResourcePermitted(spec, { group, kind: obj.kind, ...(obj.metadata.name ? { name: obj.metadata.name } : {}) }, destination, projectClusters);
    }
    const gk = `${group}/${obj.kind}`;
    let kindOk = kinds.get(gk);
    if (kindOk === undefined) kinds.set(gk, kindOk = isGroupKindPermitted(spec, group, obj.kind, true));
    if (!kindOk) return false;
    let nsOk = namespaces.get(namespace);
    if (nsOk === undefined) namespaces.set(namespace, nsOk = isDestinationPermitted(spec, { ...destination, namespace }, projectClusters));
    return nsOk;
  };
}

/**
 * Resources of kinds the project does not permit get sync status Unknown. As
 * Argo CD, a kind discovery does not know is checked as cluster-scoped.
 */
export function withUnpermittedUnknown(comparison: Comparison, project: AppProject | undefined,
  namespacedOf: (apiVersion: string, kind: string) => boolean | undefined): Comparison {
  if (project === undefined) return comparison;
  let changed = false;
  const resources = comparison.resources.map((r): ResourceStatus => {
    const apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
    const namespaced = namespacedOf(apiVersion, r.kind) === true;
    if (isGroupKindPermitted(project.spec, r.group ?? '', r.kind, namespaced, r.name) || r.status === undefined) return r;
    changed = true;
    return { ...r, status: 'Unknown' };
  });
  return changed ? { ...comparison, resources } : comparison;
}

/** The sync window decision for the app now (manual: a sync not initiated by automation). */
export function syncWindowDecision(project: AppProject | undefined, app: Application, manual: boolean, nowMs: number): SyncWindowDecision {
  const windows = matchingWindows(project?.spec.syncWindows, { name: app.metadata.name ?? '', destination: app.spec.destination ?? {} });
  return canSync(windows, manual, nowMs);
}

/** How long to wait before a blocked sync is looked at again (bounded: a clock or zone change is not an event). */
export function windowRecheckDelay(decision: SyncWindowDecision, nowMs: number): number {
  const wait = decision.recheckAtMs === undefined ? 60_000 : decision.recheckAtMs - nowMs;
  return Math.min(Math.max(wait, 1000), 300_000);
}
