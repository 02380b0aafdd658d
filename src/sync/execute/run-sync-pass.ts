// One pass of a sync operation, re-entrant like Argo CD's sync state machine:
// called again and again with the tasks planned from the current live state
// and the results recorded so far, it validates everything once (dry run),
// follows running tasks by health, waits between waves, runs the first
// pending phase and wave, and finishes Succeeded or Failed (running SyncFail
// hooks first). Recorded results make a restarted controller continue where
// the previous one stopped.
import { describeError } from '../../errors.ts';
import { syncOptions } from '../../api/sync-annotations.ts';
import { groupOf, type KubeObject } from '../../api/kube-object.ts';
import type { PlanError } from '../plan/plan-sync.ts';
import { hookDeletePolicies } from '../plan/hooks.ts';
import { hasResourceOption, prunePropagationPolicy } from '../plan/sync-options.ts';
import { decidePrune } from '../plan/task-actions.ts';
import { isPruneTask, taskIdentity, taskObject, type SyncTask } from '../plan/sync-task.ts';
import { runTasks, type RunContext } from './run-tasks.ts';
import {
  isCompleted, isRunning, isSuccessful, SyncResults, taskPhase, type OperationPhase, type ResourceResult,
} from './sync-result.ts';
import type { HealthResult, SyncPorts } from './sync-ports.ts';

export interface SyncPassInput {
  readonly tasks: readonly SyncTask[];
  readonly planErrors: readonly PlanError[];
  readonly recorded: readonly ResourceResult[];
  readonly ports: SyncPorts;
  readonly prune: boolean;
  readonly dryRun: boolean;
  readonly syncOptions: readonly string[];
  readonly strategyForce?: boolean;
  readonly clientSideApplyMigrationManager?: string;
  /** Destination namespace (for the CreateNamespace step). */
  readonly namespace: string;
  /** The app's `deletion-approved` annotation is newer than the operation: Prune=confirm objects may go. */
  readonly pruneConfirmed?: boolean;
}

export interface SyncPassOutcome {
  readonly phase: OperationPhase;
  readonly message: string;
  readonly results: ResourceResult[];
}

interface Pass {
  readonly ctx: RunContext;
  readonly pruneConfirmed: boolean;
  phase: OperationPhase;
  message: string;
}

export async function runSyncPass(input: SyncPassInput): Promise<SyncPassOutcome> {
  const results = new SyncResults(input.recorded);
  const pass: Pass = {
    ctx: { ports: input.ports, results, prune: input.prune, dryRun: input.dryRun, syncOptions: input.syncOptions,
      strategyForce: input.strategyForce ?? false,
      ...(input.clientSideApplyMigrationManager ? { clientSideApplyMigrationManager: input.clientSideApplyMigrationManager } : {}) },
    pruneConfirmed: input.pruneConfirmed ?? false, phase: 'Running', message: '',
  };
  await advance(pass, input);
  return { phase: pass.phase, message: pass.message, results: results.list() };
}

async function advance(pass: Pass, input: SyncPassInput): Promise<void> {
  const { ctx } = pass;
  if (input.planErrors.length > 0) {
    for (const e of input.planErrors) ctx.results.set(e.task, 'SyncFailed', undefined, e.message);
    return finish(pass, 'Failed', 'one or more synchronization tasks are not valid');
  }
  let tasks = [...input.tasks];
  if (ctx.results.size === 0 && !(await validateFirst(pass, tasks, input.namespace))) return;

  followRunningTasks(ctx, tasks);
  const multiStep = isMultiStep(tasks);
  const running = tasks.filter((t) => (multiStep || t.hook) && isRunning(taskPhase(ctx.results, t)));
  if (running.length > 0) return setWaiting(pass, running, false);
  const deleting = tasks.filter((t) => isPruneTask(t) && ctx.results.get(t)?.status === 'Pruned'
    && t.live?.metadata.deletionTimestamp !== undefined);
  if (deleting.length > 0) return setWaiting(pass, deleting, true);

  await removeFinalizersOfCompletedHooks(ctx, tasks);
  const done = (t: SyncTask): boolean => t.hook && t.live !== undefined && !isRunning(taskPhase(ctx.results, t));
  const deleteOnSuccess = tasks.filter((t) => done(t) && hookDeletePolicies(taskObject(t)).includes('HookSucceeded'));
  const deleteOnFailure = tasks.filter((t) => done(t) && hookDeletePolicies(taskObject(t)).includes('HookFailed'));
  const syncFail = tasks.filter((t) => t.phase === 'SyncFail');
  tasks = tasks.filter((t) => t.phase !== 'SyncFail');

  if (tasks.some((t) => isCompleted(taskPhase(ctx.results, t)) && !isSuccessful(taskPhase(ctx.results, t)))) {
    await deleteHooks(ctx, deleteOnFailure);
    return operationFailed(pass, syncFail, failedTasks(ctx, tasks), 'one or more synchronization tasks completed unsuccessfully');
  }
  const pending = tasks.filter((t) => taskPhase(ctx.results, t) === undefined && ctx.results.get(t)?.status === undefined);
  if (pending.length === 0) {
    await deleteHooks(ctx, deleteOnSuccess);
    return finish(pass, 'Succeeded', 'successfully synced (no more tasks)');
  }
  await runFirstStep(pass, pending, { syncFail, deleteOnSuccess, deleteOnFailure });
}

