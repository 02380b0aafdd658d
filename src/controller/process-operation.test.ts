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

test('a failed operation is retried per its strategy, then fails for good', async () => {
  const store = new MemoryStore();
  store.rejectApply.add('bad');
  const op: Operation = { sync: {}, retry: { limit: 1, backoff: { duration: '5s' } } };
  const first = await processOperation(context(store, { head: [cm('bad')] }, op));
  assert.equal(first.completed, false);
  assert.equal(first.retryInMs, 5000);
  assert.equal(first.state.retryCount, 1);
  assert.match(first.state.message ?? '', /one or more objects failed to apply \(dry run\)\. Retrying attempt #1 at 2026-01-01T00:00:05.000Z\./);
  assert.equal(first.state.syncResult, undefined, 'a retry starts from scratch');
  const second = await processOperation(context(store, { head: [cm('bad')] }, op, first.state));
  assert.equal(second.completed, true);
  assert.equal(second.state.phase, 'Failed');
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
  assert.equal(store.objects.has('/ConfigMap/app/a'), false, 'nothing further was applied');
});

test('an operation whose source cannot be rendered ends in Error with the cause', async () => {
  const store = new MemoryStore();
  const step = await processOperation(context(store, {}, { sync: {} }));
  assert.deepEqual([step.completed, step.state.phase, step.state.message], [true, 'Error', 'unknown revision head']);
});
