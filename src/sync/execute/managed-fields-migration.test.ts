import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeFieldSets, migrateManagedFields, type ManagedFieldsEntry } from './managed-fields-migration.ts';

const now = '2026-01-01T00:00:00Z';
const csa: ManagedFieldsEntry = { manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'v1', time: 't',
  fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {}, 'f:b': {} }, 'f:metadata': { 'f:annotations': { 'f:kubectl.kubernetes.io/last-applied-configuration': {} } } } };
const other: ManagedFieldsEntry = { manager: 'kubectl-edit', operation: 'Update', apiVersion: 'v1', time: 't', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:z': {} } } };

test('merging field sets is a deep union', () => {
  assert.deepEqual(mergeFieldSets({ 'f:a': {}, 'f:s': { 'f:x': {} } }, { 'f:s': { 'f:y': {} }, 'f:b': {} }),
    { 'f:a': {}, 'f:s': { 'f:x': {}, 'f:y': {} }, 'f:b': {} });
});

test('client-side apply fields move to the server-side apply manager; other managers keep theirs', () => {
  const cases: Array<{ name: string; entries: ManagedFieldsEntry[]; want: ManagedFieldsEntry[] | undefined }> = [
    { name: 'nothing to move', entries: [other], want: undefined },
    { name: 'a fresh Apply entry', entries: [csa, other], want: [other,
      { manager: 'argocd-controller', operation: 'Apply', apiVersion: 'v1', time: now, fieldsType: 'FieldsV1', fieldsV1: csa.fieldsV1! }] },
    { name: 'merged into the existing Apply entry', entries: [csa,
      { manager: 'argocd-controller', operation: 'Apply', apiVersion: 'v1', time: 't', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:c': {} } } }],
    want: [{ manager: 'argocd-controller', operation: 'Apply', apiVersion: 'v1', time: now, fieldsType: 'FieldsV1',
      fieldsV1: { 'f:data': { 'f:c': {}, 'f:a': {}, 'f:b': {} }, 'f:metadata': csa.fieldsV1!['f:metadata'] } }] },
    { name: 'status subresource entries stay', entries: [{ ...csa, subresource: 'status' }], want: undefined },
  ];
  for (const c of cases) assert.deepEqual(migrateManagedFields(c.entries, 'argocd-controller', ['kubectl-client-side-apply'], now), c.want, c.name);
});
