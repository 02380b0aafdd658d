import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideAutoSync, type AutoSyncInput } from './auto-sync.ts';

const base: AutoSyncInput = {
  automated: { prune: true, selfHeal: false }, syncOptions: [], retry: undefined, hasOperation: false, deleting: false,
  syncStatus: 'OutOfSync', revisions: ['abc'], outOfSync: [{ requiresPruning: false }], desiredCount: 3,
  selfHealAttempts: 0, nowMs: 100_000,
};

test('automated sync decisions', () => {
  const cases: Array<{ name: string; input: Partial<AutoSyncInput>; want: string }> = [
    { name: 'no policy', input: { automated: undefined }, want: 'skip' },
    { name: 'disabled', input: { automated: { enabled: false } }, want: 'skip' },
    { name: 'out of sync', input: {}, want: 'sync' },
    { name: 'synced', input: { syncStatus: 'Synced' }, want: 'skip' },
    { name: 'unknown (comparison failed)', input: { syncStatus: 'Unknown' }, want: 'skip' },
    { name: 'operation running', input: { hasOperation: true }, want: 'skip' },
    { name: 'being deleted', input: { deleting: true }, want: 'skip' },
    { name: 'only prunes, prune off', input: { automated: {}, outOfSync: [{ requiresPruning: true }] }, want: 'skip' },
    { name: 'only prunes, prune on', input: { outOfSync: [{ requiresPruning: true }] }, want: 'sync' },
    { name: 'would wipe everything', input: { desiredCount: 0, outOfSync: [{ requiresPruning: true }] }, want: 'skip' },
    { name: 'empty allowed', input: { automated: { prune: true, allowEmpty: true }, desiredCount: 0 }, want: 'sync' },
    { name: 'new revision after a failure', input: { lastOperation: { revisions: ['old'], phase: 'Failed', message: 'x', automated: true } }, want: 'sync' },
    { name: 'same revision failed', input: { lastOperation: { revisions: ['abc'], phase: 'Failed', message: 'boom', automated: true } }, want: 'skip' },
    { name: 'same revision done, no self-heal', input: { lastOperation: { revisions: ['abc'], phase: 'Succeeded', message: '', automated: true } }, want: 'skip' },
    { name: 'manual sync of same revision does not count', input: { lastOperation: { revisions: ['abc'], phase: 'Failed', message: '', automated: false } }, want: 'sync' },
  ];
  for (const c of cases) assert.equal(decideAutoSync({ ...base, ...c.input }).action, c.want, c.name);
});

test('a failed attempt becomes a SyncError condition and defaults give five retries', () => {
  const failed = decideAutoSync({ ...base, lastOperation: { revisions: ['abc'], phase: 'Failed', message: 'boom', automated: true } });
  assert.deepEqual(failed, { action: 'skip', reason: 'the last automated sync of this revision failed', syncError: 'Failed sync attempt to abc: boom' });
  const first = decideAutoSync(base);
  assert.ok(first.action === 'sync');
  assert.deepEqual(first.request.retry, { limit: 5 });
});

test('self-heal waits 2 s, 6 s, 18 s … after the last sync of the same revision', () => {
  const healed = { ...base, automated: { prune: true, selfHeal: true },
    lastOperation: { revisions: ['abc'], phase: 'Succeeded', message: '', automated: true, finishedAtMs: 99_000 } };
  assert.deepEqual(decideAutoSync(healed), { action: 'wait', delayMs: 1000, reason: 'self-heal backoff' });
  const later = decideAutoSync({ ...healed, nowMs: 101_500 });
  assert.ok(later.action === 'sync' && later.request.selfHeal);
  assert.equal((decideAutoSync({ ...healed, selfHealAttempts: 1, nowMs: 104_000 }) as { delayMs: number }).delayMs, 1000);
});
