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
