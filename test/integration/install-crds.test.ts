// Control-plane start-up on a real cluster: namespace, CRDs (Established,
// unknown status/operation fields preserved), the default AppProject; a
// second run changes nothing; CRDs that belong to an Argo CD installation are
// left alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/api/kube-object.ts';
import { installControlPlane } from '../../src/controller/install-crds.ts';
import { KubeClient } from '../../src/kube/kube-client.ts';
import { useTestCluster } from '../harness/cluster.ts';

let client: KubeClient;
before(async () => { client = KubeClient.fromKubeconfig({ kubeconfigPath: (await useTestCluster()).kubeconfigPath }); });
after(() => client.close());

const crdName = 'applications.argoproj.io';

test('installs CRDs and the default project, idempotently', async () => {
  const ns = `ctl-${process.pid}`;
  const first = await installControlPlane(client, ns);
  assert.deepEqual(first.installed.sort(), ['applications.argoproj.io', 'applicationsets.argoproj.io', 'appprojects.argoproj.io']);
  const project = await client.get('argoproj.io/v1alpha1', 'AppProject', ns, 'default');
  assert.deepEqual((project?.['spec'] as { sourceRepos: string[] }).sourceRepos, ['*']);

  const app: KubeObject = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'probe', namespace: ns },
    spec: { project: 'default', destination: { server: 'https://kubernetes.default.svc', namespace: 'x' }, source: { repoURL: 'r', path: '.' } },
    operation: { sync: { revision: 'abc', futureField: { nested: true } } } };
  await client.create(app);
  await client.patch(app, { status: { sync: { status: 'Synced' }, somethingNew: [1, 2] } }, 'merge');
  const stored = await client.get('argoproj.io/v1alpha1', 'Application', ns, 'probe');
  assert.deepEqual(stored?.['operation'], { sync: { revision: 'abc', futureField: { nested: true } } });
  assert.deepEqual((stored?.['status'] as Record<string, unknown>)['somethingNew'], [1, 2]);
  await client.delete(app);

  const before = await client.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', undefined, crdName);
  await installControlPlane(client, ns);
  const again = await client.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', undefined, crdName);
  assert.equal(again?.metadata.resourceVersion, before?.metadata.resourceVersion, 'a second start changes nothing');
  await client.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
});

test('CRDs of an Argo CD installation are left as they are', async () => {
  const ns = `ctl-foreign-${process.pid}`;
  await installControlPlane(client, ns);
  const crd = (await client.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', undefined, crdName))!;
  await client.patch(crd, { metadata: { labels: { 'app.kubernetes.io/part-of': 'argocd' } } }, 'merge');
  try {
    const marked = await client.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', undefined, crdName);
    const report = await installControlPlane(client, ns);
    assert.ok(report.foreign.includes(crdName));
    assert.ok(!report.installed.includes(crdName));
    const after = await client.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', undefined, crdName);
    assert.equal(after?.metadata.resourceVersion, marked?.metadata.resourceVersion);
  } finally {
    await client.patch(crd, { metadata: { labels: { 'app.kubernetes.io/part-of': 'capstan' } } }, 'merge');
    await client.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  }
});
