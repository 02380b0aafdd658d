import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/kube-object.ts';
import { keepDeclaredFields } from './declared-fields.ts';

test('only the fields the server kept are applied; defaults it added are not', () => {
  const target = { apiVersion: 'x/v1', kind: 'Shape', metadata: { name: 's', labels: { a: 'b' } },
    spec: { size: 1, color: 'red', parts: [{ n: 1, junk: true }, { n: 2 }] }, extra: 1 } as KubeObject;
  const decoded = { apiVersion: 'x/v1', kind: 'Shape', metadata: { name: 's-x1', uid: 'u' },
    spec: { size: 1, defaulted: 'd', parts: [{ n: 1 }, { n: 2 }] }, status: {} } as KubeObject;
  assert.deepEqual(keepDeclaredFields(target, decoded), { apiVersion: 'x/v1', kind: 'Shape', metadata: { name: 's', labels: { a: 'b' } },
    spec: { size: 1, parts: [{ n: 1 }, { n: 2 }] } });
});
