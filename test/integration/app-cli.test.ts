// `capstan app` against a running engine: list, sync (waits, exit code), get,
// history, rollback to an earlier revision, wait, and delete without cascade.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { AppController } from '../../src/controller/app-controller.ts';
import { installControlPlane } from '../../src/controller/install-crds.ts';
import { KubeClient } from '../../src/kube/kube-client.ts';
import { ensureBinaries } from '../../src/render/tool-binaries.ts';
import { RenderCache } from '../../src/render/render-cache.ts';
import { RepositoryStore } from '../../src/source/repository-store.ts';
import { useTestCluster, type TestCluster } from '../harness/cluster.ts';
import { TestRepo } from '../harness/git-repo.ts';

const run = promisify(execFile);
const ns = `cli-${process.pid}`;
const dest = `cli-dest-${process.pid}`;
let cluster: TestCluster;
let client: KubeClient;
let controller: AppController;
let repo: TestRepo;
let cacheDir: string;
let first: string;
let second: string;

const cm = (v: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: conf\ndata:\n  v: "${v}"\n`;

async function capstan(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [path.resolve('bin/capstan.js'), ...args, '--kubeconfig', cluster.kubeconfigPath, '-n', ns], { timeout: 120_000 });
    return { code: 0, ...r };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

before(async () => {
  cluster = await useTestCluster();
  client = KubeClient.fromKubeconfig({ kubeconfigPath: cluster.kubeconfigPath });
  await installControlPlane(client, ns);
  repo = new TestRepo();
  first = repo.commit({ 'app/conf.yaml': cm('1') });
  cacheDir = mkdtempSync(path.join(os.tmpdir(), 'capstan-cli-'));
  controller = new AppController({ client, namespace: ns, waveDelayMs: 0, reconcileIntervalMs: 3_600_000,
    render: { repositories: new RepositoryStore({ cacheDir }), binaries: await ensureBinaries(), cacheDir, cache: new RenderCache() } });
  await controller.start();
  await client.create({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'cli-shop', namespace: ns },
    spec: { project: 'default', source: { repoURL: repo.dir, targetRevision: 'main', path: 'app' },
      destination: { server: 'https://kubernetes.default.svc', namespace: dest }, syncPolicy: { syncOptions: ['CreateNamespace=true'] } } });
});

after(async () => {
  controller.close();
  await client.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  await client.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: dest } });
  client.close();
  repo.remove();
  rmSync(cacheDir, { recursive: true, force: true });
});

const value = async (): Promise<string | undefined> => ((await client.get('v1', 'ConfigMap', dest, 'conf'))?.['data'] as { v?: string } | undefined)?.v;

test('list, sync, get, history and rollback', async () => {
  let list = await capstan('app', 'list');
  for (let i = 0; i < 40 && !/cli-shop\s+default\s+OutOfSync/.test(list.stdout); i++) {
    await new Promise((r) => setTimeout(r, 250));
    list = await capstan('app', 'list');
  }
  assert.match(list.stdout, /^NAME\s+PROJECT\s+SYNC\s+HEALTH/m);
  assert.match(list.stdout, /cli-shop\s+default\s+OutOfSync/);

  const sync = await capstan('app', 'sync', 'cli-shop');
  assert.equal(sync.code, 0, sync.stderr);
  assert.match(sync.stdout, /Operation:\s+Succeeded|Sync:\s+Synced/);
  assert.equal(await value(), '1');

  second = repo.commit({ 'app/conf.yaml': cm('2') });
  const sync2 = await capstan('app', 'sync', 'cli-shop', '--revision', second);
  assert.equal(sync2.code, 0, sync2.stderr);
  assert.equal(await value(), '2');

  const history = await capstan('app', 'history', 'cli-shop');
  assert.match(history.stdout, new RegExp(`^0\\s+\\S+\\s+${first}`, 'm'));
  assert.match(history.stdout, new RegExp(`^1\\s+\\S+\\s+${second}`, 'm'));

  const rollback = await capstan('app', 'rollback', 'cli-shop', '0');
  assert.equal(rollback.code, 0, rollback.stderr);
  assert.equal(await value(), '1');

  const get = await capstan('app', 'get', 'cli-shop');
  assert.match(get.stdout, /ConfigMap\s+\S+\s+conf/);
  const wait = await capstan('app', 'wait', 'cli-shop', '--health', '--timeout', '30');
  assert.equal(wait.code, 0, wait.stderr);
});

test('a sync that fails exits 1; rollback is refused under automated sync', async () => {
  const failing = await capstan('app', 'sync', 'cli-shop', '--revision', 'no-such-branch', '--timeout', '60');
  assert.equal(failing.code, 1);
  await client.patch({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'cli-shop', namespace: ns } },
    { spec: { syncPolicy: { automated: { prune: false } } } }, 'merge');
  const refused = await capstan('app', 'rollback', 'cli-shop', '0');
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /rollback cannot be initiated when auto-sync is enabled/);
});

test('exit codes usable in scripts: a wait that times out, a missing app, a malformed flag', async () => {
  await client.create({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'cli-never', namespace: ns },
    spec: { project: 'default', source: { repoURL: repo.dir, targetRevision: 'main', path: 'no-such-path' },
      destination: { server: 'https://kubernetes.default.svc', namespace: dest } } });
  const timedOut = await capstan('app', 'wait', 'cli-never', '--health', '--timeout', '2');
  assert.equal(timedOut.code, 1);
  assert.match(timedOut.stderr, /^timed out \(2s\) waiting for cli-never: it is Unknown and Unknown/);
  const missing = await capstan('app', 'get', 'no-such-app');
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /application "no-such-app" not found/);
  const badResource = await capstan('app', 'sync', 'cli-shop', '--resource', 'just-a-name');
  assert.equal(badResource.code, 2);
  assert.match(badResource.stderr, /--resource must be GROUP:KIND:NAME or GROUP:KIND:NAMESPACE\/NAME/);
  await client.delete({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'cli-never', namespace: ns } });
});

test('delete without cascade keeps the resources', async () => {
  const del = await capstan('app', 'delete', 'cli-shop', '--cascade', 'false');
  assert.equal(del.code, 0, del.stderr);
  for (let i = 0; i < 40 && (await client.get('argoproj.io/v1alpha1', 'Application', ns, 'cli-shop')) !== undefined; i++) {
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.equal(await client.get('argoproj.io/v1alpha1', 'Application', ns, 'cli-shop'), undefined);
  assert.ok(await value(), 'the ConfigMap stays');
});
