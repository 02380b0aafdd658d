import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterSecretInfo, GenerateContext } from './generator-context.ts';
import { clusterParams } from './cluster-generator.ts';

const secrets: ClusterSecretInfo[] = [
  { name: 'prod_eu', server: 'https://prod.example/', project: 'platform', labels: { env: 'prod', 'argocd.argoproj.io/secret-type': 'cluster' }, annotations: { owner: 'ops' } },
  { name: 'staging', server: 'https://staging.example', labels: { env: 'staging', 'argocd.argoproj.io/secret-type': 'cluster' }, annotations: {} },
];

function context(goTemplate: boolean, list = secrets): GenerateContext {
  return { appSetName: 'set', goTemplate, goTemplateOptions: [], sources: {
    git: { directories: () => Promise.resolve([]), files: () => Promise.resolve(new Map()) },
    clusters: () => Promise.resolve(list), render: () => { throw new Error('no values in these cases'); },
  } };
}

test('every cluster, the local one first, with labels and annotations flattened (fasttemplate)', async () => {
  const params = await clusterParams({}, context(false), 'g');
  assert.deepEqual(params, [
    { name: 'in-cluster', nameNormalized: 'in-cluster', server: 'https://kubernetes.default.svc', project: '' },
    { name: 'prod_eu', nameNormalized: 'prod-eu', server: 'https://prod.example', project: 'platform', 'metadata.annotations.owner': 'ops',
      'metadata.labels.env': 'prod', 'metadata.labels.argocd.argoproj.io/secret-type': 'cluster' },
    { name: 'staging', nameNormalized: 'staging', server: 'https://staging.example', project: '', 'metadata.labels.env': 'staging',
      'metadata.labels.argocd.argoproj.io/secret-type': 'cluster' },
  ]);
});

test('Go templates get a metadata map; a selector leaves the local cluster out', async () => {
  const params = await clusterParams({ selector: { matchLabels: { env: 'prod' } } }, context(true), 'g');
  assert.deepEqual(params, [{ name: 'prod_eu', nameNormalized: 'prod-eu', server: 'https://prod.example', project: 'platform',
    metadata: { annotations: { owner: 'ops' }, labels: { env: 'prod', 'argocd.argoproj.io/secret-type': 'cluster' } } }]);
  const none = await clusterParams({ selector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['dev'] }] } }, context(true), 'g');
  assert.deepEqual(none, []);
});

test('a Secret for the local server replaces the implicit in-cluster; flatList gives one set', async () => {
  const local: ClusterSecretInfo = { name: 'local', server: 'https://kubernetes.default.svc', labels: {}, annotations: {} };
  const params = await clusterParams({}, context(false, [local]), 'g');
  assert.deepEqual(params.map((p) => p['name']), ['local']);
  const flat = await clusterParams({ flatList: true }, context(true), 'g');
  assert.equal(flat.length, 1);
  assert.deepEqual((flat[0]!['clusters'] as Array<{ name: string }>).map((c) => c.name), ['in-cluster', 'prod_eu', 'staging']);
});
