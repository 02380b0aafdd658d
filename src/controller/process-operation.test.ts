import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resourceKey, type KubeObject } from '../api/kube-object.ts';
import type { Operation, OperationState } from '../api/application-status.ts';
import { MemoryStore } from '../sync/execute/memory-store.ts';
import { cm, job } from '../sync/plan/test-objects.ts';
import { processOperation, type OperationContext } from './process-operation.ts';

/** A "repository": revisions → desired objects; pairs them with the store's live objects. */
function context(store: MemoryStore, repo: Record<string, KubeObject[]>, operation: Operation, state?: OperationState,
  now = new Date('2026-01-01T00:00:00Z')): OperationContext & { prepared: Array<readonly string[] | undefined> } {
  const prepared: Array<readonly string[] | undefined> = [];
  return {
    operation, ...(state ? { state } : {}), ports: store.ports(), namespace: 'app', specSyncOptions: [], now, prepared,
    prepare: async (revisions) => {
      prepared.push(revisions);
      const rev = revisions?.[0] ?? 'head';
      const desired = repo[rev];
      if (desired === undefined) throw new Error(`unknown revision ${rev}`);
      return { revisions: [rev], resources: desired.map((target) => {
        const live = store.objects.get(resourceKey(target));
        return live ? { target, live } : { target };
      }) };
    },
  };
}

test('an operation fixes its commit on the first pass and completes', async () => {
  const store = new MemoryStore();
  const step = await processOperation(context(store, { head: [cm('a')] }, { sync: {} }));
  assert.equal(step.completed, true);
  assert.equal(step.state.phase, 'Succeeded');
  assert.equal(step.state.syncResult?.revision, 'head');
  assert.equal(step.state.startedAt, '2026-01-01T00:00:00.000Z');
  assert.ok(step.state.finishedAt);
});

test('a resumed operation syncs the commit recorded in its state, not the newest', async () => {
  const store = new MemoryStore();
  store.health.set('migrate', { status: 'Progressing' });
  const repo = { head: [job('migrate', { 'argocd.argoproj.io/hook': 'PreSync' }), cm('a')], newer: [cm('b')] };
  const first = await processOperation(context(store, repo, { sync: {} }));
  assert.equal(first.completed, false);
  store.health.set('migrate', { status: 'Healthy' });
  repo.head = repo.head.slice();
  const again = context(store, { ...repo, head: repo.head }, { sync: {} }, first.state);
  const second = await processOperation(again);
  assert.deepEqual(again.prepared, [['head']], 'prepared at the recorded revision');
  assert.equal(second.state.phase, 'Succeeded');
});

test('a sync to an explicit revision (rollback) renders that revision', async () => {
  const store = new MemoryStore();
  const ctx = context(store, { head: [cm('new')], old1234: [cm('old')] }, { sync: { revision: 'old1234' } });
  const step = await processOperation(ctx);
  assert.equal(step.state.phase, 'Succeeded');
  assert.ok(store.objects.has('/ConfigMap/app/old'));
});

test('a failed operation waits for its retry (also across a restart), starts over, then fails for good', async () => {
  const store = new MemoryStore();
  store.rejectApply.add('bad');
  const op: Operation = { sync: {}, retry: { limit: 1, backoff: { duration: '5s' } } };
  const t0 = new Date('2026-01-01T13:04:00Z');
  const first = await processOperation(context(store, { head: [cm('bad')] }, op, undefined, t0));
  assert.deepEqual([first.completed, first.retryInMs, first.state.phase, first.state.retryCount], [false, 5000, 'Running', 1]);
  assert.equal(first.state.message, 'one or more objects failed to apply (dry run). Retrying attempt #1 at 1:04PM.');
  assert.equal(first.state.finishedAt, t0.toISOString(), 'the failed attempt is recorded, so the wait survives a restart');
  const early = context(store, { head: [cm('bad')] }, op, first.state, new Date(t0.getTime() + 2000));
  const waiting = await processOperation(early);
  assert.deepEqual([waiting.completed, waiting.retryInMs, early.prepared.length], [false, 3000, 0]);
  const second = await processOperation(context(store, { head: [cm('bad')] }, op, first.state, new Date(t0.getTime() + 5000)));
  assert.equal(second.completed, true);
  assert.equal(second.state.phase, 'Failed');
  assert.equal(second.state.message, 'one or more objects failed to apply (dry run) (retried 1 times).');
  assert.equal(second.state.syncResult?.resources?.[0]?.status, 'SyncFailed', 'the retry ran the dry run again from scratch');
});

test('an app with a comparison error, or a shared resource under FailOnSharedResource, does not sync', async () => {
  const store = new MemoryStore();
  const blocked = await processOperation({ ...context(store, { head: [cm('a')] }, { sync: {} }), blockingConditions: ['boom'] });
  assert.deepEqual([blocked.completed, blocked.state.phase, blocked.state.message], [true, 'Error', 'boom']);
  const shared = await processOperation({ ...context(store, { head: [cm('a')] }, { sync: { syncOptions: ['FailOnSharedResource=true'] } }),
    sharedResources: ['ConfigMap/a is part of applications argocd/x and y'] });
  assert.deepEqual([shared.state.phase, shared.state.message], ['Failed', 'Shared resource found: ConfigMap/a is part of applications argocd/x and y']);
  assert.equal(store.objects.size, 0);
  const allowed = await processOperation({ ...context(store, { head: [cm('a')] }, { sync: {} }), sharedResources: ['ConfigMap/a is shared'] });
  assert.equal(allowed.state.phase, 'Succeeded', 'without the option a shared resource is only a warning');
});

test('terminating deletes running hooks and fails the operation', async () => {
  const store = new MemoryStore();
  store.health.set('migrate', { status: 'Progressing' });
  const repo = { head: [job('migrate', { 'argocd.argoproj.io/hook': 'PreSync' }), cm('a')] };
  const running = await processOperation(context(store, repo, { sync: {} }));
  assert.equal(running.state.phase, 'Running');
  const step = await processOperation(context(store, repo, { sync: {} }, { ...running.state, phase: 'Terminating' }));
  assert.deepEqual([step.completed, step.state.phase, step.state.message], [true, 'Failed', 'Operation terminated']);
  assert.equal(store.objects.has('batch/Job/app/migrate'), false, 'the running hook was deleted');
  const hook = step.state.syncResult?.resources?.find((r) => r.name === 'migrate');
  assert.deepEqual([hook?.hookPhase, hook?.message], ['Succeeded', 'Deleted']);
  assert.equal(store.objects.has('/ConfigMap/app/a'), false, 'nothing further was applied');
});

test('an operation whose source cannot be rendered ends in Error with the cause', async () => {
  const store = new MemoryStore();
  const step = await processOperation(context(store, {}, { sync: {} }));
  assert.deepEqual([step.completed, step.state.phase, step.state.message], [true, 'Error', 'unknown revision head']);
});
