// Repository Secrets on a real cluster against a real git server that asks for
// HTTP basic auth (git's own http-backend): without credentials the app shows
// a ComparisonError naming the repository, never the password; a repo-creds
// template added at run time applies to the next fetch and the app syncs; a
// rotated password breaks it again, and its message still holds no secret.
// `capstan app diff` uses the same Secrets, and resolves cnoe:// URLs through
// the map `capstan up` records beside its kubeconfig (or --repo).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Application } from '../../src/api/application.ts';
import type { KubeObject } from '../../src/api/kube-object.ts';
import { AppController } from '../../src/controller/app-controller.ts';
import { installControlPlane } from '../../src/controller/install-crds.ts';
import { RepositorySecrets } from '../../src/controller/repository-secrets-watch.ts';
import { KubeClient } from '../../src/kube/kube-client.ts';
import { startGitHttpServer, type GitHttpServer } from '../../src/platform/git-http-server.ts';
import { writeRepositoryMap } from '../../src/platform/repository-map.ts';
import { ensureBinaries } from '../../src/render/tool-binaries.ts';
import { RenderCache } from '../../src/render/render-cache.ts';
import { RepositoryStore } from '../../src/source/repository-store.ts';
import { useTestCluster } from '../harness/cluster.ts';
import { eventually } from '../harness/eventually.ts';
import { TestRepo } from '../harness/git-repo.ts';

const ns = `argocd-creds-${process.pid}`;
const dest = `creds-${process.pid}`;
const password = 'pw-9f3a61c2e4';
let client: KubeClient;
let controller: AppController;
let server: GitHttpServer;
let repo: TestRepo;
let cacheDir: string;
let kubeconfig: string;
const stop = new AbortController();

before(async () => {
  const cluster = await useTestCluster();
  kubeconfig = cluster.kubeconfigPath;
  client = KubeClient.fromKubeconfig({ kubeconfigPath: kubeconfig });
  await installControlPlane(client, ns);
  repo = new TestRepo();
  repo.commit({ 'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-private\ndata:\n  k: v\n' });
  server = await startGitHttpServer({ root: path.dirname(repo.dir), auth: { username: 'robot', password } });
  cacheDir = mkdtempSync(path.join(os.tmpdir(), 'capstan-creds-'));
  const secrets = new RepositorySecrets({ client, namespace: ns, keyDir: path.join(cacheDir, 'keys') });
  await secrets.start(stop.signal);
  controller = new AppController({ client, namespace: ns, waveDelayMs: 0, reconcileIntervalMs: 3_600_000,
    render: { repositories: new RepositoryStore({ cacheDir, timeoutMs: 20_000, credentialsFor: (url) => secrets.gitCredentialsFor(url) }),
      binaries: await ensureBinaries(), cacheDir, cache: new RenderCache() } });
  await controller.start();
});

after(async () => {
  stop.abort();
  controller.close();
  await client.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  await client.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: dest } });
  await client.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `${dest}-mapped` } });
  client.close();
  await server.close();
  repo.remove();
  rmSync(cacheDir, { recursive: true, force: true });
});

const capstan = (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => new Promise((resolve) => {
  execFile(process.execPath, [path.resolve('bin/capstan.js'), ...args], { timeout: 60_000 }, (err, stdout, stderr) =>
    resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 99, stdout, stderr }));
});
const getApp = async (name: string): Promise<Application> =>
  (await client.get('argoproj.io/v1alpha1', 'Application', ns, name)) as unknown as Application;
const refresh = (name: string): Promise<KubeObject> => client.patch({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace: ns } },
  { metadata: { annotations: { 'argocd.argoproj.io/refresh': 'normal' } } }, 'merge');
const credsSecret = (pw: string): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'local-git', namespace: ns,
  labels: { 'argocd.argoproj.io/secret-type': 'repo-creds' } }, stringData: { url: server.url, username: 'robot', password: pw } });

