import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resourcesOf, type ResourceList } from './api-discovery.ts';

test('a resource list yields its top-level resources, subresources left out', () => {
  const cases: Array<{ name: string; list: ResourceList; want: Array<[string, string, string, boolean, string[]]> }> = [
    { name: 'core', list: { groupVersion: 'v1', resources: [
      { name: 'pods', kind: 'Pod', namespaced: true, verbs: ['get', 'list', 'watch'] },
      { name: 'pods/status', kind: 'Pod', namespaced: true, verbs: ['get', 'patch'] },
      { name: 'namespaces', kind: 'Namespace', namespaced: false },
    ] }, want: [['v1', 'Pod', 'pods', true, ['get', 'list', 'watch']], ['v1', 'Namespace', 'namespaces', false, []]] },
    { name: 'CRD group', list: { groupVersion: 'argoproj.io/v1alpha1', resources: [
      { name: 'applications', kind: 'Application', namespaced: true, verbs: ['create'] },
    ] }, want: [['argoproj.io/v1alpha1', 'Application', 'applications', true, ['create']]] },
  ];
  for (const c of cases) {
    assert.deepEqual(resourcesOf(c.list).map((r) => [r.apiVersion, r.kind, r.resource, r.namespaced, r.verbs]), c.want, c.name);
  }
});
