// Advancing an Application's requested operation by one sync pass, as Argo
// CD's controller does: a new operation gets a Running state and a start
// time; the commit it syncs is fixed in `syncResult.revision` the first time,
// so a resumed operation (after a restart) syncs the same commit with the same
// hook names; a Terminating operation deletes its running hooks and fails; a
// failed one is retried when its retry strategy allows.
import type { KubeObject } from '../api/kube-object.ts';
import type { Operation, OperationState, ResourceResultStatus } from '../api/application-status.ts';
import { planSync, type ManagedNamespaceMetadata, type PlanResource } from '../sync/plan/plan-sync.ts';
import { runSyncPass } from '../sync/execute/run-sync-pass.ts';
import type { SyncPorts } from '../sync/execute/sync-ports.ts';
import { isHook } from '../sync/plan/hooks.ts';
import { nextRetryDelay } from '../status/retry.ts';
import { describeError } from '../errors.ts';

export interface DesiredState {
  /** Target and live object per key, hooks included. */
  readonly resources: readonly PlanResource[];
  /** Resolved commit(s). */
  readonly revisions: readonly string[];
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
  readonly isNamespaced?: (obj: KubeObject) => boolean | undefined;
  readonly isServed?: (obj: KubeObject) => boolean;
  readonly liveNamespace?: KubeObject;
  readonly now: Date;
}

export interface OperationStep {
  readonly state: OperationState;
  /** The operation is over: clear `operation`, and record history when it succeeded. */
  readonly completed: boolean;
  /** Run the next pass after this long (retry backoff), when not completed. */
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

export async function processOperation(ctx: OperationContext): Promise<OperationStep> {
  const now = ctx.now.toISOString();
  let state: OperationState = ctx.state ?? { operation: ctx.operation, phase: 'Running', startedAt: now };
  if (state.phase === 'Terminating') return terminate(ctx, state, now);
  const fixed = state.syncResult?.revisions ?? (state.syncResult?.revision ? [state.syncResult.revision] : undefined);
  let desired: DesiredState;
  try {
    desired = await ctx.prepare(fixed ?? requestedRevisions(ctx.operation));
  } catch (err) {
    return finishOrRetry(ctx, { ...state, phase: 'Error', message: describeError(err) }, now);
  }
  const sync = ctx.operation.sync ?? {};
  const syncOptions = sync.syncOptions && sync.syncOptions.length > 0 ? sync.syncOptions : ctx.specSyncOptions;
  const include = selected(ctx.operation);
  const plan = planSync({
    resources: desired.resources, namespace: ctx.namespace, revision: desired.revisions[0] ?? '',
    startedAtUnix: Math.floor(Date.parse(state.startedAt) / 1000), syncOptions,
    skipHooks: include !== undefined || sync.syncStrategy?.apply !== undefined,
    ...(include ? { include } : {}),
    ...(ctx.isNamespaced ? { isNamespaced: ctx.isNamespaced } : {}),
    ...(ctx.isServed ? { isServed: ctx.isServed } : {}),
    ...(ctx.liveNamespace ? { liveNamespace: ctx.liveNamespace } : {}),
    ...(ctx.managedNamespaceMetadata ? { managedNamespaceMetadata: ctx.managedNamespaceMetadata } : {}),
  });
  const outcome = await runSyncPass({
    tasks: plan.tasks, planErrors: plan.errors, recorded: (state.syncResult?.resources ?? []).map(toRecorded),
    ports: ctx.ports, prune: sync.prune ?? false, dryRun: sync.dryRun ?? false, syncOptions,
    strategyForce: sync.syncStrategy?.apply?.force ?? sync.syncStrategy?.hook?.force ?? false, namespace: ctx.namespace,
  });
  state = {
    ...state, phase: outcome.phase, message: outcome.message,
    syncResult: {
      ...state.syncResult,
      revision: desired.revisions[0] ?? '',
      ...(desired.revisions.length > 1 ? { revisions: [...desired.revisions] } : {}),
      resources: outcome.results.map((r) => ({ ...r })) as ResourceResultStatus[],
    },
  };
  return finishOrRetry(ctx, state, now);
}

function toRecorded(r: ResourceResultStatus) {
  return { ...r, message: r.message ?? '', syncPhase: r.syncPhase ?? 'Sync' };
}

function finishOrRetry(ctx: OperationContext, state: OperationState, now: string): OperationStep {
  if (state.phase === 'Running') return { state, completed: false };
  if (state.phase !== 'Succeeded') {
    const retries = state.retryCount ?? 0;
    const delay = nextRetryDelay(ctx.operation.retry, retries);
    if (delay !== undefined) {
      const at = new Date(Date.parse(now) + delay).toISOString();
      const { syncResult: _dropped, ...rest } = state;
      return {
        state: { ...rest, phase: 'Running', retryCount: retries + 1,
          message: `${state.message ?? ''}. Retrying attempt #${retries + 1} at ${at}.` },
        completed: false, retryInMs: delay,
      };
    }
  }
  return { state: { ...state, finishedAt: now }, completed: true };
}

/** Terminating: running hooks are deleted, the operation fails with "Operation terminated". */
async function terminate(ctx: OperationContext, state: OperationState, now: string): Promise<OperationStep> {
  let desired: DesiredState | undefined;
  try {
    desired = await ctx.prepare(state.syncResult?.revision ? [state.syncResult.revision] : undefined);
  } catch {
    desired = undefined;
  }
  let ok = true;
  for (const r of desired?.resources ?? []) {
    const live = r.live;
    if (live === undefined || !isHook(live)) continue;
    const health = ctx.ports.assessHealth(live);
    try {
      await ctx.ports.removeHookFinalizer(live);
      if (health !== undefined && (health.status === 'Progressing' || health.status === 'Suspended')) {
        await ctx.ports.remove(live, { propagationPolicy: 'foreground' });
      }
    } catch (err) {
      if (!ctx.ports.isNotFound(err)) ok = false;
    }
  }
  const phase = ok ? 'Failed' : 'Error';
  const message = ok ? 'Operation terminated' : 'Operation termination had errors';
  return { state: { ...state, phase, message, finishedAt: now }, completed: true };
}
