// What the executor does with one task, decided purely from options: how a
// prune ends (Argo CD's result codes and messages), and how a target is
// applied (server-side apply, replace, force).
import type { KubeObject } from '../../api/kube-object.ts';
import { syncOptions } from '../../api/sync-annotations.ts';
import { hasAppOption, hasResourceOption } from './sync-options.ts';

export type ResultCode = 'Synced' | 'SyncFailed' | 'Pruned' | 'PruneSkipped';

export type PruneDecision =
  | { readonly action: 'skip'; readonly code: 'PruneSkipped'; readonly message: string }
  | { readonly action: 'delete'; readonly dryRun: boolean };

/** Pruning needs the operation's prune flag and no `Prune=false` on the live object. */
export function decidePrune(live: KubeObject, prune: boolean, dryRun: boolean): PruneDecision {
  if (!prune) return { action: 'skip', code: 'PruneSkipped', message: 'ignored (requires pruning)' };
  if (hasResourceOption(live, syncOptions.pruneFalse)) return { action: 'skip', code: 'PruneSkipped', message: 'ignored (no prune)' };
  return { action: 'delete', dryRun };
}

export interface ApplyMode {
  /** replace (or create when absent); CRDs and Namespaces are updated instead, never replaced. */
  readonly replace: boolean;
  readonly force: boolean;
  /** Argo's ServerSideApply option: apply with force-conflicts under the Argo field manager semantics. */
  readonly serverSideApplyOption: boolean;
  readonly validate: boolean;
}

export function decideApplyMode(target: KubeObject, appOptions: readonly string[] | undefined,
  strategyForce = false): ApplyMode {
  const resourceSsaOff = hasResourceOption(target, syncOptions.serverSideApplyFalse);
  return {
    replace: hasAppOption(appOptions, syncOptions.replace) || hasResourceOption(target, syncOptions.replace),
    force: strategyForce || hasAppOption(appOptions, syncOptions.force) || hasResourceOption(target, syncOptions.force),
    serverSideApplyOption: !resourceSsaOff
      && (hasAppOption(appOptions, syncOptions.serverSideApply) || hasResourceOption(target, syncOptions.serverSideApply)),
    validate: !(hasAppOption(appOptions, syncOptions.validateFalse) || hasResourceOption(target, syncOptions.validateFalse)),
  };
}
