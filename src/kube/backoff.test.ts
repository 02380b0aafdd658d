import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay } from './backoff.ts';

test('backoff doubles from the base and stops at the cap', () => {
  const cases: Array<[number, { baseMs?: number; maxMs?: number }, number]> = [
    [0, {}, 0], [1, {}, 250], [2, {}, 500], [3, {}, 1000], [8, {}, 30_000], [1000, {}, 30_000],
    [1, { baseMs: 100, maxMs: 1000 }, 100], [4, { baseMs: 100, maxMs: 1000 }, 800], [5, { baseMs: 100, maxMs: 1000 }, 1000],
  ];
  for (const [attempt, options, want] of cases) assert.equal(backoffDelay(attempt, options), want, `attempt ${attempt}`);
});
