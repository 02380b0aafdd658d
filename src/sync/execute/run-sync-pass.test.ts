// The sync state machine driven pass by pass over an in-memory object store
// that stands in for the API server (the real-cluster tests live in
// test/integration). Each pass re-plans from the store, as the controller does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resourceKey, type KubeObject } from '../../api/kube-object.ts';
import { planSync } from '../plan/plan-sync.ts';
import { cm, deploy, job } from '../plan/test-objects.ts';
import { runSyncPass, type SyncPassOutcome } from './run-sync-pass.ts';
import type { ResourceResult } from './sync-result.ts';
import { MemoryStore } from './memory-store.ts';

interface Run { store: MemoryStore; recorded: ResourceResult[]; pass(): Promise<SyncPassOutcome> }

function syncOf(desired: KubeObject[], store = new MemoryStore(), options: { prune?: boolean; dryRun?: boolean; pruneConfirmed?: () => boolean } = {}): Run {
  const run: Run = {
    store, recorded: [],
    async pass() {
      const desiredKeys = new Set(desired.map((d) => resourceKey(d)));
      const resources: Array<{ target?: KubeObject; live?: KubeObject }> = [
        ...desired.map((target) => {
          const live = store.objects.get(resourceKey(target));
          return live === undefined ? { target } : { target, live };
        }),
        ...[...store.objects.values()].filter((o) => !desiredKeys.has(resourceKey(o))).map((live) => ({ live })),
      ];
      const plan = planSync({ resources, namespace: 'app', revision: 'abcdef0123', startedAtUnix: 100 });
      const outcome = await runSyncPass({ tasks: plan.tasks, planErrors: plan.errors, recorded: run.recorded,
        ports: store.ports(), prune: options.prune ?? false, dryRun: options.dryRun ?? false, syncOptions: [], namespace: 'app',
        ...(options.pruneConfirmed ? { pruneConfirmed: options.pruneConfirmed() } : {}) });
      run.recorded = outcome.results;
      return outcome;
    },
  };
  return run;
}

test('a single wave is validated, applied and done in one pass', async () => {
  const run = syncOf([cm('a'), cm('b')]);
  const out = await run.pass();
  assert.deepEqual([out.phase, out.message], ['Succeeded', 'successfully synced (all tasks run)']);
  assert.deepEqual(run.store.log, ['dry-run ConfigMap/a', 'dry-run ConfigMap/b', 'apply ConfigMap/a', 'apply ConfigMap/b']);
  assert.deepEqual(out.results.map((r) => [r.name, r.status, r.hookPhase, r.message]),
    [['a', 'Synced', 'Running', 'configmap/a serverside-applied'], ['b', 'Synced', 'Running', 'configmap/b serverside-applied']]);
});

test('the next wave waits until the previous wave is healthy', async () => {
  const run = syncOf([deploy('web'), cm('after', { 'argocd.argoproj.io/sync-wave': '1' })]);
  run.store.health.set('web', { status: 'Progressing', message: 'Waiting for rollout to finish' });
  let out = await run.pass();
  assert.deepEqual([out.phase, out.message], ['Running', 'waiting for healthy state of /ConfigMap/after']);
  out = await run.pass();
  assert.deepEqual([out.phase, out.message], ['Running', 'waiting for healthy state of apps/Deployment/web']);
  assert.ok(!run.store.log.includes('apply ConfigMap/after'));
  run.store.health.set('web', { status: 'Healthy' });
  out = await run.pass();
  assert.equal(out.phase, 'Succeeded');
  assert.deepEqual(run.store.log.filter((l) => l.startsWith('apply')), ['apply Deployment/web', 'apply ConfigMap/after']);
});

test('a failed PreSync hook stops the sync and runs the SyncFail hook', async () => {
  const run = syncOf([job('migrate', { 'argocd.argoproj.io/hook': 'PreSync' }), cm('app'),
    job('cleanup', { 'argocd.argoproj.io/hook': 'SyncFail' })]);
  run.store.health.set('migrate', { status: 'Progressing', message: 'running' });
  let out = await run.pass();
  assert.deepEqual([out.phase, out.message], ['Running', 'waiting for completion of hook batch/Job/migrate and 1 more hooks']);
  run.store.health.set('migrate', { status: 'Degraded', message: 'Job has reached the specified backoff limit' });
  out = await run.pass();
  assert.equal(out.phase, 'Running', 'SyncFail hook started');
  assert.ok(run.store.log.includes('apply Job/cleanup'));
  assert.ok(!run.store.log.includes('apply ConfigMap/app'), 'the Sync phase never ran');
  run.store.health.set('cleanup', { status: 'Healthy' });
  out = await run.pass();
  assert.equal(out.phase, 'Failed');
  assert.match(out.message, /one or more synchronization tasks completed unsuccessfully/);
  const migrate = out.results.find((r) => r.name === 'migrate')!;
  assert.deepEqual([migrate.hookType, migrate.hookPhase, migrate.message], ['PreSync', 'Failed', 'Job has reached the specified backoff limit']);
  assert.equal(run.store.objects.get('batch/Job/app/migrate')?.metadata.finalizers?.length, 0, 'hook finalizer removed');
});

