// Live state, diff and health on a real cluster through the Application
// controller and a real git repository: defaulted fields are not drift and a
// changed replica count is; a real Deployment's health moves from
// Progressing to Healthy as kwok runs its pods; `capstan app diff` exit codes
// and masked Secrets; ignoreDifferences by JSON pointer and by manager, from
// the app and from a real argocd-cm whose change re-evaluates the app;
// RespectIgnoreDifferences at sync; a kind with no CRD yet reported on its
// resource, then watched once its CRD is installed; jqPathExpressions and Lua
// health through a real argocd-cm, run by the compatibility engine (gojq,
// gopher-lua), a failing script reported as Unknown; a kind excluded by
// default left out of the app with a warning.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Application } from '../../src/api/application.ts';
import type { KubeObject } from '../../src/api/kube-object.ts';
import { AppController } from '../../src/controller/app-controller.ts';
import { installControlPlane } from '../../src/controller/install-crds.ts';
import { loadCompatRuntime } from '../../src/engine.ts';
import { assessHealth } from '../../src/health/assess-health.ts';
import { KubeClient } from '../../src/kube/kube-client.ts';
import { ensureBinaries } from '../../src/render/tool-binaries.ts';
import { RenderCache } from '../../src/render/render-cache.ts';
import { RepositoryStore } from '../../src/source/repository-store.ts';
import { useTestCluster, type TestCluster } from '../harness/cluster.ts';
import { eventually } from '../harness/eventually.ts';
import { TestRepo } from '../harness/git-repo.ts';
import { deploymentYaml } from '../harness/manifests.ts';

const run = promisify(execFile);
const ns = `dh-${process.pid}`;
const group = `dh${process.pid}.capstan.dev`;
let cluster: TestCluster;
let client: KubeClient;
let controller: AppController;
let repo: TestRepo;
let cacheDir: string;

