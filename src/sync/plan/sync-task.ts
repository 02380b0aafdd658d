// One step of a sync: apply a target object, or prune a live one (no target),
// in a phase and wave. Ordering follows Argo CD: phase (PreSync, Sync,
// PostSync, SyncFail) → wave → kind rank → name; afterwards a Namespace is
// moved before the first task in it, and a CRD before the first of its custom
// resources, each taking the phase and wave of the task it now precedes.
import { groupOf, versionOf, type KubeObject } from '../../api/kube-object.ts';
import type { SyncPhase } from '../../api/sync-annotations.ts';
import { isHook } from './hooks.ts';
import { kindRank } from './kind-order.ts';

export interface SyncTask {
  readonly phase: SyncPhase;
  readonly wave: number;
  /** Absent for a prune task. */
  readonly target?: KubeObject;
  readonly live?: KubeObject;
  readonly hook: boolean;
  /** The API server does not serve the kind yet (its CRD is in this sync, or SkipDryRunOnMissingResource). */
  readonly skipDryRun: boolean;
}

const phaseRank: Readonly<Record<SyncPhase, number>> = { PreSync: -1, Sync: 0, PostSync: 1, SyncFail: 2 };

/** The object a task is about: its target, else its live object. */
export function taskObject(task: Pick<SyncTask, 'target' | 'live'>): KubeObject {
  const obj = task.target ?? task.live;
  if (obj === undefined) throw new Error('a sync task needs a target or a live object');
  return obj;
}

export function isPruneTask(task: SyncTask): boolean {
  return task.target === undefined;
}

export interface TaskIdentity {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

export function taskIdentity(task: SyncTask): TaskIdentity {
  const obj = taskObject(task);
  return {
    group: groupOf(obj.apiVersion), version: versionOf(obj.apiVersion), kind: obj.kind,
    namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '',
  };
}

/** Key of a task's result in `syncResult.resources` (one per object and phase). */
export function taskResultKey(task: SyncTask): string {
  const id = taskIdentity(task);
  return `${id.group}/${id.kind}/${id.namespace}/${id.name}:${task.phase}`;
}

export function newTask(fields: Omit<SyncTask, 'hook'>): SyncTask {
  return { ...fields, hook: isHook(taskObject(fields)) };
}

export function compareTasks(a: SyncTask, b: SyncTask): number {
  const byPhase = phaseRank[a.phase] - phaseRank[b.phase];
  if (byPhase !== 0) return byPhase;
  if (a.wave !== b.wave) return a.wave - b.wave;
  const objA = taskObject(a);
  const objB = taskObject(b);
  const byKind = kindRank(objA.kind) - kindRank(objB.kind);
  if (byKind !== 0) return byKind;
  const nameA = objA.metadata.name ?? '';
  const nameB = objB.metadata.name ?? '';
  return nameA < nameB ? -1 : nameA > nameB ? 1 : 0;
}

type DepKey = (obj: KubeObject) => string | undefined;

/**
 * Moves each dependency (per `isDep`) in front of the first task that refers
 * to it (per `refersTo`), giving it that task's phase and wave. Only target
 * objects count, as in Argo CD.
 */
function moveDependenciesFirst(tasks: SyncTask[], isDep: DepKey, refersTo: DepKey): void {
  const firstRef = new Map<string, number>();
  for (let i = 0; i < tasks.length; i++) {
    const task = tasks[i]!;
    if (task.target === undefined) continue;
    const depKey = isDep(task.target);
    if (depKey !== undefined) {
      const at = firstRef.get(depKey);
      if (at === undefined) continue;
      const anchor = tasks[at]!;
      tasks.splice(i, 1);
      tasks.splice(at, 0, { ...task, phase: anchor.phase, wave: anchor.wave });
      for (const [k, v] of firstRef) if (v >= at) firstRef.set(k, v + 1);
      continue;
    }
    const refKey = refersTo(task.target);
    if (refKey !== undefined && !firstRef.has(refKey)) firstRef.set(refKey, i);
  }
}

const namespaceDep: DepKey = (o) => (o.kind === 'Namespace' && groupOf(o.apiVersion) === '' ? o.metadata.name : undefined);
const inNamespace: DepKey = (o) => (o.metadata.namespace ? o.metadata.namespace : undefined);
const crdDep: DepKey = (o) => {
  if (o.kind !== 'CustomResourceDefinition' || groupOf(o.apiVersion) !== 'apiextensions.k8s.io') return undefined;
  const spec = o['spec'] as { group?: unknown; names?: { kind?: unknown } } | undefined;
  return typeof spec?.group === 'string' && typeof spec.names?.kind === 'string'
    ? `${spec.group}/${spec.names.kind}` : undefined;
};
const groupKind: DepKey = (o) => `${groupOf(o.apiVersion)}/${o.kind}`;

/** Sorts tasks in Argo CD's order, then moves namespaces and CRDs before their dependents. */
export function sortTasks(tasks: readonly SyncTask[]): SyncTask[] {
  const sorted = [...tasks].sort(compareTasks);
  moveDependenciesFirst(sorted, namespaceDep, inNamespace);
  moveDependenciesFirst(sorted, crdDep, groupKind);
  return sorted;
}
