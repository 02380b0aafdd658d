// Advancing an Application's requested operation by one sync pass, as Argo
// CD's controller does (appcontroller.go processRequestedAppOperation,
// sync.go SyncAppState): a new operation gets a Running state and a start
// time; the commit it syncs is fixed in `syncResult.revision` the first time,
// so a resumed operation (after a restart) syncs the same commit with the same
// hook names; an app with a comparison or spec error, or (under
// FailOnSharedResource=true) a shared resource, does not sync; a Terminating
// operation deletes its running hooks and fails; a failed one is retried when
// its retry strategy allows — the wait is recorded (`finishedAt` while still
// Running) so a restarted controller keeps it — and a retry starts over from
// scratch.
import type { KubeObject } from '../api/kube-object.ts';
import { deletionApproved } from '../api/sync-annotations.ts';
import type { Operation, OperationState, ResourceResultStatus } from '../api/application-status.ts';
import { planSync, type ManagedNamespaceMetadata, type PlanResource } from '../sync/plan/plan-sync.ts';
import { runSyncPass } from '../sync/execute/run-sync-pass.ts';
import type { SyncPorts } from '../sync/execute/sync-ports.ts';
import { SyncResults, type ResourceResult } from '../sync/execute/sync-result.ts';
import { isHook } from '../sync/plan/hooks.ts';
import { prunePropagationPolicy } from '../sync/plan/sync-options.ts';
import { newTask } from '../sync/plan/sync-task.ts';
import { nextRetryDelay } from '../status/retry.ts';
import { describeError } from '../errors.ts';

export interface DesiredState {
  /** Target and live object per key, hooks included. */
  readonly resources: readonly PlanResource[];
  /** Resolved commit(s). */
  readonly revisions: readonly string[];
  /** From discovery, for the objects of this state. */
  readonly isServed?: (obj: KubeObject) => boolean;
  readonly isNamespaced?: (obj: KubeObject) => boolean | undefined;
}

export interface OperationContext {
  readonly operation: Operation;
  readonly state?: OperationState;
  /** Renders the app at a revision (undefined: the spec's targetRevision) and pairs it with live objects. */
  readonly prepare: (revisions: readonly string[] | undefined) => Promise<DesiredState>;
  readonly ports: SyncPorts;
  readonly namespace: string;
  readonly specSyncOptions: readonly string[];
  readonly managedNamespaceMetadata?: ManagedNamespaceMetadata;
  readonly liveNamespace?: KubeObject;
  /** ComparisonError / InvalidSpecError messages: while there are any, the operation does not run. */
  readonly blockingConditions?: readonly string[];
  /** SharedResourceWarning messages (refused under FailOnSharedResource=true). */
  readonly sharedResources?: readonly string[];
  /** AppProject check per object. */
  readonly permissionError?: (obj: KubeObject) => string | undefined;
  readonly clientSideApplyMigrationManager?: string;
  /** The app's annotations (`deletion-approved` confirms Prune=confirm objects of this operation). */
  readonly appAnnotations?: Readonly<Record<string, string>>;
  readonly now: Date;
}

export interface OperationStep {
  readonly state: OperationState;
  /** The operation is over: clear `operation`, and record history when it succeeded. */
  readonly completed: boolean;
  /** Run the next pass after this long (a retry backoff), when not completed. */
  readonly retryInMs?: number;
}

function requestedRevisions(op: Operation): string[] | undefined {
  const sync = op.sync;
  if (sync?.revisions !== undefined && sync.revisions.length > 0) return sync.revisions;
  return sync?.revision ? [sync.revision] : undefined;
}

function selected(op: Operation): ((obj: KubeObject) => boolean) | undefined {
  const wanted = op.sync?.resources;
  if (wanted === undefined || wanted.length === 0) return undefined;
  return (obj) => wanted.some((r) => (r.group ?? '') === groupOfObject(obj) && r.kind === obj.kind
    && r.name === obj.metadata.name && (!r.namespace || r.namespace === (obj.metadata.namespace ?? '')));
}

function groupOfObject(obj: KubeObject): string {
  const i = obj.apiVersion.indexOf('/');
  return i < 0 ? '' : obj.apiVersion.slice(0, i);
}