const deployment = (name: string, replicas: number): string => deploymentYaml(name, { replicas });
const configMap = (name: string, value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata: {value: "${value}"}\n`;
const secret = 'apiVersion: v1\nkind: Secret\nmetadata: {name: creds}\nstringData: {password: "s3cr3t-from-git"}\n';
const gizmo = `apiVersion: ${group}/v1\nkind: Gizmo\nmetadata: {name: g}\nspec: {size: 3}\n`;

before(async () => {
  cluster = await useTestCluster();
  client = KubeClient.fromKubeconfig({ kubeconfigPath: cluster.kubeconfigPath });
  await installControlPlane(client, ns);
  repo = new TestRepo();
  repo.commit({
    'drift/web.yaml': deployment('web', 2), 'drift/creds.yaml': secret,
    'ignore/api.yaml': deployment('api', 2), 'ignore/conf.yaml': configMap('conf', 'git'),
    'crd/conf.yaml': configMap('plain', 'x'), 'crd/gizmo.yaml': gizmo,
    'lua/conf.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lua-conf}\ndata: {value: bad, ignored: git}\n',
    'excl/conf.yaml': configMap('kept', 'x'),
    'excl/endpoints.yaml': 'apiVersion: v1\nkind: Endpoints\nmetadata: {name: manual}\nsubsets: []\n',
    'lua/creds.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: lua-creds}\nstringData: {a: b}\n',
  });
  const compat = await loadCompatRuntime((l) => process.stderr.write(`${l}\n`));
  assert.ok(compat, 'the compatibility engine loads');
  cacheDir = mkdtempSync(path.join(os.tmpdir(), 'capstan-dh-'));
  controller = new AppController({ client, namespace: ns, waveDelayMs: 0, reconcileIntervalMs: 3_600_000, log: (l) => process.stderr.write(`controller: ${l}\n`), compat,
    render: { repositories: new RepositoryStore({ cacheDir }), binaries: await ensureBinaries(), cacheDir, cache: new RenderCache() } });
  await controller.start();
});

after(async () => {
  controller.close();
  for (const n of [ns, `${ns}-drift`, `${ns}-ignore`, `${ns}-crd`, `${ns}-lua`, `${ns}-excl`]) await client.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } });
  await client.delete({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `gizmos.${group}` } });
  client.close();
  repo.remove();
  rmSync(cacheDir, { recursive: true, force: true });
});

const appRef = (name: string): KubeObject => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace: ns } });
const getApp = async (name: string): Promise<Application> => (await client.get('argoproj.io/v1alpha1', 'Application', ns, name)) as unknown as Application;

async function createApp(name: string, extra: Record<string, unknown> = {}): Promise<void> {
  await client.create({ ...appRef(name), spec: { project: 'default', source: { repoURL: repo.dir, targetRevision: 'HEAD', path: name },
    destination: { server: 'https://kubernetes.default.svc', namespace: `${ns}-${name}` }, syncPolicy: { syncOptions: ['CreateNamespace=true'] }, ...extra } });
}

async function sync(name: string, syncOptions: string[] = ['CreateNamespace=true']): Promise<Application> {
  const before = (await getApp(name)).status?.operationState?.startedAt ?? '';
  await client.patch(appRef(name), { operation: { initiatedBy: { username: 'test' }, sync: { prune: true, syncOptions } } }, 'merge');
  return eventually(`${name} synced`, async () => {
    const a = await getApp(name);
    const st = a.status?.operationState;
    if (a.operation === undefined && st?.finishedAt && st.startedAt !== before) {
      assert.equal(st.phase, 'Succeeded', st.message);
      return a;
    }
    return undefined;
  });
}

/** Waits for a reconcile that started after now, then returns the app. */
async function reconciledAfter(name: string, since: string, ok: (a: Application) => boolean, what: string): Promise<Application> {
  return eventually(what, async () => {
    const a = await getApp(name);
    return (a.status?.reconciledAt ?? '') >= since && ok(a) ? a : undefined;
  }, 60_000, async () => (await getApp(name)).status);
}

const refresh = (name: string) => client.patch(appRef(name), { metadata: { annotations: { 'argocd.argoproj.io/refresh': 'normal' } } }, 'merge');
const nowIso = (): string => new Date().toISOString();

async function capstan(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [path.resolve('bin/capstan.js'), ...args, '--kubeconfig', cluster.kubeconfigPath, '-n', ns], { timeout: 180_000 });
    return { code: 0, ...r };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

test('defaulted fields are not drift, a changed replica count is; health follows kwok; capstan app diff', async () => {
  await createApp('drift');
  const dest = `${ns}-drift`;
  await eventually('OutOfSync before the first sync', async () => ((await getApp('drift')).status?.sync?.status === 'OutOfSync' ? true : undefined));
  // Follow the real Deployment's health through every watch event, from its creation until kwok has run its pods.
  const seen: string[] = [];
  const stopWatch = new AbortController();
  const record = (d: KubeObject): void => {
    const h = d.metadata.name === 'web' ? assessHealth(d)?.status : undefined;
    if (h !== undefined && seen.at(-1) !== h) seen.push(h);
  };
  void client.watch('apps/v1', 'Deployment', { onSync: (objects) => objects.forEach(record), onEvent: (_t, d) => record(d) },
    { namespace: dest, signal: stopWatch.signal });
  await sync('drift');
  await eventually('the Deployment Healthy', () => (seen.at(-1) === 'Healthy' ? true : undefined));
  stopWatch.abort();
  assert.deepEqual(seen, ['Progressing', 'Healthy'], 'Progressing while the rollout runs, then Healthy');
  const synced = await eventually('Synced and Healthy', async () => {
    const a = await getApp('drift');
    return a.status?.sync?.status === 'Synced' && a.status.health?.status === 'Healthy' ? a : undefined;
  }, 60_000, async () => (await getApp('drift')).status?.resources);
  assert.ok(synced.status?.resources?.every((r) => r.status === 'Synced'), 'server defaults (strategy, probes, dnsPolicy, …) are not drift');
  assert.deepEqual((await capstan('app', 'diff', 'drift')).code, 0, 'no difference: exit 0');

  const since = nowIso();
  await client.patch({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: dest } }, { spec: { replicas: 3 } }, 'merge', { fieldManager: 'someone' });
  await client.patch({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: dest } }, { stringData: { password: 'changed-in-cluster' } }, 'merge', { fieldManager: 'someone' });
  const drifted = await reconciledAfter('drift', since, (a) => a.status?.sync?.status === 'OutOfSync'
    && a.status.resources?.filter((r) => r.status === 'OutOfSync').length === 2, 'the replica count and the Secret as drift');
  assert.deepEqual(drifted.status?.resources?.filter((r) => r.status === 'OutOfSync').map((r) => r.kind).sort(), ['Deployment', 'Secret']);
  const diff = await capstan('app', 'diff', 'drift');
  assert.equal(diff.code, 1, `differences: exit 1 (${diff.stderr})`);
  assert.match(diff.stdout, new RegExp(`===== apps/Deployment ${dest}/web ======`));
  assert.match(diff.stdout, /^- {2}replicas: 3$/m);
  assert.match(diff.stdout, /^\+ {2}replicas: 2$/m);
  assert.match(diff.stdout, /^- {2}password: \+{12}$/m, 'the live value is masked');
  assert.match(diff.stdout, /^\+ {2}password: \+{8}$/m, 'the desired value is masked with a different mask');
  for (const clear of ['s3cr3t', 'changed-in-cluster', Buffer.from('s3cr3t-from-git').toString('base64'), Buffer.from('changed-in-cluster').toString('base64')]) {
    assert.ok(!diff.stdout.includes(clear), `no clear secret in the diff (${clear})`);
  }
  assert.equal((await capstan('app', 'diff', 'no-such-app')).code, 2, 'an error: exit 2');
});

test('ignoreDifferences by pointer and manager, from the app and from argocd-cm; RespectIgnoreDifferences', async () => {
  await createApp('ignore', { ignoreDifferences: [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }] });
  const dest = `${ns}-ignore`;
  await sync('ignore');
  await eventually('Synced', async () => ((await getApp('ignore')).status?.sync?.status === 'Synced' ? true : undefined));
  let since = nowIso();
  await client.patch({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: dest } }, { spec: { replicas: 4 } }, 'merge', { fieldManager: 'autoscaler' });
  await client.patch({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'conf', namespace: dest } }, { data: { value: 'ops' } }, 'merge', { fieldManager: 'ops-tool' });
  const a1 = await reconciledAfter('ignore', since, (a) => a.status?.sync?.status === 'OutOfSync', 'the ConfigMap edit as drift');
  assert.deepEqual(a1.status?.resources?.map((r) => `${r.kind}:${r.status}`).sort(), ['ConfigMap:OutOfSync', 'Deployment:Synced'],
    'the ignored replica count is not drift');

  since = nowIso();
  await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm', namespace: ns },
    data: { 'resource.customizations.ignoreDifferences.ConfigMap': 'managedFieldsManagers:\n- ops-tool\n' } }, { fieldManager: 'test' });
  const a2 = await reconciledAfter('ignore', since, (a) => a.status?.sync?.status === 'Synced', 'Synced after the argocd-cm change, without touching the app');
  assert.ok(a2.status?.resources?.every((r) => r.status === 'Synced'));

  await sync('ignore', ['RespectIgnoreDifferences=true']);
  const respected = await client.get('apps/v1', 'Deployment', dest, 'api');
  assert.equal((respected?.['spec'] as { replicas: number }).replicas, 4, 'RespectIgnoreDifferences keeps the live replica count');
  assert.equal(((await client.get('v1', 'ConfigMap', dest, 'conf'))?.['data'] as { value: string }).value, 'ops', 'and the field ops-tool owns');
  await sync('ignore', []);
  const overwritten = await client.get('apps/v1', 'Deployment', dest, 'api');
  assert.equal((overwritten?.['spec'] as { replicas: number }).replicas, 2, 'without it, a sync applies git\'s value');
  await client.delete({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm', namespace: ns } });
});

test('a kind with no CRD yet is reported on its resource, not fatal; once its CRD is installed it is watched', async () => {
  await createApp('crd');
  const a1 = await eventually('the unknown kind reported', async () => {
    const a = await getApp('crd');
    return a.status?.resources?.some((r) => r.kind === 'Gizmo') ? a : undefined;
  });
  assert.equal(a1.status?.sync?.status, 'OutOfSync', 'the rest of the app is still compared');
  assert.match(a1.status?.conditions?.find((c) => c.type === 'ComparisonError')?.message ?? '', new RegExp(`does not serve ${group}/v1/Gizmo`));
  const gizmoStatus = a1.status?.resources?.find((r) => r.kind === 'Gizmo');
  assert.equal(gizmoStatus?.health?.status, 'Missing');
  assert.match(gizmoStatus?.health?.message ?? '', /no CRD yet/);
  assert.equal(a1.status?.resources?.find((r) => r.kind === 'ConfigMap')?.status, 'OutOfSync');
  await client.apply({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `gizmos.${group}` },
    spec: { group, scope: 'Namespaced', names: { plural: 'gizmos', singular: 'gizmo', kind: 'Gizmo' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }] } },
  { fieldManager: 'test' });
  await eventually('the condition cleared once the CRD is served', async () => {
    await refresh('crd');
    const a = await getApp('crd');
    return a.status?.conditions?.some((c) => c.type === 'ComparisonError') ? undefined : a;
  });
  await sync('crd');
  await eventually('Synced with the custom resource', async () => {
    const a = await getApp('crd');
    return a.status?.sync?.status === 'Synced' && a.status.resources?.find((r) => r.kind === 'Gizmo')?.status === 'Synced' ? true : undefined;
  });
});

test('jqPathExpressions and Lua health from a real argocd-cm; a failing script is Unknown, never a crash', async () => {
  await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm', namespace: ns }, data: {
    'resource.customizations.health.ConfigMap': [
      'hs = {}',
      'if obj.data ~= nil and obj.data.value == "bad" then',
      '  hs.status = "Degraded"',
      '  hs.message = "value is " .. obj.data.value .. " (" .. table.getn({1, 2, 3}) .. " checks, " .. 7 / 2 .. ")"',
      '  return hs',
      'end',
      'hs.status = "Healthy"',
      'return hs',
    ].join('\n'),
    'resource.customizations.health.Secret': 'return obj.nothing.here',
    'resource.customizations.ignoreDifferences.ConfigMap': 'jqPathExpressions:\n- .data.ignored\n',
  } }, { fieldManager: 'test' });
  await createApp('lua');
  await sync('lua');
  const a1 = await eventually('Lua health in the status', async () => {
    const a = await getApp('lua');
    return a.status?.resources?.find((r) => r.kind === 'Secret')?.health?.status === 'Unknown' ? a : undefined;
  }, 60_000, async () => (await getApp('lua')).status?.resources);
  const conf = a1.status?.resources?.find((r) => r.kind === 'ConfigMap');
  assert.deepEqual(conf?.health, { status: 'Degraded', message: 'value is bad (3 checks, 3.5)' });
  assert.match(a1.status?.resources?.find((r) => r.kind === 'Secret')?.health?.message ?? '', /health script for Secret: <string>:1: attempt to index a non-table object\(nil\) with key 'here'/);
  assert.equal(a1.status?.health?.status, 'Unknown', 'Unknown is the worst status');

  const since = nowIso();
  await client.patch({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'lua-conf', namespace: `${ns}-lua` } }, { data: { ignored: 'cluster' } }, 'merge', { fieldManager: 'someone' });
  const a2 = await reconciledAfter('lua', since, () => true, 'a reconcile after the edit of an ignored field');
  assert.equal(a2.status?.sync?.status, 'Synced', 'the jq expression ignores .data.ignored');

  const since2 = nowIso();
  await client.patch({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm', namespace: ns } },
    { data: { 'resource.customizations.health.Secret': null } }, 'merge');
  const a3 = await reconciledAfter('lua', since2, (a) => a.status?.health?.status === 'Degraded', 'app health from the ConfigMap script once the broken one is gone');
  assert.equal(a3.status?.resources?.find((r) => r.kind === 'Secret')?.health, undefined, 'Secrets have no health without a script');
  await client.delete({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm', namespace: ns } });
});

test('kinds excluded by default (Endpoints) are left out of the app with a warning, the rest syncs', async () => {
  await createApp('excl');
  await sync('excl');
  const a = await eventually('Synced without the excluded kind', async () => {
    const x = await getApp('excl');
    return x.status?.sync?.status === 'Synced' ? x : undefined;
  }, 60_000, async () => (await getApp('excl')).status);
  assert.deepEqual(a.status?.resources?.map((r) => r.kind), ['ConfigMap']);
  assert.match(a.status?.conditions?.find((c) => c.type === 'ExcludedResourceWarning')?.message ?? '', /Resource \/Endpoints manual is excluded in the settings/);
  assert.equal(await client.get('v1', 'Endpoints', `${ns}-excl`, 'manual'), undefined, 'never applied');
});