async function runFirstStep(pass: Pass, pending: SyncTask[],
  cleanup: { syncFail: SyncTask[]; deleteOnSuccess: SyncTask[]; deleteOnFailure: SyncTask[] }): Promise<void> {
  const { ctx } = pass;
  const first = pending[0]!;
  const last = pending.at(-1)!;
  const finalStep = first.phase === last.phase && first.wave === last.wave;
  const inStep = (t: SyncTask): boolean => t.phase === first.phase && t.wave === first.wave;
  const remaining = pending.filter((t) => !inStep(t) || t.hook);
  const step = pending.filter(inStep);
  pass.phase = 'Running';
  // As Argo CD: a step that would prune a Prune=confirm object waits, whole, for the app's deletion-approved annotation.
  const unconfirmed = pass.pruneConfirmed || ctx.dryRun ? [] : step.filter((t) => isPruneTask(t)
    && hasResourceOption(t.live, syncOptions.pruneConfirm) && decidePrune(t.live!, ctx.prune, false, ctx.syncOptions).action === 'delete');
  if (unconfirmed.length > 0) {
    const first = unconfirmed[0]!.live!;
    pass.message = `Waiting for pruning confirmation of ${first.apiVersion}/${first.kind}/${first.metadata.name ?? ''}`
      + (unconfirmed.length > 1 ? ` and ${unconfirmed.length - 1} more resources` : '');
    return;
  }
  pass.message = 'one or more tasks are running';
  const state = await runTasks(ctx, step, false);
  if (state !== 'failed' && !finalStep && !ctx.dryRun) await ctx.ports.waveDelay();
  if (state === 'failed') {
    await deleteHooks(ctx, cleanup.deleteOnFailure);
    return operationFailed(pass, cleanup.syncFail, failedTasks(ctx, step), 'one or more objects failed to apply');
  }
  if (state === 'successful') {
    if (remaining.length === 0) {
      await deleteHooks(ctx, cleanup.deleteOnSuccess);
      return finish(pass, 'Succeeded', 'successfully synced (all tasks run)');
    }
    return setWaiting(pass, remaining, false);
  }
  setWaiting(pass, step.filter((t) => t.hook && t.live !== undefined), true);
}

/** First pass only: create the destination namespace if needed, then dry-run everything. */
async function validateFirst(pass: Pass, tasks: SyncTask[], namespace: string): Promise<boolean> {
  const { ctx } = pass;
  let dryRunTasks = tasks;
  const nsTask = tasks.find((t) => t.live === undefined && t.target?.kind === 'Namespace'
    && groupOf(t.target.apiVersion) === '' && t.target.metadata.name === namespace);
  if (nsTask !== undefined) {
    if (await runTasks(ctx, [nsTask], false) === 'failed') {
      operationFailed(pass, [], [nsTask], 'the namespace failed to apply');
      return false;
    }
    dryRunTasks = tasks.filter((t) => t !== nsTask);
  }
  if (await runTasks(ctx, dryRunTasks, true) === 'failed') {
    finish(pass, 'Failed', 'one or more objects failed to apply (dry run)');
    return false;
  }
  return true;
}