test('repository credentials come from repo-creds Secrets, apply at run time, and never show in status', { timeout: 120_000 }, async () => {
  const url = `${server.url}/${path.basename(repo.dir)}`;
  await client.create({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'private', namespace: ns },
    spec: { project: 'default', source: { repoURL: url, targetRevision: 'HEAD', path: 'app' },
      destination: { server: 'https://kubernetes.default.svc', namespace: dest },
      syncPolicy: { automated: {}, syncOptions: ['CreateNamespace=true'] } } });
  const denied = await eventually('a ComparisonError without credentials', async () =>
    (await getApp('private')).status?.conditions?.find((x) => x.type === 'ComparisonError')?.message);
  assert.match(denied, new RegExp(`repository ${url.replace(/[.]/g, '\\.')}`), 'the message names the repository');

  await client.create(credsSecret(password));
  await refresh('private');
  await eventually('Synced with the template\'s credentials', async () => {
    const a = await getApp('private');
    return a.status?.sync?.status === 'Synced' && !a.status.conditions?.some((c) => c.type === 'ComparisonError') ? a : undefined;
  }, 60_000, async () => (await getApp('private')).status);
  assert.ok(await client.get('v1', 'ConfigMap', dest, 'from-private'), 'the app synced from the private repository');
  const diff = await capstan('app', 'diff', 'private', '--kubeconfig', kubeconfig, '-n', ns);
  assert.equal(diff.code, 0, `capstan app diff fetches with the Secret's credentials too (${diff.stderr})`);

  // A cnoe:// URL, as `capstan up` serves them: the CLI reads the map recorded beside the kubeconfig, or --repo.
  await client.create({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'mapped', namespace: ns },
    spec: { project: 'default', source: { repoURL: 'cnoe://private-platform', targetRevision: 'HEAD', path: 'app' },
      destination: { server: 'https://kubernetes.default.svc', namespace: `${dest}-mapped` } } });
  const upDir = mkdtempSync(path.join(os.tmpdir(), 'capstan-up-map-'));
  copyFileSync(kubeconfig, path.join(upDir, 'admin.kubeconfig'));
  const unmapped = await capstan('app', 'diff', 'mapped', '--kubeconfig', path.join(upDir, 'admin.kubeconfig'), '-n', ns);
  assert.equal(unmapped.code, 2, 'an unknown cnoe:// repository is an error');
  writeRepositoryMap(path.join(upDir, 'admin.kubeconfig'), new Map([['cnoe://private-platform', repo.dir]]));
  const mapped = await capstan('app', 'diff', 'mapped', '--kubeconfig', path.join(upDir, 'admin.kubeconfig'), '-n', ns);
  assert.equal(mapped.code, 1, `the recorded map resolves it; the resources are missing (${mapped.stderr})`);
  assert.match(mapped.stdout, /ConfigMap .*from-private/);
  const flagged = await capstan('app', 'diff', 'mapped', '--kubeconfig', kubeconfig, '-n', ns, '--repo', `cnoe://private-platform=${repo.dir}`);
  assert.equal(flagged.code, 1, flagged.stderr);
  rmSync(upDir, { recursive: true, force: true });

  // A wrong password: the next fetch fails and reports it, without the value, and the synced ConfigMap stays.
  await client.apply(credsSecret('wrong-9f3a61c2e4'), { fieldManager: 'test', force: true });
  repo.commit({ 'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-private\ndata:\n  k: changed\n' });
  const failed = await eventually('the rotated password fails the fetch', async () => {
    await refresh('private');
    const a = await getApp('private');
    return a.status?.conditions?.some((x) => x.type === 'ComparisonError') ? a : undefined;
  });
  assert.doesNotMatch(JSON.stringify(failed.status), /9f3a61c2e4/, 'no password in the status');
  assert.ok(await client.get('v1', 'ConfigMap', dest, 'from-private'), 'nothing running was touched');
  assert.ok(server.requests() > 0);
});