/** The options an operation syncs with: its own, else the app's. */
export function operationSyncOptions(op: Operation, specSyncOptions: readonly string[]): readonly string[] {
  const own = op.sync?.syncOptions;
  return own && own.length > 0 ? own : specSyncOptions;
}

export async function processOperation(ctx: OperationContext): Promise<OperationStep> {
  const now = ctx.now.toISOString();
  let state: OperationState = ctx.state ?? { operation: ctx.operation, phase: 'Running', startedAt: now };
  if (state.phase === 'Terminating') return terminate(ctx, state, now);
  if (state.finishedAt !== undefined) {
    // A failed attempt waiting for its retry.
    const waitMs = retryDueAt(state) - ctx.now.getTime();
    if (waitMs > 0) return { state, completed: false, retryInMs: waitMs };
    const { finishedAt: _f, syncResult: _r, ...fresh } = state;
    state = fresh;
  }
  const syncOptions = operationSyncOptions(ctx.operation, ctx.specSyncOptions);
  if (ctx.blockingConditions !== undefined && ctx.blockingConditions.length > 0) {
    return finishOrRetry(ctx, { ...state, phase: 'Error', message: ctx.blockingConditions.join(';') }, now);
  }
  if (syncOptions.includes('FailOnSharedResource=true') && (ctx.sharedResources?.length ?? 0) > 0) {
    return finishOrRetry(ctx, { ...state, phase: 'Failed', message: `Shared resource found: ${ctx.sharedResources![0]}` }, now);
  }
  const fixed = state.syncResult?.revisions ?? (state.syncResult?.revision ? [state.syncResult.revision] : undefined);
  let desired: DesiredState;
  try {
    desired = await ctx.prepare(fixed ?? requestedRevisions(ctx.operation));
  } catch (err) {
    return finishOrRetry(ctx, { ...state, phase: 'Error', message: describeError(err) }, now);
  }
  const sync = ctx.operation.sync ?? {};
  const include = selected(ctx.operation);
  const previousNs = state.syncResult?.managedNamespaceMetadata;
  const plan = planSync({
    resources: desired.resources, namespace: ctx.namespace, revision: desired.revisions[0] ?? '',
    startedAtUnix: Math.floor(Date.parse(state.startedAt) / 1000), syncOptions,
    skipHooks: include !== undefined || sync.syncStrategy?.apply !== undefined, dryRun: sync.dryRun ?? false,
    ...(include ? { include } : {}),
    ...(desired.isNamespaced ? { isNamespaced: desired.isNamespaced } : {}),
    ...(desired.isServed ? { isServed: desired.isServed } : {}),
    ...(ctx.liveNamespace ? { liveNamespace: ctx.liveNamespace } : {}),
    ...(ctx.managedNamespaceMetadata ? { managedNamespaceMetadata: ctx.managedNamespaceMetadata } : {}),
    ...(previousNs ? { previousManagedNamespaceMetadata: previousNs } : {}),
    ...(ctx.permissionError ? { permissionError: ctx.permissionError } : {}),
  });
  const outcome = await runSyncPass({
    tasks: plan.tasks, planErrors: plan.errors, recorded: (state.syncResult?.resources ?? []).map(toRecorded),
    ports: ctx.ports, prune: sync.prune ?? false, dryRun: sync.dryRun ?? false, syncOptions,
    strategyForce: sync.syncStrategy?.apply?.force ?? sync.syncStrategy?.hook?.force ?? false, namespace: ctx.namespace,
    ...(ctx.clientSideApplyMigrationManager ? { clientSideApplyMigrationManager: ctx.clientSideApplyMigrationManager } : {}),
    pruneConfirmed: deletionApproved(ctx.appAnnotations, state.startedAt),
  });
  state = {
    ...state, phase: outcome.phase, message: outcome.message,
    syncResult: {
      ...state.syncResult,
      revision: desired.revisions[0] ?? '',
      ...(desired.revisions.length > 1 ? { revisions: [...desired.revisions] } : {}),
      ...(ctx.managedNamespaceMetadata ? { managedNamespaceMetadata: ctx.managedNamespaceMetadata } : {}),
      resources: outcome.results.map((r) => ({ ...r })) as ResourceResultStatus[],
    },
  };
  if (!ctx.managedNamespaceMetadata && state.syncResult?.managedNamespaceMetadata) {
    const { managedNamespaceMetadata: _m, ...rest } = state.syncResult;
    state = { ...state, syncResult: rest };
  }
  return finishOrRetry(ctx, state, now);
}

