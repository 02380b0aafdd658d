// What the executor does with one task, decided purely from options: how a
// prune ends (Argo CD's result codes and messages), and how a target is
// applied (server-side apply under which field manager, replace, force,
// validation). `applyRequestOf` is the one place that turns a mode into the
// request the server sees, for the real apply and for every dry run of it
// (the server-side diff's and the plan's), so a prediction is made exactly
// as the apply will be.
import type { KubeObject } from '../../api/kube-object.ts';
import { syncOptions } from '../../api/sync-annotations.ts';
import { hasAppOption, hasResourceOption, optionValue } from './sync-options.ts';

export type ResultCode = 'Synced' | 'SyncFailed' | 'Pruned' | 'PruneSkipped';

export type PruneDecision =
  | { readonly action: 'skip'; readonly code: 'PruneSkipped'; readonly message: string }
  | { readonly action: 'delete'; readonly dryRun: boolean };

/**
 * Pruning needs the operation's prune flag and no `Prune=false` — on the live
 * object, or in the app options when the object sets no Prune option itself.
 */
export function decidePrune(live: KubeObject, prune: boolean, dryRun: boolean, appOptions: readonly string[] = []): PruneDecision {
  if (!prune) return { action: 'skip', code: 'PruneSkipped', message: 'ignored (requires pruning)' };
  if (optionValue(live, appOptions, 'Prune') === 'false') return { action: 'skip', code: 'PruneSkipped', message: 'ignored (no prune)' };
  return { action: 'delete', dryRun };
}

/** The field manager Capstan applies with by default. */
export const capstanFieldManager = 'capstan';
/** Argo CD's server-side apply field manager, used under `ServerSideApply=true`. */
export const argoSsaFieldManager = 'argocd-controller';
/** kubectl's client-side apply manager, whose fields a server-side apply takes over (Argo CD's default). */
export const defaultClientSideApplyManager = 'kubectl-client-side-apply';

export interface ApplyMode {
  /** replace (or create when absent); CRDs and Namespaces are updated instead, never replaced. */
  readonly replace: boolean;
  /** Replace: delete and create. Apply: delete and create when the server refuses the change (conflict, immutable field). */
  readonly force: boolean;
  /** Argo's ServerSideApply option (Capstan always applies server-side; the option picks the field manager). */
  readonly serverSideApplyOption: boolean;
  /** false under Validate=false: unknown fields are dropped instead of failing the apply. */
  readonly validate: boolean;
  readonly fieldManager: string;
  /** Managers whose fields move to `fieldManager` before the apply, so fields removed from git are removed live. */
  readonly migrateFrom: readonly string[];
}

/** The query of a server-side apply (always with force, as Capstan owns what it renders). */
export interface ApplyRequest {
  readonly fieldManager: string;
  readonly fieldValidation: 'Strict' | 'Ignore';
}

export function applyRequestOf(mode: ApplyMode): ApplyRequest {
  return { fieldManager: mode.fieldManager, fieldValidation: mode.validate ? 'Strict' : 'Ignore' };
}

export interface ApplyModeContext {
  readonly appOptions?: readonly string[];
  /** syncStrategy apply/hook `force`. */
  readonly strategyForce?: boolean;
  /** The app's `argocd.argoproj.io/client-side-apply-migration-manager` annotation. */
  readonly clientSideApplyMigrationManager?: string;
}

export function decideApplyMode(target: KubeObject, context: ApplyModeContext = {}): ApplyMode {
  const appOptions = context.appOptions ?? [];
  const resourceSsaOff = hasResourceOption(target, syncOptions.serverSideApplyFalse);
  const ssa = !resourceSsaOff
    && (hasAppOption(appOptions, syncOptions.serverSideApply) || hasResourceOption(target, syncOptions.serverSideApply));
  const migration = !hasAppOption(appOptions, 'ClientSideApplyMigration=false');
  const csaManager = context.clientSideApplyMigrationManager || defaultClientSideApplyManager;
  return {
    replace: hasAppOption(appOptions, syncOptions.replace) || hasResourceOption(target, syncOptions.replace),
    force: (context.strategyForce ?? false) || hasAppOption(appOptions, syncOptions.force) || hasResourceOption(target, syncOptions.force),
    serverSideApplyOption: ssa,
    validate: !(hasAppOption(appOptions, syncOptions.validateFalse) || hasResourceOption(target, syncOptions.validateFalse)),
    fieldManager: ssa ? argoSsaFieldManager : capstanFieldManager,
    // Under ServerSideApply=true, Argo CD takes over kubectl's client-side apply fields; the other
    // manager of Capstan's two is taken over too, so switching the option never strands fields.
    migrateFrom: !migration ? [] : ssa ? [csaManager, capstanFieldManager] : [argoSsaFieldManager],
  };
}
