import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/kube-object.ts';
import { canonicalJson, isSubsetOf, ServerSideDiffer } from './server-side-diff.ts';

const cm = (data: Record<string, string>, rv = '1'): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n', resourceVersion: rv }, data });

test('canonical JSON ignores key order; subset comparison', () => {
  assert.equal(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] }), canonicalJson({ a: [{ c: 3, d: 2 }], b: 1 }));
  assert.equal(isSubsetOf({ spec: { replicas: 2 } }, { spec: { replicas: 2, strategy: {} } }), true);
  assert.equal(isSubsetOf({ spec: { replicas: 2 } }, { spec: { replicas: 3 } }), false);
  assert.equal(isSubsetOf({ a: [1, 2] }, { a: [1] }), false);
});

test('predictions are cached by desired object and live resourceVersion', async () => {
  let calls = 0;
  const differ = new ServerSideDiffer(async (d) => { calls++; return { ...d, metadata: { ...d.metadata, resourceVersion: '9', uid: 'u' } }; });
  assert.deepEqual(await differ.diff(cm({ a: '1' }), cm({ a: '1' })), { modified: false, mode: 'server' });
  assert.deepEqual(await differ.diff(cm({ a: '1' }), cm({ a: '1' })), { modified: false, mode: 'server' });
  assert.equal(calls, 1, 'a steady state makes no second call');
  assert.equal((await differ.diff(cm({ a: '1' }), cm({ a: '2' }, '2'))).modified, true);
  assert.equal(calls, 2);
});

test('falls back to the local comparison when the dry run fails, or when asked', async () => {
  const differ = new ServerSideDiffer(async () => { throw new Error('no such kind'); });
  assert.deepEqual(await differ.diff(cm({ a: '1' }), cm({ a: '1', b: '2' })), { modified: false, mode: 'local' });
  const asked = { ...cm({ a: '1' }), metadata: { ...cm({}).metadata, annotations: { 'argocd.argoproj.io/compare-options': 'ServerSideDiff=false' } } };
  let calls = 0;
  const differ2 = new ServerSideDiffer(async (d) => { calls++; return d; });
  assert.equal((await differ2.diff(asked, cm({ a: '1' }))).mode, 'local');
  assert.equal(calls, 0);
});
