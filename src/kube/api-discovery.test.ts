import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resourcePath, type ApiResource } from './api-discovery.ts';
import { buildUrl } from './kube-request.ts';

const res = (apiVersion: string, resource: string, namespaced: boolean): ApiResource =>
  ({ apiVersion, kind: 'K', resource, namespaced, verbs: [] });

test('resource paths for core and grouped kinds, namespaced or not', () => {
  const cases: Array<[ApiResource, string | undefined, string | undefined, string]> = [
    [res('v1', 'configmaps', true), 'ns', 'c', '/api/v1/namespaces/ns/configmaps/c'],
    [res('v1', 'configmaps', true), 'ns', undefined, '/api/v1/namespaces/ns/configmaps'],
    [res('v1', 'configmaps', true), undefined, undefined, '/api/v1/configmaps'],
    [res('v1', 'namespaces', false), 'ignored', 'x', '/api/v1/namespaces/x'],
    [res('apps/v1', 'deployments', true), 'a b', 'd', '/apis/apps/v1/namespaces/a%20b/deployments/d'],
    [res('apiextensions.k8s.io/v1', 'customresourcedefinitions', false), undefined, 'w.example.com',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/w.example.com'],
  ];
  for (const [r, ns, name, want] of cases) assert.equal(resourcePath(r, ns, name), want);
});

test('query parameters skip undefined values', () => {
  assert.equal(buildUrl('https://127.0.0.1:6443', '/api/v1/pods', { watch: true, limit: 5, continue: undefined }).toString(),
    'https://127.0.0.1:6443/api/v1/pods?watch=true&limit=5');
});
