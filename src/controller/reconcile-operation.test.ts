import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/kube-object.ts';
import { ObjectIndex } from '../kube/cache/object-index.ts';
import { writeThrough } from './reconcile-operation.ts';

const deploy = (rv: string, observed: number): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name: 'web', namespace: 'n', resourceVersion: rv, generation: 2 }, status: { observedGeneration: observed } });

test('a write goes into the cache unless the watch already brought a newer version', () => {
  const live = { index: new ObjectIndex() };
  writeThrough(live, deploy('10', 1));
  assert.equal(live.index.get('apps/Deployment/n/web')?.metadata.resourceVersion, '10', 'the apply answer is newer than nothing');
  live.index.upsert(deploy('12', 2));
  writeThrough(live, deploy('11', 1));
  assert.equal(live.index.get('apps/Deployment/n/web')?.metadata.resourceVersion, '12', 'a late answer does not undo the controller\'s update');
});
