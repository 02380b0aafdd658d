// Argo CD's sync options on a real cluster, one test each: CreateNamespace with
// managedNamespaceMetadata, ServerSideApply's field manager and client-side
// apply migration, ApplyOutOfSyncOnly, Replace, Force, Validate=false,
// SkipDryRunOnMissingResource, FailOnSharedResource, Prune=false at app and
// resource level with PrunePropagationPolicy, and a CRD with its custom
// resources in one sync (the whole plan dry-run first).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import type { KubeObject } from '../../src/api/kube-object.ts';
import { diffApplication } from '../../src/controller/app-diff.ts';
import { ensureBinaries } from '../../src/render/tool-binaries.ts';
import { defaultSettings } from '../../src/settings/argocd-cm.ts';
import { AppHarness, cmYaml, deploymentYaml, gatedDeploymentYaml, openGate } from '../harness/app-harness.ts';
import { eventually } from '../harness/eventually.ts';

let h: AppHarness;
const crds: string[] = [];
const gates: string[] = [];

before(async () => { h = await AppHarness.start('opts'); });
after(async () => {
  for (const c of crds) await h.client.delete({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: c } }).catch(() => undefined);
  for (const g of gates) await openGate(h.client, g, false).catch(() => undefined);
  await h.close();
});

async function namespace(name: string): Promise<string> {
  const ns = h.dest(name);
  await h.client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, { fieldManager: 'test' });
  return ns;
}

const data = async (ns: string, name: string): Promise<Record<string, string> | undefined> =>
  (await h.get('v1', 'ConfigMap', ns, name))?.['data'] as Record<string, string> | undefined;
const managers = (o: KubeObject | undefined): string[] =>
  ((o?.metadata.managedFields ?? []) as Array<{ manager: string; operation: string }>).map((m) => `${m.manager}:${m.operation}`).sort();

test('CreateNamespace creates the destination with managedNamespaceMetadata and follows its changes', async () => {
  const dest = h.dest('opt-ns');
  const repo = h.repo({ 'app/c.yaml': cmYaml('c') });
  await h.createApp('ns-meta', { repo, dest, operation: { sync: {} }, syncPolicy: { syncOptions: ['CreateNamespace=true'],
    managedNamespaceMetadata: { labels: { team: 'a', tier: 'x' }, annotations: { owner: 'me' } } } });
  const done = await h.finished('ns-meta');
  assert.equal(done.status?.operationState?.phase, 'Succeeded', done.status?.operationState?.message);
  let ns = await h.get('v1', 'Namespace', undefined, dest);
  assert.deepEqual([ns?.metadata.labels?.['team'], ns?.metadata.labels?.['tier'], ns?.metadata.annotations?.['owner']], ['a', 'x', 'me']);
  assert.deepEqual(done.status?.operationState?.syncResult?.managedNamespaceMetadata, { labels: { team: 'a', tier: 'x' }, annotations: { owner: 'me' } });
  assert.ok(managers(await h.get('v1', 'ConfigMap', dest, 'c')).includes('capstan:Apply'), 'applied as field manager capstan');

  await h.client.patch(h.ref('ns-meta'), { spec: { syncPolicy: { managedNamespaceMetadata: { labels: { tier: null, env: 'dev' } } } } }, 'merge');
  await h.waitApp('ns-meta', 'OutOfSync after the metadata changed', (a) => (a.status?.sync?.status === 'OutOfSync' ? a : undefined));
  await h.sync('ns-meta');
  await h.waitApp('ns-meta', 'synced again', (a) => (a.operation === undefined && a.status?.sync?.status === 'Synced' ? a : undefined));
  ns = await h.get('v1', 'Namespace', undefined, dest);
  assert.deepEqual(ns?.metadata.labels && { team: ns.metadata.labels['team'], tier: ns.metadata.labels['tier'], env: ns.metadata.labels['env'] },
    { team: 'a', tier: undefined, env: 'dev' }, 'a label dropped from managedNamespaceMetadata is removed');
});

