import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResourceDiff } from '../api/api-types.ts';
import { diffViewOf, manifestYaml, maskedObject } from './manifest-view.ts';

const password = 'hunter2-s3cret';
const b64 = Buffer.from(password).toString('base64');

function secret(data: Record<string, string>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'web' }, type: 'Opaque', data, ...extra };
}

function assertNoSecret(text: string): void {
  assert.ok(!text.includes(password), `clear value in:\n${text}`);
  assert.ok(!text.includes(b64), `base64 value in:\n${text}`);
}

describe('diffViewOf', () => {
  const cases: Array<{ name: string; item: ResourceDiff; diffHas: string[]; modified: boolean }> = [
    {
      name: 'a changed ConfigMap: live → desired',
      item: { kind: 'ConfigMap', namespace: 'web', name: 'settings', modified: true,
        liveState: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', managedFields: [{ manager: 'x' }] }, data: { mode: 'drifted' } }),
        targetState: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { mode: 'blue' } }) },
      diffHas: ['-  mode: drifted', '+  mode: blue', '--- live ConfigMap/web/settings'], modified: true,
    },
    {
      name: 'normalized and predicted states win over the raw ones',
      item: { kind: 'ConfigMap', name: 'c', liveState: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"raw"}}',
        normalizedLiveState: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"norm"}}',
        targetState: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"target"}}',
        predictedLiveState: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"predicted"}}' },
      diffHas: ['-  a: norm', '+  a: predicted'], modified: true,
    },
    {
      name: 'a Secret sent in clear is masked, changed keys still visible',
      item: { kind: 'Secret', namespace: 'web', name: 'creds', modified: true,
        liveState: JSON.stringify(secret({ password: b64, same: 'c2FtZQ==' })),
        targetState: JSON.stringify(secret({ same: 'c2FtZQ==' }, { stringData: { password: 'other-value' } })) },
      diffHas: ['-  password: ++++++++++++', '+  password: ++++++++', '   same: ++++++++'], modified: true,
    },
    {
      name: 'a missing live object (to be created)',
      item: { kind: 'Secret', namespace: 'web', name: 'creds', targetState: JSON.stringify(secret({ password: b64 })), liveState: 'null' },
      diffHas: ['+  password: ++++++++'], modified: true,
    },
    {
      name: 'equal states',
      item: { kind: 'ConfigMap', name: 'c', liveState: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}', targetState: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}', modified: false },
      diffHas: [], modified: false,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const view = diffViewOf(c.item);
      assert.equal(view.error, undefined);
      assert.equal(view.modified, c.modified);
      for (const line of c.diffHas) assert.ok(view.diff.split('\n').includes(line), `missing ${JSON.stringify(line)} in:\n${view.diff}`);
      if (c.diffHas.length === 0) assert.equal(view.diff, '');
      assertNoSecret(view.diff + view.liveYaml + view.targetYaml);
      assert.ok(!view.liveYaml.includes('managedFields'));
    });
  }
  it('reports a state that is not JSON, naming the resource', () => {
    const view = diffViewOf({ kind: 'ConfigMap', namespace: 'web', name: 'c', liveState: '{oops' });
    assert.match(view.error ?? '', /^ConfigMap\/web\/c: /);
  });
});

describe('maskedObject', () => {
  it('masks data, stringData and the last-applied annotation of a live Secret', () => {
    const live = secret({ password: b64 }, { stringData: { token: password } });
    (live['metadata'] as Record<string, unknown>)['annotations'] = { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(secret({ password: b64 })) };
    const yaml = manifestYaml(maskedObject(live as never));
    assertNoSecret(yaml);
    assert.match(yaml, /password: \++/);
    assert.match(yaml, /token: \++/);
  });
  it('leaves other kinds alone', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { password } };
    assert.match(manifestYaml(maskedObject(cm)), /password: hunter2-s3cret/);
  });
});
