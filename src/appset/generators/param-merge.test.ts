import { test } from 'node:test';
import assert from 'node:assert/strict';
import { combineStringMaps, combineStringMapsAllowDuplicates, mergoMerge } from './param-merge.ts';

test('mergo without override fills only what is missing or empty, deeply', () => {
  const dst = { a: 'keep', b: '', c: { x: 1 }, list: [1], emptyList: [] as number[], f: false };
  const out = mergoMerge(dst, { a: 'other', b: 'filled', c: { x: 2, y: 3 }, list: [9], emptyList: [7], f: true, n: 'new' }, false);
  assert.deepEqual(out, { a: 'keep', b: 'filled', c: { x: 1, y: 3 }, list: [1], emptyList: [7], f: true, n: 'new' });
});

test('mergo with override lets the later side win, keeping non-empty lists against empty ones', () => {
  const out = mergoMerge({ a: 'base', c: { x: 1, y: 1 }, list: [1] }, { a: 'over', c: { y: 2 }, list: [] }, true);
  assert.deepEqual(out, { a: 'over', c: { x: 1, y: 2 }, list: [1] });
});

test('nested maps merge in place, as Go maps do', () => {
  const prev = { path: { path: 'a', basename: 'a' } };
  const combined = mergoMerge(mergoMerge({}, prev, false), { path: { filename: 'f.yaml', path: 'other' } }, false);
  assert.deepEqual(combined, { path: { path: 'a', basename: 'a', filename: 'f.yaml' } });
  assert.equal(combined.path, prev.path, 'the first set\'s map is the one merged into');
});

test('fasttemplate maps combine; a key with two values is an error in a matrix, the later wins in a merge', () => {
  assert.deepEqual(combineStringMaps({ a: '1', n: 2 }, { b: '2', a: '1' }), { a: '1', n: '2', b: '2' });
  assert.throws(() => combineStringMaps({ a: '1' }, { a: '2' }), /found duplicate key a with different value, a: 1 ,b: 2/);
  assert.deepEqual(combineStringMapsAllowDuplicates({ a: '1', b: 'x' }, { a: '2' }), { a: '2', b: 'x' });
});