test('ServerSideApply=true applies as argocd-controller and takes over client-side apply fields unless told not to', async () => {
  const dest = await namespace('opt-ssa');
  for (const name of ['migrated', 'kept']) {
    await h.client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: dest }, data: { a: '1', b: '2' } },
      { fieldManager: 'kubectl-client-side-apply' });
  }
  await h.createApp('ssa', { repo: h.repo({ 'app/m.yaml': cmYaml('migrated', { a: '1' }) }), dest,
    syncPolicy: { syncOptions: ['ServerSideApply=true'] }, operation: { sync: {} } });
  await h.createApp('ssa-no-migration', { repo: h.repo({ 'app/k.yaml': cmYaml('kept', { a: '1' }) }), dest,
    syncPolicy: { syncOptions: ['ServerSideApply=true', 'ClientSideApplyMigration=false'] }, operation: { sync: {} } });
  for (const app of ['ssa', 'ssa-no-migration']) assert.equal((await h.finished(app)).status?.operationState?.phase, 'Succeeded');
  assert.deepEqual(await data(dest, 'migrated'), { a: '1' }, 'the field git dropped is removed once its ownership moved');
  assert.deepEqual(managers(await h.get('v1', 'ConfigMap', dest, 'migrated')), ['argocd-controller:Apply']);
  assert.deepEqual(await data(dest, 'kept'), { a: '1', b: '2' }, 'without migration the client-side apply field stays');
  assert.deepEqual(managers(await h.get('v1', 'ConfigMap', dest, 'kept')), ['argocd-controller:Apply', 'kubectl-client-side-apply:Update']);
});

test('the diff dry-runs each object as its sync applies it: a field git drops from an argocd-controller object shows', async () => {
  const dest = await namespace('opt-ssa-diff');
  // Applied as argocd-controller: one app with ServerSideApply=true, one whose object asks for it itself.
  const appLevel = h.repo({ 'app/c.yaml': cmYaml('app-level', { a: '1', b: '2' }) });
  const resourceLevel = h.repo({ 'app/c.yaml': cmYaml('resource-level', { a: '1', b: '2' }, { 'argocd.argoproj.io/sync-options': 'ServerSideApply=true' }) });
  await h.createApp('ssa-diff', { repo: appLevel, dest, syncPolicy: { syncOptions: ['ServerSideApply=true'] }, operation: { sync: {} } });
  await h.createApp('ssa-res-diff', { repo: resourceLevel, dest, operation: { sync: {} } });
  for (const app of ['ssa-diff', 'ssa-res-diff']) assert.equal((await h.finished(app)).status?.operationState?.phase, 'Succeeded');
  assert.deepEqual(managers(await h.get('v1', 'ConfigMap', dest, 'resource-level')), ['argocd-controller:Apply']);

  appLevel.commit({ 'app/c.yaml': cmYaml('app-level', { a: '1' }) });
  resourceLevel.commit({ 'app/c.yaml': cmYaml('resource-level', { a: '1' }, { 'argocd.argoproj.io/sync-options': 'ServerSideApply=true' }) });
  const render = { repositories: h.repositories, binaries: await ensureBinaries(), cacheDir: h.cacheDir, cache: h.cache };
  for (const [app, object] of [['ssa-diff', 'app-level'], ['ssa-res-diff', 'resource-level']] as const) {
    await h.refresh(app);
    // Applying without `b` as its only manager removes it: the status and `capstan app diff` both say so.
    await h.waitApp(app, `${app} OutOfSync`, (a) => (a.status?.sync?.status === 'OutOfSync' ? a : undefined));
    const [view] = await diffApplication(await h.app(app), { client: h.client, render, settings: defaultSettings() });
    assert.equal(view?.name, object);
    assert.equal(view?.modified, true, `${object}: the dry run as argocd-controller removes b`);
    assert.match(view?.diff ?? '', /^-\s+b: "?2"?$/m);
    assert.equal(view?.localReason, undefined, 'the server predicted it');
  }
});

