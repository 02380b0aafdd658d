// Whether an Application's automated sync policy starts a sync now, decided
// as Argo CD's autoSync decides it: only when OutOfSync, with no operation in
// flight and not being deleted; with `prune: false` a drift that is only
// extra resources does not sync; at most one attempt per revision and source
// — whoever started it: a failed attempt becomes a SyncError condition and is
// not repeated (an operation's own `retry` is what retries); with `selfHeal`
// live drift at the same revision is synced again, only the resources that
// are out of sync, after a backoff that grows with the attempts (none for the
// first, then 2 s × 3ⁿ up to 300 s, reset after a quiet cool-down); with
// `allowEmpty: false` a sync that would prune everything does not start.
import {
  automatedSyncDefaultRetry, defaultSelfHealBackoff, selfHealDelay, type RetryStrategy, type SelfHealBackoff,
} from '../status/retry.ts';

export interface AutomatedPolicy {
  enabled?: boolean;
  prune?: boolean;
  selfHeal?: boolean;
  allowEmpty?: boolean;
}

export interface OutOfSyncResource {
  readonly group?: string;
  readonly kind: string;
  readonly name: string;
  readonly requiresPruning: boolean;
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
  readonly outOfSync: readonly OutOfSyncResource[];
  /** Number of desired (rendered) resources. */
  readonly desiredCount: number;
  /** The last operation, if any. */
  readonly lastOperation?: {
    readonly revisions: readonly string[];
    /** The spec's source(s), target revision aside, equal the ones that operation synced. */
    readonly sameSource?: boolean;
    readonly phase: string;
    readonly message: string;
    readonly automated: boolean;
    readonly finishedAtMs?: number;
  };
  /** Self-heal attempts recorded in the last operation. */
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
  /** Self-heal: the attempt number this operation is. */
  readonly selfHealAttempts?: number;
  /** Self-heal: only these resources are synced. */
  readonly resources?: ReadonlyArray<{ group: string; kind: string; name: string }>;
}

export type AutoSyncDecision =
  | { readonly action: 'sync'; readonly request: SyncOperationRequest }
  | { readonly action: 'skip'; readonly reason: string; readonly syncError?: string }
  | { readonly action: 'wait'; readonly delayMs: number; readonly reason: string };

/** A list as Go's fmt prints a []string ("[a b]"), as Argo CD's messages show revisions. */
const goList = (items: readonly string[]): string => `[${items.join(' ')}]`;

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
  let request: SyncOperationRequest = {
    revisions: input.revisions, prune: policy.prune ?? false, syncOptions: input.syncOptions,
    retry: input.retry ?? automatedSyncDefaultRetry, selfHeal: false,
  };
  const last = input.lastOperation;
  const attempted = last !== undefined && last.sameSource !== false && sameRevisions(last.revisions, input.revisions);
  if (attempted && (!policy.selfHeal || last.phase !== 'Succeeded')) {
    if (last.phase !== 'Succeeded') {
      return { action: 'skip', reason: 'the last sync of this revision failed',
        syncError: `Failed last sync attempt to ${goList(input.revisions)}: ${last.message}` };
    }
    return { action: 'skip', reason: `most recent sync already to ${goList(input.revisions)}` };
  }
  if (attempted) {
    const backoff = input.selfHealBackoff ?? defaultSelfHealBackoff;
    const since = input.nowMs - (last.finishedAtMs ?? input.nowMs);
    const attempts = since >= backoff.cooldownSeconds * 1000 ? 0 : input.selfHealAttempts;
    const delay = selfHealDelay(attempts, backoff);
    if (since < delay) return { action: 'wait', delayMs: delay - since, reason: 'self-heal backoff' };
    request = { ...request, selfHeal: true, selfHealAttempts: attempts + 1,
      resources: input.outOfSync.map((r) => ({ group: r.group ?? '', kind: r.kind, name: r.name })) };
  }
  if (policy.prune && !policy.allowEmpty && input.desiredCount === 0) {
    return { action: 'skip', reason: 'auto-sync will wipe out all resources',
      syncError: `Skipping sync attempt to ${goList(input.revisions)}: auto-sync will wipe out all resources` };
  }
  return { action: 'sync', request };
}
