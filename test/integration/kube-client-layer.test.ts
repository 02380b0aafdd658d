// The Kubernetes client layer against a real API server: server-side apply
// (create, update, no-op, conflicts and force, dry run), paged lists,
// deletion with a propagation policy, discovery of a CRD made at run time, and
// a watch that recovers from 410 Gone by relisting.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/api/kube-object.ts';
import { KubeApiError } from '../../src/kube/api-error.ts';
import { KubeClient } from '../../src/kube/kube-client.ts';
import { compactEtcd, createTestNamespace, useTestCluster } from '../harness/cluster.ts';
import { eventually } from '../harness/eventually.ts';

let client: KubeClient;
before(async () => { client = KubeClient.fromKubeconfig({ kubeconfigPath: (await useTestCluster()).kubeconfigPath }); });
after(() => client.close());

const configMap = (ns: string, name: string, data: Record<string, string>): KubeObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data });


test('server-side apply creates, updates, and leaves an identical object alone', async (t) => {
  const ns = await createTestNamespace(t, await useTestCluster());
  const created = await client.apply(configMap(ns, 'cfg', { a: '1' }), { fieldManager: 'capstan' });
  assert.equal((created['data'] as Record<string, string>)['a'], '1');
  const same = await client.apply(configMap(ns, 'cfg', { a: '1' }), { fieldManager: 'capstan' });
  assert.equal(same.metadata.resourceVersion, created.metadata.resourceVersion, 'no-op apply keeps the resourceVersion');
  const updated = await client.apply(configMap(ns, 'cfg', { a: '2', b: '3' }), { fieldManager: 'capstan' });
  assert.notEqual(updated.metadata.resourceVersion, created.metadata.resourceVersion);
  assert.deepEqual(updated['data'], { a: '2', b: '3' });
  // A YAML manifest string is sent as is.
  const fromYaml = await client.apply(configMap(ns, 'cfg2', {}), { fieldManager: 'capstan' },
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg2\n  namespace: ${ns}\ndata:\n  k: "from yaml"\n`);
  assert.deepEqual(fromYaml['data'], { k: 'from yaml' });
});

test('a field owned by another manager conflicts until forced', async (t) => {
  const ns = await createTestNamespace(t, await useTestCluster());
  await client.apply(configMap(ns, 'shared', { owner: 'capstan' }), { fieldManager: 'capstan' });
  await assert.rejects(client.apply(configMap(ns, 'shared', { owner: 'someone' }), { fieldManager: 'someone-else' }),
    (err: unknown) => err instanceof KubeApiError && err.conflict && err.retry === 'wait'
      && /apply v1 ConfigMap .*\/shared: Apply failed with 1 conflict/.test(err.message));
  const forced = await client.apply(configMap(ns, 'shared', { owner: 'someone' }), { fieldManager: 'someone-else', force: true });
  assert.deepEqual(forced['data'], { owner: 'someone' });
  const managers = (forced.metadata.managedFields as Array<{ manager: string }>).map((m) => m.manager);
  assert.ok(managers.includes('someone-else'));
});

test('dry-run apply validates and returns the result without persisting', async (t) => {
  const ns = await createTestNamespace(t, await useTestCluster());
  const predicted = await client.apply(configMap(ns, 'dry', { x: 'y' }), { fieldManager: 'capstan', dryRun: true });
  assert.deepEqual(predicted['data'], { x: 'y' });
  assert.equal(await client.get('v1', 'ConfigMap', ns, 'dry'), undefined);
  await assert.rejects(client.apply({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'bad', namespace: ns }, spec: {} },
    { fieldManager: 'capstan', dryRun: true }), (err: unknown) => err instanceof KubeApiError && err.status === 422);
});

test('a dry run of what was just applied, as the same manager, answers the applied object unchanged', async (t) => {
  // What the sync relies on when it keeps a real apply's answer as the prediction for the version it made.
  const ns = await createTestNamespace(t, await useTestCluster());
  const objects: KubeObject[] = [
    configMap(ns, 'idem', { a: '1' }),
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'idem', namespace: ns }, stringData: { token: 'x' } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'idem', namespace: ns }, spec: { selector: { app: 'a' }, ports: [{ port: 80 }] } },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'idem', namespace: ns },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] },
  ];
  for (const obj of objects) {
    for (const options of [{ fieldManager: 'capstan', fieldValidation: 'Strict' }, { fieldManager: 'argocd-controller', fieldValidation: 'Ignore' }] as const) {
      // Created by one apply, then taken over by the other manager (forced): each answer is a fixed point.
      const applied = await client.apply(obj, { ...options, force: true });
      const again = await client.apply(obj, { ...options, force: true, dryRun: true });
      assert.deepEqual(again, applied, `${obj.kind} as ${options.fieldManager}: defaulting, stringData and managedFields as applied`);
    }
  }
});

test('list reads every page with limit/continue', async (t) => {
  const ns = await createTestNamespace(t, await useTestCluster());
  await Promise.all(Array.from({ length: 23 }, (_, i) => client.apply(configMap(ns, `c-${i}`, { i: String(i) }), { fieldManager: 'capstan' })));
  const all = await client.list('v1', 'ConfigMap', { namespace: ns, pageSize: 5 });
  assert.equal(all.filter((o) => o.metadata.name?.startsWith('c-')).length, 23);
  assert.ok(all.every((o) => o.kind === 'ConfigMap' && o.apiVersion === 'v1'));
});

test('delete with a propagation policy, then a second delete reports the object gone', async (t) => {
  const ns = await createTestNamespace(t, await useTestCluster());
  const labels = { app: 'd' };
  const deployment: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: ns },
    spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'x' }] } } } };
  await client.apply(deployment, { fieldManager: 'capstan' });
  await eventually('a ReplicaSet', async () => ((await client.list('apps/v1', 'ReplicaSet', { namespace: ns })).length > 0 ? true : undefined));
  assert.equal(await client.delete(deployment, { propagationPolicy: 'Foreground' }), true);
  await eventually('the deployment and its ReplicaSets gone', async () =>
    (await client.get('apps/v1', 'Deployment', ns, 'd')) === undefined
      && (await client.list('apps/v1', 'ReplicaSet', { namespace: ns })).length === 0 ? true : undefined);
  assert.equal(await client.delete(deployment), false);
});

test('discovery finds a CRD created at run time', async () => {
  const group = `t${Date.now()}.capstan.dev`;
  const crd: KubeObject = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
    metadata: { name: `widgets.${group}` },
    spec: { group, scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }] } };
  await client.discovery.all();
  await client.apply(crd, { fieldManager: 'capstan' });
  try {
    const res = await eventually('the Widget kind served', async () => {
      try { return await client.discovery.resourceFor(`${group}/v1`, 'Widget'); } catch { return undefined; }
    });
    assert.deepEqual([res.resource, res.namespaced], ['widgets', true]);
  } finally {
    await client.delete(crd);
  }
});

test('a watch from a compacted resourceVersion gets 410 Gone, relists, and follows changes', async (t) => {
  const cluster = await useTestCluster();
  const ns = await createTestNamespace(t, cluster);
  const template = (name: string, image: string): KubeObject => ({ apiVersion: 'v1', kind: 'PodTemplate', metadata: { name, namespace: ns },
    template: { spec: { containers: [{ name: 'c', image }] } } });
  const first = await client.apply(template('tpl', 'a:1'), { fieldManager: 'capstan' });
  const oldVersion = first.metadata.resourceVersion!;
  for (const tag of ['2', '3', '4']) await client.apply(template('tpl', `a:${tag}`), { fieldManager: 'capstan' });
  await compactEtcd(cluster);
  const syncs: string[][] = [];
  const events: string[] = [];
  const stop = new AbortController();
  const done = client.watch('v1', 'PodTemplate', {
    onSync: (objects) => syncs.push(objects.map((o) => `${o.metadata.name}@${(o['template'] as { spec: { containers: Array<{ image: string }> } }).spec.containers[0]!.image}`)),
    onEvent: (type, obj) => events.push(`${type} ${obj.metadata.name}`),
  }, { namespace: ns, resourceVersion: oldVersion, signal: stop.signal });
  await eventually('a relist after 410', () => (syncs.length > 0 ? true : undefined));
  assert.deepEqual(syncs[0], ['tpl@a:4'], 'the relist holds the current object');
  await client.apply(template('later', 'b:1'), { fieldManager: 'capstan' });
  await eventually('the ADDED event', () => (events.includes('ADDED later') ? true : undefined));
  await client.delete(template('later', 'b:1'));
  await eventually('the DELETED event', () => (events.includes('DELETED later') ? true : undefined));
  stop.abort();
  await done;
  assert.ok(!events.some((e) => e.endsWith(' tpl')), 'no stale events replayed from before the relist');
});
