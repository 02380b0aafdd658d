import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setConditions } from './conditions.ts';
import { parseDuration } from './durations.ts';
import { appendHistory } from './history.ts';
import { nextRetryDelay, selfHealDelay } from './retry.ts';

test('conditions keep their transition time while unchanged', () => {
  const t1 = '2026-01-01T00:00:00Z';
  const t2 = '2026-01-01T00:05:00Z';
  let c = setConditions(undefined, ['ComparisonError'], [{ type: 'ComparisonError', message: 'boom' }], t1);
  c = setConditions(c, ['ComparisonError'], [{ type: 'ComparisonError', message: 'boom' }], t2);
  assert.deepEqual(c, [{ type: 'ComparisonError', message: 'boom', lastTransitionTime: t1 }]);
  c = setConditions(c, ['SyncError'], [{ type: 'SyncError', message: 'x' }], t2);
  assert.equal(c.length, 2, 'other types are kept');
  c = setConditions(c, ['ComparisonError'], [], t2);
  assert.deepEqual(c.map((x) => x.type), ['SyncError']);
});

test('history ids count up and the list is trimmed to the limit', () => {
  let h = appendHistory(undefined, { revision: 'a', deployedAt: 't' }, undefined);
  for (const r of ['b', 'c', 'd']) h = appendHistory(h, { revision: r, deployedAt: 't' }, 3);
  assert.deepEqual(h.map((e) => [e.id, e.revision]), [[1, 'b'], [2, 'c'], [3, 'd']]);
  assert.deepEqual(appendHistory(h, { revision: 'e', deployedAt: 't' }, 0), []);
  const many = Array.from({ length: 12 }).reduce<ReturnType<typeof appendHistory>>(
    (acc, _, i) => appendHistory(acc, { revision: String(i), deployedAt: 't' }, undefined), []);
  assert.equal(many.length, 10, 'default limit is 10');
});

test('durations in Go syntax', () => {
  const cases: Array<[string | number, number | undefined]> = [
    ['5s', 5000], ['3m', 180_000], ['1h30m', 5_400_000], ['250ms', 250], ['10', 10_000], [7, 7000], ['1.5s', 1500],
    ['', undefined], ['5x', undefined], ['s', undefined],
  ];
  for (const [input, want] of cases) assert.equal(parseDuration(input), want, String(input));
});

test('retry backoff and limits, self-heal backoff', () => {
  const s = { limit: 3, backoff: { duration: '5s', factor: 2, maxDuration: '15s' } };
  assert.deepEqual([0, 1, 2, 3].map((n) => nextRetryDelay(s, n)), [5000, 10_000, 15_000, undefined]);
  assert.equal(nextRetryDelay({ limit: 0 }, 0), undefined);
  assert.equal(nextRetryDelay({ limit: -1 }, 100), 180_000, 'unlimited, capped at the 3m default');
  assert.equal(nextRetryDelay(undefined, 0), undefined);
  assert.deepEqual([0, 1, 2, 3, 6, 9].map((n) => selfHealDelay(n)), [0, 2000, 6000, 18_000, 300_000, 300_000]);
});
