import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RenderCache } from './render-cache.ts';

test('identical concurrent renders share one run; results are reused', async () => {
  const cache = new RenderCache<number>();
  let runs = 0;
  const render = async () => { runs++; await new Promise((r) => setTimeout(r, 10)); return 42; };
  const results = await Promise.all(Array.from({ length: 5 }, () => cache.get('k', render)));
  assert.deepEqual(results, [42, 42, 42, 42, 42]);
  assert.equal(await cache.get('k', render), 42);
  assert.equal(runs, 1);
  assert.equal(cache.renders, 1);
});

test('failures are not cached', async () => {
  const cache = new RenderCache<number>();
  await assert.rejects(cache.get('k', async () => { throw new Error('boom'); }), /boom/);
  assert.equal(await cache.get('k', async () => 7), 7);
});

test('least recently used entries are evicted', async () => {
  const cache = new RenderCache<string>(2);
  await cache.get('a', async () => 'a');
  await cache.get('b', async () => 'b');
  await cache.get('a', async () => 'a2');
  await cache.get('c', async () => 'c');
  assert.equal(cache.peek('b'), undefined);
  assert.equal(cache.peek('a'), 'a');
});
