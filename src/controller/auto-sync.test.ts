import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideAutoSync, type AutoSyncInput } from './auto-sync.ts';

const base: AutoSyncInput = {
  automated: { prune: true, selfHeal: false }, syncOptions: [], retry: undefined, hasOperation: false, deleting: false,
  syncStatus: 'OutOfSync', revisions: ['abc'], outOfSync: [{ kind: 'ConfigMap', name: 'c', requiresPruning: false }], desiredCount: 3,
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
    { name: 'only prunes, prune off', input: { automated: {}, outOfSync: [{ kind: 'ConfigMap', name: 'x', requiresPruning: true }] }, want: 'skip' },
    { name: 'only prunes, prune on', input: { outOfSync: [{ kind: 'ConfigMap', name: 'x', requiresPruning: true }] }, want: 'sync' },
    { name: 'would wipe everything', input: { desiredCount: 0, outOfSync: [{ kind: 'ConfigMap', name: 'x', requiresPruning: true }] }, want: 'skip' },
    { name: 'empty allowed', input: { automated: { prune: true, allowEmpty: true }, desiredCount: 0 }, want: 'sync' },
    { name: 'new revision after a failure', input: { lastOperation: { revisions: ['old'], phase: 'Failed', message: 'x', automated: true } }, want: 'sync' },
    { name: 'same revision failed', input: { lastOperation: { revisions: ['abc'], phase: 'Failed', message: 'boom', automated: true } }, want: 'skip' },
    { name: 'same revision done, no self-heal', input: { lastOperation: { revisions: ['abc'], phase: 'Succeeded', message: '', automated: true } }, want: 'skip' },
    { name: 'a failed manual sync of the same revision counts too', input: { lastOperation: { revisions: ['abc'], phase: 'Failed', message: '', automated: false } }, want: 'skip' },
    { name: 'same revision, changed source', input: { lastOperation: { revisions: ['abc'], sameSource: false, phase: 'Failed', message: '', automated: true } }, want: 'sync' },
    { name: 'new revision after a failure', input: { lastOperation: { revisions: ['old'], phase: 'Failed', message: '', automated: true } }, want: 'sync' },
  ];
  for (const c of cases) assert.equal(decideAutoSync({ ...base, ...c.input }).action, c.want, c.name);
});

test('a failed attempt becomes a SyncError condition and defaults give five retries', () => {
  const failed = decideAutoSync({ ...base, lastOperation: { revisions: ['abc'], phase: 'Failed', message: 'boom', automated: true } });
  assert.deepEqual(failed, { action: 'skip', reason: 'the last sync of this revision failed', syncError: 'Failed last sync attempt to [abc]: boom' });
  const first = decideAutoSync(base);
  assert.ok(first.action === 'sync');
  assert.deepEqual(first.request.retry, { limit: 5 });
});

test('self-heal: first at once, then 2 s, 6 s … after the last sync, only the out-of-sync resources, count reset after the cool-down', () => {
  const healed: AutoSyncInput = { ...base, automated: { prune: true, selfHeal: true },
    lastOperation: { revisions: ['abc'], phase: 'Succeeded', message: '', automated: true, finishedAtMs: 99_000 } };
  const first = decideAutoSync(healed);
  assert.ok(first.action === 'sync');
  assert.deepEqual([first.request.selfHeal, first.request.selfHealAttempts, first.request.resources],
    [true, 1, [{ group: '', kind: 'ConfigMap', name: 'c' }]]);
  assert.deepEqual(decideAutoSync({ ...healed, selfHealAttempts: 1 }), { action: 'wait', delayMs: 1000, reason: 'self-heal backoff' });
  assert.equal((decideAutoSync({ ...healed, selfHealAttempts: 2, nowMs: 101_000 }) as { delayMs: number }).delayMs, 4000);
  const afterCooldown = decideAutoSync({ ...healed, selfHealAttempts: 4, nowMs: 99_000 + 331_000 });
  assert.ok(afterCooldown.action === 'sync' && afterCooldown.request.selfHealAttempts === 1);
});

test('allowEmpty: false refuses a sync that would prune everything', () => {
  const empty = decideAutoSync({ ...base, desiredCount: 0 });
  assert.deepEqual(empty, { action: 'skip', reason: 'auto-sync will wipe out all resources',
    syncError: 'Skipping sync attempt to [abc]: auto-sync will wipe out all resources' });
  assert.equal(decideAutoSync({ ...base, desiredCount: 0, automated: { prune: true, allowEmpty: true } }).action, 'sync');
});
