import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkQueue } from './work-queue.ts';

test('a key queued many times before it runs is processed once', async () => {
  const seen: string[] = [];
  const q = new WorkQueue(async (k) => { seen.push(k); await sleep(10); }, { workers: 1 });
  q.add('busy');
  q.add('a'); q.add('a'); q.add('b'); q.add('a');
  await q.idle();
  assert.deepEqual(seen, ['busy', 'a', 'b']);
});

test('a key is never processed twice at once; added while in flight it runs again after', async () => {
  let concurrent = 0;
  let maxConcurrent = 0;
  let runs = 0;
  const q = new WorkQueue(async () => {
    concurrent++; runs++;
    maxConcurrent = Math.max(maxConcurrent, concurrent);
    await sleep(20);
    concurrent--;
  }, { workers: 4 });
  q.add('k');
  await sleep(5);
  q.add('k'); q.add('k');
  await sleep(60);
  await q.idle();
  assert.equal(maxConcurrent, 1);
  assert.equal(runs, 2);
});

test('failures come back with exponential backoff; success resets it', async () => {
  const times: number[] = [];
  const start = Date.now();
  let calls = 0;
  const q = new WorkQueue(async () => {
    times.push(Date.now() - start);
    calls++;
    if (calls < 3) throw new Error('transient');
  }, { baseBackoffMs: 20, maxBackoffMs: 1000 });
  q.add('k');
  await sleep(150);
  await q.idle();
  assert.equal(calls, 3);
  assert.ok(times[1]! - times[0]! >= 15, `first retry after ~20 ms (${times[1]! - times[0]!})`);
  assert.ok(times[2]! - times[1]! >= 35, `second retry after ~40 ms (${times[2]! - times[1]!})`);
  q.stop();
});

test('addAfter keeps the earliest due time and stop cancels timers', async () => {
  const seen: string[] = [];
  const q = new WorkQueue(async (k) => { seen.push(k); });
  q.addAfter('k', 200);
  q.addAfter('k', 10);
  q.addAfter('k', 500);
  await sleep(50);
  assert.deepEqual(seen, ['k']);
  q.addAfter('late', 30);
  q.stop();
  await sleep(60);
  assert.deepEqual(seen, ['k']);
});