function toRecorded(r: ResourceResultStatus): ResourceResult {
  return { ...r, message: r.message ?? '', syncPhase: r.syncPhase ?? 'Sync' };
}

/** When the recorded failed attempt may be retried: its finish time plus the backoff of that attempt. */
function retryDueAt(state: OperationState): number {
  const attempt = Math.max(0, (state.retryCount ?? 1) - 1);
  return Date.parse(state.finishedAt!) + (nextRetryDelay({ ...state.operation.retry, limit: -1 }, attempt) ?? 0);
}

/** "3:04PM", Go's time.Kitchen layout, in UTC. */
function kitchen(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  return `${h % 12 === 0 ? 12 : h % 12}:${String(d.getUTCMinutes()).padStart(2, '0')}${h < 12 ? 'AM' : 'PM'}`;
}

function finishOrRetry(ctx: OperationContext, state: OperationState, now: string): OperationStep {
  if (state.phase === 'Running') return { state, completed: false };
  if (state.phase !== 'Succeeded') {
    const retries = state.retryCount ?? 0;
    const delay = nextRetryDelay(ctx.operation.retry, retries);
    if (delay !== undefined) {
      const at = Date.parse(now) + delay;
      return {
        state: { ...state, phase: 'Running', finishedAt: now, retryCount: retries + 1,
          message: `${state.message ?? ''}. Retrying attempt #${retries + 1} at ${kitchen(at)}.` },
        completed: false, retryInMs: delay,
      };
    }
    if (retries > 0) state = { ...state, message: `${state.message ?? ''} (retried ${retries} times).` };
  }
  return { state: { ...state, finishedAt: now }, completed: true };
}

/**
 * Terminating: hook finalizers are removed, running hooks deleted (their
 * results say so), and the operation fails with "Operation terminated".
 */
async function terminate(ctx: OperationContext, state: OperationState, now: string): Promise<OperationStep> {
  let desired: DesiredState | undefined;
  try {
    desired = await ctx.prepare(state.syncResult?.revision ? [state.syncResult.revision] : undefined);
  } catch {
    desired = undefined;
  }
  const results = new SyncResults((state.syncResult?.resources ?? []).map(toRecorded));
  const policy = prunePropagationPolicy(operationSyncOptions(ctx.operation, ctx.specSyncOptions));
  let ok = true;
  for (const r of desired?.resources ?? []) {
    const live = r.live;
    if (live === undefined || !isHook(live)) continue;
    const health = ctx.ports.assessHealth(live);
    const running = health !== undefined && (health.status === 'Progressing' || health.status === 'Suspended');
    const recorded = results.list().find((x) => x.kind === live.kind && x.name === live.metadata.name
      && x.namespace === (live.metadata.namespace ?? ''));
    const task = newTask({ phase: recorded?.syncPhase ?? 'Sync', wave: 0, live, skipDryRun: false });
    try {
      await ctx.ports.removeHookFinalizer(live);
      if (running) {
        await ctx.ports.remove(live, { propagationPolicy: policy });
        results.set(task, recorded?.status, 'Succeeded', 'Deleted');
      }
    } catch (err) {
      if (!ctx.ports.isNotFound(err)) {
        ok = false;
        results.set(task, recorded?.status, 'Failed', `Failed to delete: ${describeError(err)}`);
      }
    }
  }
  const phase = ok ? 'Failed' : 'Error';
  const message = ok ? 'Operation terminated' : 'Operation termination had errors';
  const syncResult = state.syncResult ? { ...state.syncResult, resources: results.list() as ResourceResultStatus[] } : undefined;
  return { state: { ...state, phase, message, finishedAt: now, ...(syncResult ? { syncResult } : {}) }, completed: true };
}