/** Running tasks follow their live object's health: hooks to completion, others to Healthy. */
function followRunningTasks(ctx: RunContext, tasks: readonly SyncTask[]): void {
  for (const task of tasks) {
    if (!isRunning(taskPhase(ctx.results, task)) || task.live === undefined) continue;
    let health: HealthResult | undefined;
    try {
      health = ctx.ports.assessHealth(task.live);
    } catch (err) {
      if (task.hook) ctx.results.set(task, undefined, 'Error', `failed to get resource health: ${describeError(err)}`);
      continue;
    }
    const status = ctx.results.get(task)?.status;
    if (task.hook) {
      const [phase, message] = hookPhase(task.live, health);
      ctx.results.set(task, status, phase, message);
    } else if (health === undefined) {
      ctx.results.set(task, status, 'Succeeded', '');
    } else if (health.status === 'Healthy') {
      ctx.results.set(task, status, 'Succeeded', health.message ?? '');
    } else if (health.status === 'Degraded') {
      ctx.results.set(task, status, 'Failed', health.message ?? '');
    }
  }
}

/** A hook's phase from its health: Healthy → Succeeded, Progressing/Suspended → Running, else Failed. */
function hookPhase(live: KubeObject, health: HealthResult | undefined): [OperationPhase, string] {
  if (health === undefined) return ['Succeeded', `${live.metadata.name ?? ''} created`];
  switch (health.status) {
    case 'Healthy': return ['Succeeded', health.message ?? ''];
    case 'Progressing': case 'Suspended': return ['Running', health.message ?? ''];
    case 'Degraded': case 'Unknown': return ['Failed', health.message ?? ''];
    default: return ['Succeeded', `${live.metadata.name ?? ''} created`];
  }
}

function isMultiStep(tasks: readonly SyncTask[]): boolean {
  if (tasks.length === 0) return false;
  const [first, last] = [tasks[0]!, tasks.at(-1)!];
  return first.wave !== last.wave || first.phase !== last.phase;
}

async function removeFinalizersOfCompletedHooks(ctx: RunContext, tasks: readonly SyncTask[]): Promise<void> {
  for (const task of tasks.filter((t) => t.hook && t.live !== undefined && isCompleted(taskPhase(ctx.results, t)))) {
    try {
      await ctx.ports.removeHookFinalizer(task.live!);
    } catch (err) {
      ctx.results.set(task, ctx.results.get(task)?.status, 'Error', `Failed to remove hook finalizer: ${describeError(err)}`);
    }
  }
}

async function deleteHooks(ctx: RunContext, tasks: readonly SyncTask[]): Promise<void> {
  if (ctx.dryRun) return;
  for (const task of tasks) {
    try {
      await ctx.ports.remove(task.live!, { propagationPolicy: prunePropagationPolicy(ctx.syncOptions) });
    } catch (err) {
      if (!ctx.ports.isNotFound(err)) ctx.results.set(task, undefined, 'Error', `failed to delete resource: ${describeError(err)}`);
    }
  }
}

function failedTasks(ctx: RunContext, tasks: readonly SyncTask[]): SyncTask[] {
  return tasks.filter((t) => ctx.results.get(t)?.status === 'SyncFailed');
}

/** Fails the operation, running the SyncFail hooks first when there are any not yet run. */
async function operationFailed(pass: Pass, syncFail: SyncTask[], failed: SyncTask[], message: string): Promise<void> {
  const reasons = [...new Set(failed.map((t) => pass.ctx.results.get(t)?.message ?? ''))];
  const full = reasons.length > 0 ? `${message}, reason: ${reasons.join(',')}` : message;
  if (syncFail.length === 0 || syncFail.every((t) => isCompleted(taskPhase(pass.ctx.results, t)))) {
    return finish(pass, 'Failed', full);
  }
  // Start the SyncFail hooks and stay Running: the next pass follows them to completion.
  pass.message = full;
  if (await runTasks(pass.ctx, syncFail, false) === 'failed') {
    const hookReasons = failedTasks(pass.ctx, syncFail).map((t) => pass.ctx.results.get(t)?.message ?? '');
    const suffix = hookReasons.length > 0 ? `one or more SyncFail hooks failed, reason: ${hookReasons.join(',')}` : 'one or more SyncFail hooks failed';
    finish(pass, 'Failed', `${full}\n${suffix}`);
  }
}

function setWaiting(pass: Pass, tasks: readonly SyncTask[], deletion: boolean): void {
  if (tasks.length === 0) return;
  const first = tasks[0]!;
  const id = taskIdentity(first);
  const what = deletion ? 'deletion of' : first.hook ? 'completion of hook' : 'healthy state of';
  const more = tasks.length > 1 ? ` and ${tasks.length - 1} more ${first.hook ? 'hooks' : 'resources'}` : '';
  finish(pass, 'Running', `waiting for ${what} ${id.group}/${id.kind}/${id.name}${more}`);
}

function finish(pass: Pass, phase: OperationPhase, message: string): void {
  pass.phase = phase;
  pass.message = message;
}
