import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/kube-object.ts';
import { cm, deploy, job } from '../sync/plan/test-objects.ts';
import { compareAppState } from './compare-app-state.ts';

const differ = (modifiedNames: string[]) => async (t: KubeObject) => ({ modified: modifiedNames.includes(t.metadata.name ?? '') });

test('statuses per resource and for the app', async () => {
  const out = await compareAppState({
    desired: [cm('same'), cm('changed'), cm('new'), job('hook', { 'argocd.argoproj.io/hook': 'PreSync' })],
    live: [cm('same'), cm('changed'), cm('extra')],
    diff: differ(['changed']),
  });
  assert.equal(out.syncStatus, 'OutOfSync');
  assert.deepEqual(out.resources.map((r) => [r.name, r.status ?? '-', r.requiresPruning ?? false, r.hook ?? false]), [
    ['changed', 'OutOfSync', false, false], ['extra', 'OutOfSync', true, false], ['new', 'OutOfSync', false, false],
    ['same', 'Synced', false, false], ['hook', '-', false, true],
  ]);
  assert.deepEqual(out.pairs.find((p) => p.target?.metadata.name === 'same')?.modified, false);
});

test('all in sync; IgnoreExtraneous extras do not make the app OutOfSync', async () => {
  const extra = cm('extra', { 'argocd.argoproj.io/compare-options': 'IgnoreExtraneous' });
  const out = await compareAppState({ desired: [deploy('web')], live: [deploy('web'), extra], diff: differ([]) });
  assert.equal(out.syncStatus, 'Synced');
  assert.equal(out.resources.find((r) => r.name === 'extra')?.status, 'OutOfSync');
});

test('a desired object that exists live but is not tracked yet pairs through lookupLive', async () => {
  const out = await compareAppState({ desired: [cm('adopt')], live: [], lookupLive: (t) => t, diff: differ([]) });
  assert.equal(out.syncStatus, 'Synced');
});
