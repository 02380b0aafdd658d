// Comparing an application's desired objects with its live ones, as Argo CD's
// CompareAppState does: pair by group/kind/namespace/name, live objects the
// app tracks but no longer renders become extra (requiresPruning); hooks,
// Skip-annotated objects and copies carrying someone else's tracking id keep
// no sync status; the app is OutOfSync when any resource is modified, missing
// or extra — except extra ones annotated `compare-options: IgnoreExtraneous`.
import { annotationList, groupOf, resourceKey, versionOf, type KubeObject } from '../api/kube-object.ts';
import type { ResourceStatus, SyncStatusCode } from '../api/application-status.ts';
import { syncAnnotations, syncOptions } from '../api/sync-annotations.ts';
import { hasResourceOption } from '../sync/plan/sync-options.ts';
import { isHook, isSkipped } from '../sync/plan/hooks.ts';
import { waveOf } from '../sync/plan/waves.ts';
import type { PlanResource } from '../sync/plan/plan-sync.ts';

export interface ResourceDiff {
  readonly modified: boolean;
}

export interface CompareInput {
  readonly desired: readonly KubeObject[];
  /** Live objects tracked by this app (from the live cache). */
  readonly live: readonly KubeObject[];
  /** Live object for a desired key, when it exists but is not (yet) tracked by this app. */
  readonly lookupLive?: (target: KubeObject) => KubeObject | undefined;
  readonly diff: (target: KubeObject, live: KubeObject) => Promise<ResourceDiff>;
}

export interface Comparison {
  readonly syncStatus: SyncStatusCode;
  readonly resources: ResourceStatus[];
  /** Target/live pairs with the diff verdict, for the sync planner. */
  readonly pairs: PlanResource[];
}

export async function compareAppState(input: CompareInput): Promise<Comparison> {
  const liveByKey = new Map(input.live.map((o) => [resourceKey(o), o]));
  const pairs: PlanResource[] = [];
  for (const target of input.desired) {
    const key = resourceKey(target);
    const live = liveByKey.get(key) ?? input.lookupLive?.(target);
    liveByKey.delete(key);
    pairs.push(live === undefined ? { target } : { target, live });
  }
  for (const live of liveByKey.values()) pairs.push({ live });

  let syncStatus: SyncStatusCode = 'Synced';
  const resources: ResourceStatus[] = [];
  const compared: PlanResource[] = [];
  for (const pair of pairs) {
    const obj = (pair.target ?? pair.live)!;
    const hook = isHook(obj);
    const modified = pair.target !== undefined && pair.live !== undefined && !hook
      ? (await input.diff(pair.target, pair.live)).modified : undefined;
    compared.push(modified === undefined ? pair : { ...pair, modified });
    const status = resourceStatus(obj, pair, hook);
    if (!hook && !isSkipped(obj)) {
      const outOfSync = modified === true || pair.target === undefined || pair.live === undefined;
      status.status = outOfSync ? 'OutOfSync' : 'Synced';
      const ignoredExtra = pair.target === undefined
        && annotationList(obj, syncAnnotations.compareOptions).includes('IgnoreExtraneous');
      if (outOfSync && !ignoredExtra) syncStatus = 'OutOfSync';
    }
    resources.push(status);
  }
  resources.sort(compareStatus);
  return { syncStatus, resources, pairs: compared };
}

function resourceStatus(obj: KubeObject, pair: PlanResource, hook: boolean): ResourceStatus {
  const s: ResourceStatus = {
    group: groupOf(obj.apiVersion), version: versionOf(obj.apiVersion), kind: obj.kind,
    namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '',
  };
  if (hook) s.hook = true;
  if (pair.target === undefined && pair.live !== undefined && !hook) s.requiresPruning = true;
  // As Argo CD: the object (in git or live) asks for Delete=confirm, or the live one for Prune=confirm.
  if ([pair.target, pair.live].some((o) => hasResourceOption(o, syncOptions.deleteConfirm))
    || hasResourceOption(pair.live, syncOptions.pruneConfirm)) s.requiresDeletionConfirmation = true;
  const wave = waveOf(obj);
  if (wave !== 0) s.syncWave = wave;
  return s;
}

function compareStatus(a: ResourceStatus, b: ResourceStatus): number {
  const ka = `${a.group}/${a.kind}/${a.namespace}/${a.name}`;
  const kb = `${b.group}/${b.kind}/${b.namespace}/${b.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
