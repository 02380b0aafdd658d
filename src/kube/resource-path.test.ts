import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeTarget, groupVersionPath, resourcePath, splitApiVersion, type KubeTarget, type ResourceLocation } from './resource-path.ts';

const loc = (apiVersion: string, resource: string, namespaced: boolean): ResourceLocation => ({ apiVersion, resource, namespaced });

test('resourcePath builds collection, object and subresource paths', () => {
  const cases: Array<{ name: string; res: ResourceLocation; ns?: string; obj?: string; sub?: string; want: string }> = [
    { name: 'core object', res: loc('v1', 'configmaps', true), ns: 'ns', obj: 'c', want: '/api/v1/namespaces/ns/configmaps/c' },
    { name: 'core collection in a namespace', res: loc('v1', 'configmaps', true), ns: 'ns', want: '/api/v1/namespaces/ns/configmaps' },
    { name: 'all namespaces', res: loc('v1', 'configmaps', true), want: '/api/v1/configmaps' },
    { name: 'cluster-scoped ignores the namespace', res: loc('v1', 'namespaces', false), ns: 'ignored', obj: 'x', want: '/api/v1/namespaces/x' },
    { name: 'grouped, escaped', res: loc('apps/v1', 'deployments', true), ns: 'a b', obj: 'd', want: '/apis/apps/v1/namespaces/a%20b/deployments/d' },
    { name: 'CRD', res: loc('apiextensions.k8s.io/v1', 'customresourcedefinitions', false), obj: 'w.example.com',
      want: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/w.example.com' },
    { name: 'status subresource', res: loc('apps/v1', 'deployments', true), ns: 'ns', obj: 'd', sub: 'status',
      want: '/apis/apps/v1/namespaces/ns/deployments/d/status' },
    { name: 'subresource without a name is dropped', res: loc('apps/v1', 'deployments', true), ns: 'ns', sub: 'status',
      want: '/apis/apps/v1/namespaces/ns/deployments' },
    { name: 'empty name is the collection', res: loc('v1', 'pods', true), ns: 'ns', obj: '', want: '/api/v1/namespaces/ns/pods' },
  ];
  for (const c of cases) assert.equal(resourcePath(c.res, c.ns, c.obj, c.sub), c.want, c.name);
});

test('apiVersion splitting and group version paths', () => {
  const cases = [
    { apiVersion: 'v1', group: '', version: 'v1', path: '/api/v1' },
    { apiVersion: 'apps/v1', group: 'apps', version: 'v1', path: '/apis/apps/v1' },
    { apiVersion: 'argoproj.io/v1alpha1', group: 'argoproj.io', version: 'v1alpha1', path: '/apis/argoproj.io/v1alpha1' },
  ];
  for (const c of cases) {
    assert.deepEqual(splitApiVersion(c.apiVersion), { group: c.group, version: c.version });
    assert.equal(groupVersionPath(c.apiVersion), c.path);
  }
});

test('describeTarget names the object the way errors do', () => {
  const cases: Array<{ target: KubeTarget; want: string }> = [
    { target: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'ns', name: 'web' }, want: 'apps/v1 Deployment ns/web' },
    { target: { apiVersion: 'v1', kind: 'Namespace', name: 'prod' }, want: 'v1 Namespace prod' },
    { target: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ns' }, want: 'v1 ConfigMap in namespace ns' },
    { target: { apiVersion: 'v1', kind: 'Node' }, want: 'v1 Node' },
  ];
  for (const c of cases) assert.equal(describeTarget(c.target), c.want);
});
