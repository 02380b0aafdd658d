// The live cache on a real cluster: tracked objects are found by app, child
// objects (ReplicaSets, Pods made by the controller-manager and run by kwok)
// are attributed to the app of their Deployment, and a CRD created after the
// cache started can be watched.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeObject } from '../../src/api/kube-object.ts';
import { KubeClient } from '../../src/kube/kube-client.ts';
import { LiveCache } from '../../src/kube/cache/live-cache.ts';
import { formatTrackingId } from '../../src/kube/cache/tracking.ts';
import { createTestNamespace, useTestCluster } from '../harness/cluster.ts';
import { eventually } from '../harness/eventually.ts';

let client: KubeClient;
let cache: LiveCache;
const changes: Array<{ app: string; kind: string }> = [];

before(async () => {
  client = KubeClient.fromKubeconfig({ kubeconfigPath: (await useTestCluster()).kubeconfigPath });
  cache = new LiveCache(client, { onChange: (app, obj) => changes.push({ app, kind: obj.kind }) });
  await cache.start();
});
after(() => { cache.close(); client.close(); });


function tracked(app: string, obj: KubeObject): KubeObject {
  obj.metadata.annotations = { ...obj.metadata.annotations, 'argocd.argoproj.io/tracking-id': formatTrackingId(app, obj) };
  return obj;
}

test('an app\'s objects and their children are found and reported', async (t) => {
  const ns = await createTestNamespace(t, await useTestCluster());
  await cache.ensureWatching('apps/v1', 'Deployment');
  const labels = { app: 'web' };
  await client.apply(tracked('shop', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: ns },
    spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'x' }] } } } }),
  { fieldManager: 'capstan' });
  const managed = await eventually('the deployment in the index', () => {
    const m = cache.managedBy('shop').filter((o) => o.metadata.namespace === ns);
    return m.length === 1 ? m : undefined;
  });
  assert.equal(managed[0]!.kind, 'Deployment');
  const uid = managed[0]!.metadata.uid!;
  const rs = await eventually('its ReplicaSet', () => cache.index.childrenOf(uid)[0]);
  await eventually('two pods of the ReplicaSet', () => (cache.index.childrenOf(rs.metadata.uid!).length === 2 ? true : undefined));
  await eventually('pod changes attributed to the app', () => (changes.some((c) => c.app === 'shop' && c.kind === 'Pod') ? true : undefined));
  const available = await eventually('the Deployment available in the cache', () => {
    const d = cache.managedBy('shop').find((o) => o.metadata.namespace === ns);
    return (d?.['status'] as { availableReplicas?: number } | undefined)?.availableReplicas === 2 ? d : undefined;
  });
  assert.ok(available);
});

test('a CRD installed after start is discovered and watched', async (t) => {
  const ns = await createTestNamespace(t, await useTestCluster());
  const group = `live${Date.now()}.capstan.dev`;
  const crd: KubeObject = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `gadgets.${group}` },
    spec: { group, scope: 'Namespaced', names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }] } };
  await client.apply(crd, { fieldManager: 'capstan' });
  t.after(async () => { await client.delete(crd); });
  const deadline = Date.now() + 30_000;
  for (;;) {
    try { await cache.ensureWatching(`${group}/v1`, 'Gadget'); break; } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(200);
    }
  }
  await client.apply(tracked('gadgets', { apiVersion: `${group}/v1`, kind: 'Gadget', metadata: { name: 'g', namespace: ns }, spec: { size: 3 } }),
    { fieldManager: 'capstan' });
  const g = await eventually('the custom resource in the index', () => cache.managedBy('gadgets')[0]);
  assert.deepEqual(g['spec'], { size: 3 });
});