test('a rejected object fails the dry run before anything changes', async () => {
  const run = syncOf([cm('good'), cm('bad')]);
  run.store.rejectApply.add('bad');
  const out = await run.pass();
  assert.deepEqual([out.phase, out.message], ['Failed', 'one or more objects failed to apply (dry run)']);
  assert.equal(run.store.objects.size, 0);
  assert.match(out.results.find((r) => r.name === 'bad')!.message, /admission webhook denied bad/);
});

test('recorded results resume an operation without applying a finished wave again', async () => {
  const desired = [deploy('web'), cm('after', { 'argocd.argoproj.io/sync-wave': '1' })];
  const first = syncOf(desired);
  first.store.health.set('web', { status: 'Progressing' });
  await first.pass();
  // A new controller picks up the recorded results and the same cluster.
  const resumed = syncOf(desired, first.store);
  resumed.recorded = first.recorded;
  first.store.log.length = 0;
  first.store.health.set('web', { status: 'Healthy' });
  const out = await resumed.pass();
  assert.equal(out.phase, 'Succeeded');
  assert.deepEqual(first.store.log, ['apply ConfigMap/after'], 'no dry run and no second apply of wave 0');
});

test('prune removes extra objects only when asked; Prune=false keeps them', async () => {
  const store = new MemoryStore();
  for (const o of [cm('old'), cm('kept', { 'argocd.argoproj.io/sync-options': 'Prune=false' })]) store.objects.set(resourceKey(o), o);
  let out = await syncOf([cm('new')], store).pass();
  assert.equal(out.phase, 'Succeeded');
  assert.deepEqual(out.results.filter((r) => r.status === 'PruneSkipped').map((r) => [r.name, r.message]).sort(),
    [['kept', 'ignored (requires pruning)'], ['old', 'ignored (requires pruning)']]);
  out = await syncOf([cm('new')], store, { prune: true }).pass();
  assert.deepEqual(out.results.filter((r) => r.name !== 'new').map((r) => [r.name, r.status, r.message]).sort(),
    [['kept', 'PruneSkipped', 'ignored (no prune)'], ['old', 'Pruned', 'pruned']]);
  assert.deepEqual([...store.objects.keys()].sort(), ['/ConfigMap/app/kept', '/ConfigMap/app/new']);
});

test('Prune=confirm holds the step (its prunes and applies) until the deletion is approved', async () => {
  const store = new MemoryStore();
  for (const o of [cm('guarded', { 'argocd.argoproj.io/sync-options': 'Prune=confirm' }), cm('guarded-2', { 'argocd.argoproj.io/sync-options': 'Prune=confirm' }),
    cm('plain')]) store.objects.set(resourceKey(o), o);
  let approved = false;
  const run = syncOf([cm('new')], store, { prune: true, pruneConfirmed: () => approved });
  let out = await run.pass();
  assert.deepEqual([out.phase, out.message], ['Running', 'Waiting for pruning confirmation of v1/ConfigMap/guarded and 1 more resources']);
  out = await run.pass();
  assert.equal(out.phase, 'Running', 'still waiting');
  assert.deepEqual(run.store.log.filter((l) => !l.startsWith('dry-run')), [], 'nothing pruned or applied meanwhile');
  approved = true;
  out = await run.pass();
  assert.equal(out.phase, 'Succeeded');
  assert.deepEqual([...store.objects.keys()].sort(), ['/ConfigMap/app/new']);
  // Without prune the guarded object is skipped as any other: nothing to confirm.
  const kept = new MemoryStore();
  kept.objects.set(resourceKey(cm('guarded', { 'argocd.argoproj.io/sync-options': 'Prune=confirm' })), cm('guarded', { 'argocd.argoproj.io/sync-options': 'Prune=confirm' }));
  assert.equal((await syncOf([cm('new')], kept, { pruneConfirmed: () => false }).pass()).phase, 'Succeeded');
});

test('a dry-run operation changes nothing and reports success', async () => {
  const store = new MemoryStore();
  store.objects.set(resourceKey(cm('old')), cm('old'));
  const out = await syncOf([cm('new')], store, { prune: true, dryRun: true }).pass();
  assert.equal(out.phase, 'Succeeded');
  assert.deepEqual([...store.objects.keys()], ['/ConfigMap/app/old']);
  assert.deepEqual(out.results.map((r) => [r.name, r.status, r.hookPhase, r.message]).sort(),
    [['new', 'Synced', 'Succeeded', 'configmap/new serverside-applied'], ['old', 'Pruned', 'Succeeded', 'pruned (dry run)']]);
});

test('the wave delay comes between waves, never after the last one', async () => {
  const run = syncOf([cm('a'), cm('b', { 'argocd.argoproj.io/sync-wave': '1' }), cm('c', { 'argocd.argoproj.io/sync-wave': '2' })]);
  for (let i = 0; i < 5 && (await run.pass()).phase === 'Running'; i++);
  assert.deepEqual(run.store.log.filter((l) => !l.startsWith('dry-run')),
    ['apply ConfigMap/a', 'wave delay', 'apply ConfigMap/b', 'wave delay', 'apply ConfigMap/c']);
});
