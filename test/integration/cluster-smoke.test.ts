// The local cluster works like a real one: kube-controller-manager turns a
// Deployment into a ReplicaSet and Pods, kube-scheduler binds them to a kwok
// node, kwok makes them Ready, and deleting a namespace removes it (namespace
// controller and garbage collection at work).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adminRequest, type AdminResponse } from '../../src/platform/admin-request.ts';
import { clusterDirs } from '../../src/platform/cluster-state.ts';
import { pkiPaths } from '../../src/platform/pki.ts';
import { useTestCluster, type TestCluster } from '../harness/cluster.ts';
import { eventually } from '../harness/eventually.ts';

function api(cluster: TestCluster) {
  const pki = pkiPaths(clusterDirs(cluster.home, cluster.name).pki);
  return (method: string, path: string, body?: unknown): Promise<AdminResponse> => adminRequest({
    url: `${cluster.server}${path}`, method, pki, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}


test('a Deployment becomes available on kwok nodes and its namespace can be deleted', { timeout: 120_000 }, async () => {
  const cluster = await useTestCluster();
  const call = api(cluster);
  const ns = `smoke-${process.pid}`;
  assert.equal((await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } })).status, 201);
  const labels = { app: 'web' };
  const deployment = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: ns },
    spec: {
      replicas: 2, selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'registry.example/web:1.0' }] } },
    },
  };
  const created = await call('POST', `/apis/apps/v1/namespaces/${ns}/deployments`, deployment);
  assert.equal(created.status, 201, created.body);

  const status = await eventually('availableReplicas=2', async () => {
    const res = await call('GET', `/apis/apps/v1/namespaces/${ns}/deployments/web`);
    const d = JSON.parse(res.body) as { status?: { availableReplicas?: number; readyReplicas?: number } };
    return d.status?.availableReplicas === 2 ? d.status : undefined;
  }, 60_000);
  assert.equal(status.readyReplicas, 2);

  const rs = JSON.parse((await call('GET', `/apis/apps/v1/namespaces/${ns}/replicasets`)).body) as { items: unknown[] };
  assert.equal(rs.items.length, 1, 'the controller-manager made one ReplicaSet');
  const pods = JSON.parse((await call('GET', `/api/v1/namespaces/${ns}/pods`)).body) as {
    items: Array<{ spec: { nodeName?: string }; status: { phase: string } }>;
  };
  assert.equal(pods.items.length, 2);
  for (const pod of pods.items) {
    assert.match(pod.spec.nodeName ?? '', /^kwok-node-/, 'the scheduler bound the pod to a kwok node');
    assert.equal(pod.status.phase, 'Running');
  }

  assert.equal((await call('DELETE', `/api/v1/namespaces/${ns}`)).status, 200);
  await eventually('namespace gone', async () =>
    (await call('GET', `/api/v1/namespaces/${ns}`)).status === 404 ? true : undefined, 60_000);
});
