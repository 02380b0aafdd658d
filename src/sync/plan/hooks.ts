// Which objects are hooks, for which phases, and how they are cleaned up,
// following Argo CD's resource hooks: `argocd.argoproj.io/hook` (a
// comma-separated list), else Helm's `helm.sh/hook` mapped to Argo phases;
// delete policies from `argocd.argoproj.io/hook-delete-policy` plus Helm's,
// BeforeHookCreation when none is given.
import { annotationList, type KubeObject } from '../../api/kube-object.ts';
import {
  syncAnnotations, type HookDeletePolicy, type HookType, type SyncPhase,
} from '../../api/sync-annotations.ts';

const argoHookTypes: ReadonlySet<string> = new Set<HookType>(
  ['PreSync', 'Sync', 'PostSync', 'SyncFail', 'Skip', 'PreDelete', 'PostDelete']);

const helmHookTypes: Readonly<Record<string, HookType>> = {
  'pre-install': 'PreSync', 'pre-upgrade': 'PreSync', 'post-install': 'PostSync', 'post-upgrade': 'PostSync',
};

const argoDeletePolicies: ReadonlySet<string> = new Set<HookDeletePolicy>(['HookSucceeded', 'HookFailed', 'BeforeHookCreation']);
const helmDeletePolicies: Readonly<Record<string, HookDeletePolicy>> = {
  'before-hook-creation': 'BeforeHookCreation', 'hook-succeeded': 'HookSucceeded', 'hook-failed': 'HookFailed',
};

/** Hook types of an object: Argo's annotation wins; Helm's is read only when Argo's yields none. */
export function hookTypes(obj: KubeObject): HookType[] {
  const argo = annotationList(obj, syncAnnotations.hook).filter((t) => argoHookTypes.has(t)) as HookType[];
  if (argo.length > 0) return argo;
  return annotationList(obj, syncAnnotations.helmHook).flatMap((t) => helmHookTypes[t] ?? []);
}

/** True for an object whose only hook type is Skip: it is not applied at all. */
export function isSkipped(obj: KubeObject): boolean {
  const types = hookTypes(obj);
  return types.includes('Skip') && types.length === 1;
}

/**
 * True for hooks. Any value of Argo's annotation makes a hook (unknown values
 * make a hook with no phase, which is then never run). Helm's `crd-install`
 * marks CRDs, not hooks.
 */
export function isHook(obj: KubeObject): boolean {
  const annotations = obj.metadata.annotations ?? {};
  if (syncAnnotations.hook in annotations) return !isSkipped(obj);
  const helm = annotations[syncAnnotations.helmHook];
  return helm !== undefined && helm !== 'crd-install';
}

/** The sync phases an object takes part in: none when skipped, its hook phases, else Sync. */
export function syncPhasesOf(obj: KubeObject): SyncPhase[] {
  if (isSkipped(obj)) return [];
  if (!isHook(obj)) return ['Sync'];
  const phases = new Set<SyncPhase>();
  for (const t of hookTypes(obj)) {
    if (t === 'PreSync' || t === 'Sync' || t === 'PostSync' || t === 'SyncFail') phases.add(t);
  }
  return [...phases];
}

export function hookDeletePolicies(obj: KubeObject): HookDeletePolicy[] {
  const policies = annotationList(obj, syncAnnotations.hookDeletePolicy)
    .filter((p) => argoDeletePolicies.has(p)) as HookDeletePolicy[];
  for (const p of annotationList(obj, syncAnnotations.helmHookDeletePolicy)) {
    const mapped = helmDeletePolicies[p];
    if (mapped !== undefined) policies.push(mapped);
  }
  return policies.length > 0 ? policies : ['BeforeHookCreation'];
}

/**
 * The name given to a hook that only has `generateName`:
 * `<generateName><first 7 of revision>-<phase>-<start unix seconds>`, lower-cased.
 */
export function generatedHookName(generateName: string, revision: string, phase: SyncPhase, startedAtUnix: number): string {
  const rev = revision.length >= 8 ? revision.slice(0, 7) : revision;
  return `${generateName}${`${rev}-${phase}-${startedAtUnix}`.toLowerCase()}`;
}