test('a sync reuses the dry runs the diff made, and its applies answer the compare after it', async () => {
  const dest = await namespace('opt-reuse');
  const repo = h.repo({ 'app/a.yaml': cmYaml('a', { v: '1' }), 'app/b.yaml': cmYaml('b', { v: '1' }) });
  await h.createApp('reuse', { repo, dest, operation: { sync: {} } });
  assert.equal((await h.finished('reuse')).status?.operationState?.phase, 'Succeeded');
  repo.commit({ 'app/a.yaml': cmYaml('a', { v: '2' }), 'app/b.yaml': cmYaml('b', { v: '2' }) });
  await h.refresh('reuse');
  await h.waitApp('reuse', 'OutOfSync at the new commit', (a) => (a.status?.sync?.status === 'OutOfSync' ? a : undefined));
  const count = (verb: string): number => h.client.connection.requestsByVerb.get(verb) ?? 0;
  const [dryRuns, applies] = [count('apply (dry run) ConfigMap'), count('apply ConfigMap')];
  await h.sync('reuse');
  await h.waitApp('reuse', 'Synced after the sync', (a) => (a.operation === undefined && a.status?.operationState?.phase === 'Succeeded'
    && a.status.sync?.status === 'Synced' ? a : undefined));
  await h.controller.idle();
  assert.deepEqual(await data(dest, 'a'), { v: '2' });
  assert.equal(count('apply ConfigMap') - applies, 2, 'both objects applied');
  // The plan's dry run is the one the diff made for (body, argocd-controller or capstan, validation, live
  // version); the compare after the sync finds each object at the version its apply answered.
  assert.equal(count('apply (dry run) ConfigMap') - dryRuns, 0, 'no dry run repeated');
});

test('ApplyOutOfSyncOnly applies only what drifted', async () => {
  const dest = await namespace('opt-oos');
  await h.createApp('oos', { repo: h.repo({ 'app/a.yaml': cmYaml('a'), 'app/b.yaml': cmYaml('b') }), dest,
    syncPolicy: { syncOptions: ['ApplyOutOfSyncOnly=true'] }, operation: { sync: {} } });
  await h.finished('oos');
  await h.client.patch({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: dest } }, { data: { k: 'changed' } }, 'merge');
  await h.waitApp('oos', 'OutOfSync', (a) => (a.status?.sync?.status === 'OutOfSync' ? a : undefined));
  await h.sync('oos');
  const done = await h.waitApp('oos', 'the second sync', (a) => (a.operation === undefined && a.status?.history?.length === 2 ? a : undefined));
  assert.deepEqual(done.status?.operationState?.syncResult?.resources?.map((r) => r.name), ['b']);
  assert.deepEqual(await data(dest, 'b'), { k: 'v' });
});

test('Replace=true replaces the object, dropping what others added', async () => {
  const dest = await namespace('opt-replace');
  await h.createApp('replace', { repo: h.repo({ 'app/r.yaml': cmYaml('r') }), dest, syncPolicy: { syncOptions: ['Replace=true'] }, operation: { sync: {} } });
  const first = await h.finished('replace');
  assert.match(first.status?.operationState?.syncResult?.resources?.[0]?.message ?? '', /configmap\/r created/);
  await h.client.patch({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'r', namespace: dest } },
    { metadata: { labels: { added: 'by-hand' } } }, 'merge', { fieldManager: 'someone' });
  await eventually('the cache saw the label', async () => ((await h.get('v1', 'ConfigMap', dest, 'r'))?.metadata.labels?.['added'] ? true : undefined));
  await h.sync('replace');
  const second = await h.waitApp('replace', 'the second sync', (a) => (a.operation === undefined && a.status?.history?.length === 2 ? a : undefined));
  assert.match(second.status?.operationState?.syncResult?.resources?.[0]?.message ?? '', /configmap\/r replaced/);
  assert.equal((await h.get('v1', 'ConfigMap', dest, 'r'))?.metadata.labels?.['added'], undefined);
});

const jobYaml = (name: string, image: string, options?: string): string => `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
${options ? `  annotations:\n    argocd.argoproj.io/sync-options: ${options}\n` : ''}spec:
  suspend: true
  template:
    spec:
      restartPolicy: Never
      containers: [{name: j, image: "${image}"}]
`;

