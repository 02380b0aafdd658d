// Running the tasks of one step, as Argo CD's sync engine does: prunes first
// (in parallel), then deletion of hooks with BeforeHookCreation that still
// exist (after which the step waits for the next pass), then applies in
// groups of consecutive tasks of one kind, each group in parallel.
import { describeError } from '../../errors.ts';
import { hookDeletePolicies } from '../plan/hooks.ts';
import { decideApplyMode, decidePrune, type ResultCode } from '../plan/task-actions.ts';
import { prunePropagationPolicy } from '../plan/sync-options.ts';
import { isPruneTask, taskObject, type SyncTask } from '../plan/sync-task.ts';
import { taskPhase, type OperationPhase, type SyncResults } from './sync-result.ts';
import type { SyncPorts } from './sync-ports.ts';

export type RunState = 'successful' | 'pending' | 'failed';

export interface RunContext {
  readonly ports: SyncPorts;
  readonly results: SyncResults;
  readonly prune: boolean;
  /** The operation is a dry run (nothing changes; applies validate only). */
  readonly dryRun: boolean;
  readonly syncOptions: readonly string[];
  readonly strategyForce: boolean;
  /** The app's client-side apply migration manager annotation. */
  readonly clientSideApplyMigrationManager?: string;
}

const phaseOfResult: Readonly<Record<ResultCode, OperationPhase>> = {
  Synced: 'Running', SyncFailed: 'Failed', Pruned: 'Succeeded', PruneSkipped: 'Succeeded',
};

function combine(a: RunState, b: RunState): RunState {
  if (a === 'failed' || b === 'failed') return 'failed';
  return a === 'pending' || b === 'pending' ? 'pending' : 'successful';
}

export function deletesBeforeCreation(task: SyncTask, results: SyncResults): boolean {
  return task.hook && task.live !== undefined && taskPhase(results, task) === undefined
    && hookDeletePolicies(taskObject(task)).includes('BeforeHookCreation');
}

async function pruneOne(ctx: RunContext, task: SyncTask, dryRun: boolean): Promise<RunState> {
  const live = task.live!;
  const decision = decidePrune(live, ctx.prune, dryRun, ctx.syncOptions);
  let code: ResultCode;
  let message: string;
  if (decision.action === 'skip') {
    ({ code, message } = decision);
  } else if (decision.dryRun) {
    [code, message] = ['Pruned', 'pruned (dry run)'];
  } else {
    try {
      // An object already being deleted is not deleted again (no update hot loop).
      if (live.metadata.deletionTimestamp === undefined) {
        await ctx.ports.remove(live, { propagationPolicy: prunePropagationPolicy(ctx.syncOptions) });
      }
      [code, message] = ['Pruned', 'pruned'];
    } catch (err) {
      [code, message] = ctx.ports.isNotFound(err) ? ['Pruned', 'pruned'] : ['SyncFailed', describeError(err)];
    }
  }
  if (!dryRun || ctx.dryRun || code === 'SyncFailed') ctx.results.set(task, code, phaseOfResult[code], message);
  return code === 'SyncFailed' ? 'failed' : 'successful';
}

async function applyOne(ctx: RunContext, task: SyncTask, dryRun: boolean): Promise<RunState> {
  const target = task.target!;
  const mode = decideApplyMode(target, { appOptions: ctx.syncOptions, strategyForce: ctx.strategyForce,
    ...(ctx.clientSideApplyMigrationManager ? { clientSideApplyMigrationManager: ctx.clientSideApplyMigrationManager } : {}) });
  let code: ResultCode = 'Synced';
  let message: string;
  try {
    message = await ctx.ports.apply(target, { dryRun, mode, ...(task.live ? { live: task.live } : {}) });
  } catch (err) {
    [code, message] = ['SyncFailed', describeError(err)];
  }
  if (!dryRun || ctx.dryRun || code === 'SyncFailed') {
    let phase = phaseOfResult[code];
    // Nothing is created in a dry-run operation: a validated object counts as done.
    if (ctx.dryRun && phase === 'Running') phase = 'Succeeded';
    ctx.results.set(task, code, phase, message);
  }
  return code === 'SyncFailed' ? 'failed' : 'successful';
}

async function deleteHooksFirst(ctx: RunContext, tasks: readonly SyncTask[], dryRun: boolean): Promise<RunState> {
  const outcomes = await Promise.all(tasks.map(async (task): Promise<RunState> => {
    if (dryRun) return 'successful';
    try {
      await ctx.ports.remove(task.live!, { propagationPolicy: prunePropagationPolicy(ctx.syncOptions) });
      return 'pending';
    } catch (err) {
      if (ctx.ports.isNotFound(err)) return 'successful';
      ctx.results.set(task, undefined, 'Error', `failed to delete resource: ${describeError(err)}`);
      return 'failed';
    }
  }));
  return outcomes.reduce(combine, 'successful');
}

/** Runs the given tasks once; dry-run validates without changing anything. */
export async function runTasks(ctx: RunContext, tasks: readonly SyncTask[], dryRunStep: boolean): Promise<RunState> {
  const dryRun = dryRunStep || ctx.dryRun;
  const prunes = tasks.filter(isPruneTask);
  const applies = tasks.filter((t) => !isPruneTask(t));
  let state = (await Promise.all(prunes.map((t) => pruneOne(ctx, t, dryRun)))).reduce(combine, 'successful' as RunState);
  if (state !== 'successful') return state;
  const hooksToDelete = applies.filter((t) => deletesBeforeCreation(t, ctx.results));
  if (hooksToDelete.length > 0) state = await deleteHooksFirst(ctx, hooksToDelete, dryRun);
  if (state !== 'successful') return state;
  for (const group of groupByConsecutiveKind(applies)) {
    // In a dry-run operation an object the server cannot validate yet (kind or namespace still missing) is reported as such.
    for (const t of group) {
      if (dryRun && t.skipDryRun && !dryRunStep) {
        ctx.results.set(t, 'Synced', 'Succeeded', `${taskObject(t).kind}/${taskObject(t).metadata.name ?? ''} not validated (dry run): its kind or namespace does not exist yet`);
      }
    }
    const runnable = group.filter((t) => !(dryRun && t.skipDryRun));
    const outcomes = await Promise.all(runnable.map((t) => applyOne(ctx, t, dryRun)));
    state = outcomes.reduce(combine, state);
  }
  return state;
}

function groupByConsecutiveKind(tasks: readonly SyncTask[]): SyncTask[][] {
  const groups: SyncTask[][] = [];
  for (const task of tasks) {
    const last = groups.at(-1);
    if (last !== undefined && last[0]!.target!.kind === task.target!.kind) last.push(task);
    else groups.push([task]);
  }
  return groups;
}
