// Annotation keys and option strings of Argo CD's sync engine, verbatim
// (docs: user-guide/sync-waves.md, sync-options.md, resource_hooks.md, helm.md).

export const syncAnnotations = {
  syncWave: 'argocd.argoproj.io/sync-wave',
  hook: 'argocd.argoproj.io/hook',
  hookDeletePolicy: 'argocd.argoproj.io/hook-delete-policy',
  syncOptions: 'argocd.argoproj.io/sync-options',
  compareOptions: 'argocd.argoproj.io/compare-options',
  helmHook: 'helm.sh/hook',
  helmHookWeight: 'helm.sh/hook-weight',
  helmHookDeletePolicy: 'helm.sh/hook-delete-policy',
} as const;

export const hookFinalizer = 'argocd.argoproj.io/hook-finalizer';

/** On an Application: approves the Prune=confirm / Delete=confirm deletions requested before this time (RFC 3339). */
export const deletionApprovedAnnotation = 'argocd.argoproj.io/deletion-approved';

/**
 * Argo CD's IsDeletionConfirmed: the approval is a valid RFC 3339 time no
 * earlier than `since` (compared to the second, the precision both are written in).
 */
export function deletionApproved(annotations: Readonly<Record<string, string>> | undefined, since: string): boolean {
  const approved = Date.parse(annotations?.[deletionApprovedAnnotation] ?? '');
  const from = Date.parse(since);
  return Number.isFinite(approved) && Number.isFinite(from) && Math.floor(approved / 1000) >= Math.floor(from / 1000);
}

export type SyncPhase = 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail';
export type HookType = SyncPhase | 'Skip' | 'PreDelete' | 'PostDelete';
export type HookDeletePolicy = 'HookSucceeded' | 'HookFailed' | 'BeforeHookCreation';

export const syncOptions = {
  validateFalse: 'Validate=false',
  skipDryRunOnMissingResource: 'SkipDryRunOnMissingResource=true',
  createNamespace: 'CreateNamespace=true',
  pruneLast: 'PruneLast=true',
  pruneFalse: 'Prune=false',
  pruneConfirm: 'Prune=confirm',
  deleteFalse: 'Delete=false',
  deleteConfirm: 'Delete=confirm',
  applyOutOfSyncOnly: 'ApplyOutOfSyncOnly=true',
  replace: 'Replace=true',
  force: 'Force=true',
  serverSideApply: 'ServerSideApply=true',
  serverSideApplyFalse: 'ServerSideApply=false',
  respectIgnoreDifferences: 'RespectIgnoreDifferences=true',
  failOnSharedResource: 'FailOnSharedResource=true',
} as const;