test('Force=true recreates what the server refuses to change; without it the sync fails with the server\'s message', async () => {
  const dest = await namespace('opt-force');
  const forced = h.repo({ 'app/j.yaml': jobYaml('forced', 'example/job:1', 'Force=true') });
  const plain = h.repo({ 'app/j.yaml': jobYaml('plain', 'example/job:1') });
  await h.createApp('force', { repo: forced, dest, operation: { sync: {} } });
  await h.createApp('no-force', { repo: plain, dest, operation: { sync: {} } });
  await h.finished('force');
  await h.finished('no-force');
  const uid = (await h.get('batch/v1', 'Job', dest, 'forced'))?.metadata.uid;
  forced.commit({ 'app/j.yaml': jobYaml('forced', 'example/job:2', 'Force=true') });
  plain.commit({ 'app/j.yaml': jobYaml('plain', 'example/job:2') });
  await h.sync('force', { revision: forced.git('rev-parse', 'HEAD') });
  await h.sync('no-force', { revision: plain.git('rev-parse', 'HEAD') });
  const ok = await h.waitApp('force', 'recreated', (a) => (a.operation === undefined && a.status?.history?.length === 2 ? a : undefined));
  assert.match(ok.status?.operationState?.syncResult?.resources?.[0]?.message ?? '', /job\.batch\/forced replaced/);
  const job = await h.get('batch/v1', 'Job', dest, 'forced');
  assert.notEqual(job?.metadata.uid, uid, 'a new object');
  assert.equal((job?.['spec'] as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec.containers[0]!.image, 'example/job:2');
  const failed = await h.waitApp('no-force', 'failed', (a) => (a.operation === undefined && a.status?.operationState?.phase === 'Failed' ? a : undefined));
  assert.equal(failed.status?.operationState?.message, 'one or more objects failed to apply (dry run)');
  assert.match(failed.status?.operationState?.syncResult?.resources?.[0]?.message ?? '', /field is immutable/);
});

test('Replace=true with Force=true deletes and creates on every sync', async () => {
  const dest = await namespace('opt-replace-force');
  await h.createApp('replace-force', { repo: h.repo({ 'app/j.yaml': jobYaml('again', 'example/job:1', 'Force=true,Replace=true') }), dest, operation: { sync: {} } });
  await h.finished('replace-force');
  const uid = (await h.get('batch/v1', 'Job', dest, 'again'))?.metadata.uid;
  await h.sync('replace-force');
  await h.waitApp('replace-force', 'the second sync', (a) => (a.operation === undefined && a.status?.history?.length === 2 ? a : undefined));
  assert.notEqual((await h.get('batch/v1', 'Job', dest, 'again'))?.metadata.uid, uid);
});

const crdYaml = (plural: string, kind: string, group: string, scope: 'Namespaced' | 'Cluster', wave?: number): string => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${plural}.${group}
${wave === undefined ? '' : `  annotations:\n    argocd.argoproj.io/sync-wave: "${wave}"\n`}spec:
  group: ${group}
  scope: ${scope}
  names: {plural: ${plural}, singular: ${kind.toLowerCase()}, kind: ${kind}, listKind: ${kind}List}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: {type: object, x-kubernetes-preserve-unknown-fields: true}
`;
const crYaml = (kind: string, group: string, name: string, annotations = ''): string =>
  `apiVersion: ${group}/v1\nkind: ${kind}\nmetadata:\n  name: ${name}\n${annotations}spec: {size: 1}\n`;

test('SkipDryRunOnMissingResource lets a sync wait for a CRD something else installs; without it the plan is invalid', { timeout: 120_000 }, async () => {
  const dest = await namespace('opt-skipdry');
  const group = `skip${process.pid}.example.com`;
  const gate = `capstan.dev/skipdry-${process.pid}`;
  gates.push(gate);
  crds.push(`gadgets.${group}`);
  await h.createApp('skip-dry-run', { repo: h.repo({ 'app/web.yaml': gatedDeploymentYaml('web', gate),
    'app/g.yaml': crYaml('Gadget', group, 'g1', '  annotations:\n    argocd.argoproj.io/sync-wave: "1"\n    argocd.argoproj.io/sync-options: SkipDryRunOnMissingResource=true\n') }),
  dest, operation: { sync: {} } });
  await h.createApp('no-skip', { repo: h.repo({ 'app/g.yaml': crYaml('Gizmo', group, 'g2') }), dest, operation: { sync: {} } });
  const invalid = await h.finished('no-skip');
  assert.deepEqual([invalid.status?.operationState?.phase, invalid.status?.operationState?.message],
    ['Failed', 'one or more synchronization tasks are not valid']);
  assert.match(invalid.status?.operationState?.syncResult?.resources?.[0]?.message ?? '', /could not find the requested resource/);
  await h.waitApp('skip-dry-run', 'waiting on wave 0', (a) => (/waiting for healthy state of apps\/Deployment\/web/.test(a.status?.operationState?.message ?? '') ? a : undefined));
  await h.client.apply(parseYaml(crdYaml('gadgets', 'Gadget', group, 'Namespaced')) as KubeObject, { fieldManager: 'test' });
  await openGate(h.client, gate);
  const done = await h.finished('skip-dry-run', 90_000);
  assert.equal(done.status?.operationState?.phase, 'Succeeded', done.status?.operationState?.message);
  assert.ok(await h.get(`${group}/v1`, 'Gadget', dest, 'g1'));
});

test('unknown fields fail validation; Validate=false lets the server drop them', async () => {
  const dest = await namespace('opt-validate');
  const group = `strict${process.pid}.example.com`;
  crds.push(`shapes.${group}`);
  const crd = parseYaml(crdYaml('shapes', 'Shape', group, 'Namespaced')) as KubeObject;
  (crd['spec'] as { versions: Array<{ schema: unknown }> }).versions[0]!.schema = { openAPIV3Schema: { type: 'object',
    properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } };
  await h.client.apply(crd, { fieldManager: 'test' });
  await eventually('the Shape kind served', async () => (await h.client.discovery.tryResourceFor(`${group}/v1`, 'Shape').catch(() => undefined)
    ?? (h.client.discovery.invalidate(), undefined)));
  const shape = (annotations: string) => `apiVersion: ${group}/v1\nkind: Shape\nmetadata:\n  name: s\n${annotations}spec: {size: 1, color: red}\n`;
  const repo = h.repo({ 'app/s.yaml': shape('') });
  await h.createApp('validate', { repo, dest, operation: { sync: {} } });
  const failed = await h.finished('validate');
  assert.equal(failed.status?.operationState?.message, 'one or more objects failed to apply (dry run)');
  assert.match(failed.status?.operationState?.syncResult?.resources?.[0]?.message ?? '', /\.spec\.color: field not declared in schema/);
  assert.equal(await h.get(`${group}/v1`, 'Shape', dest, 's'), undefined, 'nothing applied');
  const fixed = repo.commit({ 'app/s.yaml': shape('  annotations:\n    argocd.argoproj.io/sync-options: Validate=false\n') });
  await h.sync('validate', { revision: fixed });
  await h.waitApp('validate', 'synced', (a) => (a.operation === undefined && a.status?.operationState?.phase === 'Succeeded' ? a : undefined));
  assert.deepEqual((await h.get(`${group}/v1`, 'Shape', dest, 's'))?.['spec'], { size: 1 });
});

test('FailOnSharedResource refuses to sync an object another app tracks', async () => {
  const dest = await namespace('opt-shared');
  await h.createApp('owner', { repo: h.repo({ 'app/s.yaml': cmYaml('shared', { v: 'owner' }) }), dest, operation: { sync: {} } });
  await h.finished('owner');
  await h.createApp('intruder', { repo: h.repo({ 'app/s.yaml': cmYaml('shared', { v: 'intruder' }) }), dest,
    syncPolicy: { syncOptions: ['FailOnSharedResource=true'] }, operation: { sync: { syncOptions: ['FailOnSharedResource=true'] } } });
  const refused = await h.finished('intruder');
  const message = `ConfigMap/shared is part of applications ${h.ns}/intruder and owner`;
  assert.deepEqual([refused.status?.operationState?.phase, refused.status?.operationState?.message], ['Failed', `Shared resource found: ${message}`]);
  assert.ok(refused.status?.conditions?.some((c) => c.type === 'SharedResourceWarning' && c.message === message));
  assert.deepEqual(await data(dest, 'shared'), { v: 'owner' });
});

test('Prune=false at app level skips pruning unless the resource says Prune=true; PrunePropagationPolicy=orphan keeps dependents', { timeout: 120_000 }, async () => {
  const dest = await namespace('opt-prune');
  const web = deploymentYaml('web', { annotations: { 'argocd.argoproj.io/sync-options': 'Prune=true' } });
  const repo = h.repo({ 'app/keep.yaml': cmYaml('keep'), 'app/stay.yaml': cmYaml('stay'), 'app/web.yaml': web });
  await h.createApp('prune-opts', { repo, dest, syncPolicy: { syncOptions: ['Prune=false', 'PrunePropagationPolicy=orphan'] }, operation: { sync: {} } });
  await h.finished('prune-opts');
  const rs = await eventually('the ReplicaSet of web', async () => (await h.client.list('apps/v1', 'ReplicaSet', { namespace: dest }))[0]);
  const after = repo.commit({ 'app/stay.yaml': undefined, 'app/web.yaml': undefined });
  await h.sync('prune-opts', { revision: after, prune: true });
  const done = await h.waitApp('prune-opts', 'the prune sync', (a) => (a.operation === undefined && a.status?.history?.length === 2 ? a : undefined));
  const results = Object.fromEntries((done.status?.operationState?.syncResult?.resources ?? []).map((r) => [r.name, `${r.status}: ${r.message}`]));
  assert.deepEqual([results['stay'], results['web']], ['PruneSkipped: ignored (no prune)', 'Pruned: pruned']);
  assert.ok(await h.get('v1', 'ConfigMap', dest, 'stay'));
  await eventually('web gone', async () => ((await h.get('apps/v1', 'Deployment', dest, 'web')) === undefined ? true : undefined));
  const orphan = await eventually('the ReplicaSet orphaned', async () => {
    const r = await h.get('apps/v1', 'ReplicaSet', dest, rs.metadata.name!);
    return r !== undefined && (r.metadata.ownerReferences ?? []).length === 0 ? r : undefined;
  });
  assert.equal(orphan.metadata.uid, rs.metadata.uid);
  assert.equal(done.status?.sync?.status, 'OutOfSync', 'what was not pruned still needs pruning');
});

test('a CRD and its custom resources sync together, namespaced and cluster-scoped', async () => {
  const dest = h.dest('opt-crd');
  const group = `crd${process.pid}.example.com`;
  crds.push(`widgets.${group}`, `clusterwidgets.${group}`);
  await h.createApp('crds', { repo: h.repo({
    'app/crd.yaml': crdYaml('widgets', 'Widget', group, 'Namespaced', 5),
    'app/ccrd.yaml': crdYaml('clusterwidgets', 'ClusterWidget', group, 'Cluster'),
    'app/w.yaml': crYaml('Widget', group, 'w1'), 'app/cw.yaml': crYaml('ClusterWidget', group, 'cw1'), 'app/c.yaml': cmYaml('c'),
  }), dest, syncPolicy: { automated: { prune: true }, syncOptions: ['CreateNamespace=true'] } });
  const synced = await h.waitApp('crds', 'Synced and Healthy', (a) => (a.status?.sync?.status === 'Synced' && a.status.health?.status === 'Healthy'
    && a.operation === undefined ? a : undefined), 90_000);
  assert.equal(synced.status?.history?.[0] !== undefined, true);
  assert.ok(await h.get(`${group}/v1`, 'Widget', dest, 'w1'));
  const cw = await h.get(`${group}/v1`, 'ClusterWidget', undefined, 'cw1');
  assert.equal(cw?.metadata.annotations?.['argocd.argoproj.io/tracking-id'], `crds:${group}/ClusterWidget:/cw1`);
  const first = synced.status?.history?.[0];
  assert.ok(first, 'the first sync succeeded with the CRDs and the resources in one plan');
});
