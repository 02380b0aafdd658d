import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/kube-object.ts';
import { resourceYaml } from './resource-yaml.ts';
import { maskSecretPair } from './secret-mask.ts';
import { unifiedDiff } from './unified-diff.ts';

const secret = (data: Record<string, string>, stringData?: Record<string, string>, annotations?: Record<string, string>): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'n', ...(annotations ? { annotations } : {}) }, data, ...(stringData ? { stringData } : {}) });

test('secret values are masked; equal values share a mask, different values get longer ones', () => {
  const lastApplied = JSON.stringify(secret({ same: 'c2FtZQ==', changed: 'b2xk' }));
  const { target, live } = maskSecretPair(secret({ same: 'c2FtZQ==', changed: 'bmV3' }, { plain: 'hunter2' }),
    secret({ same: 'c2FtZQ==', changed: 'b2xk', gone: 'eA==' }, undefined, { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied }));
  assert.deepEqual(target!['data'], { same: '++++++++', changed: '++++++++', plain: '++++++++' });
  assert.deepEqual(live!['data'], { same: '++++++++', changed: '++++++++++++', gone: '++++++++' });
  assert.equal(target!['stringData'], undefined, 'stringData is folded into data');
  const text = `${resourceYaml(target)}${resourceYaml(live)}`;
  for (const clear of ['hunter2', 'aHVudGVyMg==', 'bmV3', 'b2xk', 'c2FtZQ==']) assert.ok(!text.includes(clear), clear);
  assert.ok(!live!.metadata.annotations!['kubectl.kubernetes.io/last-applied-configuration']!.includes('b2xk'));
  const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } };
  assert.equal(maskSecretPair(cm, cm).target, cm, 'other kinds are untouched');
});

test('YAML with stable key order and a unified diff with context', () => {
  assert.equal(resourceYaml({ b: 1, a: { d: 2, c: 3 } }), resourceYaml({ a: { c: 3, d: 2 }, b: 1 }));
  const from = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].join('\n') + '\n';
  const to = ['a', 'b', 'c', 'd', 'E', 'f', 'g', 'h', 'i', 'j', 'k'].join('\n') + '\n';
  assert.equal(unifiedDiff(from, to, { from: 'live', to: 'desired' }), [
    '--- live', '+++ desired', '@@ -2,9 +2,10 @@', ' b', ' c', ' d', '-e', '+E', ' f', ' g', ' h', ' i', ' j', '+k', ''].join('\n'));
  assert.equal(unifiedDiff(from, from, { from: 'a', to: 'b' }), '');
  assert.equal(unifiedDiff('', 'x\n', { from: 'a', to: 'b' }), '--- a\n+++ b\n@@ -0,0 +1,1 @@\n+x\n');
});
