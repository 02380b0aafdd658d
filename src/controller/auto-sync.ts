// Whether an Application's automated sync policy starts a sync now, decided
// as Argo CD decides it: only when OutOfSync, with no operation in flight and
// not being deleted; at most one attempt per revision (a failed attempt is
// reported, not retried, unless `retry` says so); self-heal re-syncs live
// drift at the same revision after a growing backoff; with `prune: false` a
// drift that is only extra resources does not sync; with `allowEmpty: false`
// a sync that would delete everything does not start.
import { automatedSyncDefaultRetry, selfHealDelay, type RetryStrategy, type SelfHealBackoff } from '../status/retry.ts';

export interface AutomatedPolicy {
  enabled?: boolean;
  prune?: boolean;
  selfHeal?: boolean;
  allowEmpty?: boolean;
}

export interface AutoSyncInput {
  readonly automated: AutomatedPolicy | undefined;
  readonly syncOptions: readonly string[];
  readonly retry: RetryStrategy | undefined;
  readonly hasOperation: boolean;
  readonly deleting: boolean;
  readonly syncStatus: 'Synced' | 'OutOfSync' | 'Unknown';
  /** The commit(s) the comparison used. */
  readonly revisions: readonly string[];
  /** Resources that are OutOfSync, and which of them only need pruning. */
  readonly outOfSync: ReadonlyArray<{ readonly requiresPruning: boolean }>;
  /** Number of desired (rendered) resources. */
  readonly desiredCount: number;
  /** The last operation, if any. */
  readonly lastOperation?: {
    readonly revisions: readonly string[];
    readonly phase: string;
    readonly message: string;
    readonly automated: boolean;
    readonly finishedAtMs?: number;
  };
  /** Self-heal attempts since the last successful sync of the current revision. */
  readonly selfHealAttempts: number;
  readonly nowMs: number;
  readonly selfHealBackoff?: SelfHealBackoff;
}

export interface SyncOperationRequest {
  readonly revisions: readonly string[];
  readonly prune: boolean;
  readonly syncOptions: readonly string[];
  readonly retry: RetryStrategy;
  readonly selfHeal: boolean;
}

export type AutoSyncDecision =
  | { readonly action: 'sync'; readonly request: SyncOperationRequest }
  | { readonly action: 'skip'; readonly reason: string; readonly syncError?: string }
  | { readonly action: 'wait'; readonly delayMs: number; readonly reason: string };

const sameRevisions = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((r, i) => r === b[i]);

export function decideAutoSync(input: AutoSyncInput): AutoSyncDecision {
  const policy = input.automated;
  if (policy === undefined || policy.enabled === false) return { action: 'skip', reason: 'automated sync is off' };
  if (input.hasOperation) return { action: 'skip', reason: 'an operation is in progress' };
  if (input.deleting) return { action: 'skip', reason: 'the application is being deleted' };
  if (input.syncStatus !== 'OutOfSync') return { action: 'skip', reason: `sync status is ${input.syncStatus}` };
  if (!policy.prune && input.outOfSync.every((r) => r.requiresPruning)) {
    return { action: 'skip', reason: 'only resources that need pruning are out of sync, and automated prune is off' };
  }
  if (!policy.allowEmpty && input.desiredCount === 0) {
    return { action: 'skip', reason: 'auto-sync will wipe out all resources', syncError: 'Skipping sync attempt: auto-sync will wipe out all resources' };
  }
  const request: SyncOperationRequest = {
    revisions: input.revisions, prune: policy.prune ?? false, syncOptions: input.syncOptions,
    retry: input.retry ?? automatedSyncDefaultRetry, selfHeal: false,
  };
  const last = input.lastOperation;
  if (last !== undefined && last.automated && sameRevisions(last.revisions, input.revisions)) {
    if (last.phase !== 'Succeeded') {
      const target = input.revisions.join(', ');
      return { action: 'skip', reason: 'the last automated sync of this revision failed',
        syncError: `Failed sync attempt to ${target}: ${last.message}` };
    }
    if (!policy.selfHeal) {
      return { action: 'skip', reason: `most recent sync already to ${input.revisions.join(', ')}` };
    }
    const delay = selfHealDelay(input.selfHealAttempts, input.selfHealBackoff);
    const since = input.nowMs - (last.finishedAtMs ?? 0);
    if (since < delay) return { action: 'wait', delayMs: delay - since, reason: 'self-heal backoff' };
    return { action: 'sync', request: { ...request, selfHeal: true } };
  }
  return { action: 'sync', request };
}
