import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/kube-object.ts';
import { canonicalJson, isSubsetOf, ServerSideDiffer } from './server-side-diff.ts';

/** A fake dry run's answer: the desired object without a version, so no staleness is judged. */
const answer = (d: KubeObject, extra: Partial<KubeObject> = {}): KubeObject => {
  const { resourceVersion: _rv, ...metadata } = d.metadata;
  return { ...d, ...extra, metadata: { ...metadata, ...extra.metadata } };
};
const asCapstan = { fieldManager: 'capstan', fieldValidation: 'Strict' } as const;
const cm = (data: Record<string, string>, rv = '1'): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n', resourceVersion: rv }, data });

test('canonical JSON ignores key order; subset comparison', () => {
  assert.equal(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] }), canonicalJson({ a: [{ c: 3, d: 2 }], b: 1 }));
  assert.equal(isSubsetOf({ spec: { replicas: 2 } }, { spec: { replicas: 2, strategy: {} } }), true);
  assert.equal(isSubsetOf({ spec: { replicas: 2 } }, { spec: { replicas: 3 } }), false);
  assert.equal(isSubsetOf({ a: [1, 2] }, { a: [1] }), false);
});

test('predictions are cached by desired object and live resourceVersion', async () => {
  let calls = 0;
  const differ = new ServerSideDiffer(async (d) => { calls++; return answer(d, { metadata: { uid: 'u' } }); });
  const first = await differ.diff(cm({ a: '1' }), cm({ a: '1' }), asCapstan);
  assert.deepEqual([first.modified, first.mode], [false, 'server']);
  assert.equal((await differ.diff(cm({ a: '1' }), cm({ a: '1' }), asCapstan)).modified, false);
  assert.equal(calls, 1, 'a steady state makes no second call');
  const changed = await differ.diff(cm({ a: '1' }), cm({ a: '2' }, '2'), asCapstan);
  assert.equal(changed.modified, true);
  assert.deepEqual(changed.predictedLive['data'], { a: '1' });
  assert.deepEqual(changed.normalizedLive['data'], { a: '2' });
  assert.equal(calls, 2);
});

test('each dry run is made as the real apply will be, and predictions are kept apart by manager and validation', async () => {
  const requests: string[] = [];
  const differ = new ServerSideDiffer(async (d, r) => { requests.push(`${r.fieldManager}/${r.fieldValidation}`); return answer(d); });
  const asArgo = { fieldManager: 'argocd-controller', fieldValidation: 'Strict' } as const;
  const unvalidated = { fieldManager: 'capstan', fieldValidation: 'Ignore' } as const;
  for (const request of [asCapstan, asArgo, unvalidated, asArgo, asCapstan]) await differ.diff(cm({ a: '1' }), cm({ a: '1' }), request);
  assert.deepEqual(requests, ['capstan/Strict', 'argocd-controller/Strict', 'capstan/Ignore'], 'one dry run per request, then cached');
});

test('the sync reads the diff\'s predictions by body, request and live content, and feeds it the answers of its applies', async () => {
  let calls = 0;
  const differ = new ServerSideDiffer(async (d) => { calls++; return answer(d); });
  const asArgo = { fieldManager: 'argocd-controller', fieldValidation: 'Strict' } as const;
  await differ.diff(cm({ a: '2' }), cm({ a: '1' }, '7'), asCapstan);
  const table = [
    { name: 'the same dry run', body: cm({ a: '2' }), request: asCapstan, live: cm({ a: '1' }, '7'), want: true },
    { name: 'another body', body: cm({ a: '3' }), request: asCapstan, live: cm({ a: '1' }, '7'), want: false },
    { name: 'another manager', body: cm({ a: '2' }), request: asArgo, live: cm({ a: '1' }, '7'), want: false },
    { name: 'another live content', body: cm({ a: '2' }), request: asCapstan, live: cm({ a: '5' }, '8'), want: false },
    { name: 'no live version', body: cm({ a: '2' }), request: asCapstan, live: cm({ a: '1' }, ''), want: false },
  ];
  for (const c of table) assert.equal(differ.predictionFor(c.body, c.request, c.live) !== undefined, c.want, c.name);
  // An apply answered version 9: the compare after it needs no dry run.
  const applied = cm({ a: '2' }, '9');
  differ.recordApplied(cm({ a: '2' }), asCapstan, applied);
  const after = await differ.diff(cm({ a: '2' }), applied, asCapstan);
  assert.deepEqual([after.modified, calls], [false, 1]);
  differ.clear();
  assert.equal(differ.predictionFor(cm({ a: '2' }), asCapstan, applied), undefined, 'a hard refresh forgets them');
});

test('a status-only change costs no dry run; a change of anything else does', async () => {
  let calls = 0;
  const differ = new ServerSideDiffer(async (d) => { calls++; return answer(d); });
  const deployment = (rv: string, extra: { replicas?: number; ready?: number; statusTime?: string; labels?: Record<string, string>; scaledBy?: string } = {}): KubeObject => ({
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'd', namespace: 'n', resourceVersion: rv, generation: 1, ...(extra.labels ? { labels: extra.labels } : {}), managedFields: [
      { manager: 'capstan', operation: 'Apply', apiVersion: 'apps/v1', time: '2026-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } },
      { manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'apps/v1', subresource: 'status', time: extra.statusTime ?? '2026-01-01T00:00:01Z',
        fieldsType: 'FieldsV1', fieldsV1: { 'f:status': { 'f:readyReplicas': {} } } },
      ...(extra.scaledBy ? [{ manager: extra.scaledBy, operation: 'Update', apiVersion: 'apps/v1', time: '2026-01-01T00:00:02Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }] : []),
    ] },
    spec: { replicas: extra.replicas ?? 2 }, status: { readyReplicas: extra.ready ?? 0 },
  }) as KubeObject;
  const desired: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'n' }, spec: { replicas: 2 } } as KubeObject;
  await differ.diff(desired, deployment('10'), asCapstan);
  assert.equal(calls, 1);
  // The rollout progresses: status, resourceVersion and the status manager's entry change.
  for (const [rv, ready] of [['11', 1], ['12', 2]] as const) {
    const result = await differ.diff(desired, deployment(rv, { ready, statusTime: `2026-01-01T00:00:0${ready + 1}Z` }), asCapstan);
    assert.equal(result.modified, false);
  }
  assert.equal(calls, 1, 'status-only changes reuse the prediction');
  assert.notEqual(differ.predictionFor(desired, asCapstan, deployment('12', { ready: 2 })), undefined, 'and the sync finds it for the newer version');
  await differ.diff(desired, deployment('13', { labels: { added: 'by-hand' } }), asCapstan);
  assert.equal(calls, 2, 'a label is content');
  const scaled = await differ.diff(desired, deployment('14', { replicas: 5, scaledBy: 'kubectl' }), asCapstan);
  assert.deepEqual([calls, scaled.modified], [3, true], 'a spec change by another manager is content');
});

test('a cache behind the server gives no verdict (and nothing is remembered)', async () => {
  let serverVersion = '5';
  const differ = new ServerSideDiffer(async (d) => ({ ...d, metadata: { ...d.metadata, resourceVersion: serverVersion,
    annotations: { 'deployment.kubernetes.io/revision': '1' } } }));
  const stale = await differ.diff(cm({ a: '1' }), cm({ a: '1' }, '4'), asCapstan);
  assert.deepEqual([stale.modified, stale.staleLive], [false, true], 'the server added an annotation the cache has not seen');
  serverVersion = '4';
  const fresh = await differ.diff(cm({ a: '1' }), cm({ a: '1' }, '4'), asCapstan);
  assert.deepEqual([fresh.modified, fresh.staleLive], [true, undefined], 'the same versions compare for real');
});

test('falls back to the local comparison when the dry run fails, or when asked', async () => {
  const differ = new ServerSideDiffer(async () => { throw new Error('no such kind'); });
  const r = await differ.diff(cm({ a: '1' }), cm({ a: '1', b: '2' }), asCapstan);
  assert.deepEqual([r.modified, r.mode], [false, 'local']);
  assert.match(r.fallbackReason ?? '', /dry run failed: no such kind/);
  const asked = { ...cm({ a: '1' }), metadata: { ...cm({}).metadata, annotations: { 'argocd.argoproj.io/compare-options': 'ServerSideDiff=false' } } };
  let calls = 0;
  const differ2 = new ServerSideDiffer(async (d) => { calls++; return d; });
  assert.equal((await differ2.diff(asked, cm({ a: '1' }), asCapstan)).mode, 'local');
  assert.equal(calls, 0);
});

test('ignored fields are normalized away on both sides before the dry run', async () => {
  const seen: KubeObject[] = [];
  const differ = new ServerSideDiffer(async (d) => { seen.push(d); return answer(d, { data: { ...(d['data'] as object), defaulted: 'x' } }); });
  const rules = { jsonPointers: ['/data/ignored'], jqPathExpressions: [], managedFieldsManagers: [] };
  const r = await differ.diff(cm({ a: '1', ignored: 'git' }), cm({ a: '1', ignored: 'cluster', defaulted: 'x' }), asCapstan, { rules });
  assert.equal(r.modified, false);
  assert.deepEqual(seen[0]!['data'], { a: '1' }, 'the dry run gets the normalized object');
  const drift = await differ.diff(cm({ a: '2', ignored: 'git' }), cm({ a: '1', ignored: 'cluster', defaulted: 'x' }, '3'), asCapstan, { rules });
  assert.equal(drift.modified, true);
});
