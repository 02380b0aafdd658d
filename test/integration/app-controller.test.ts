// The Application controller on a real cluster with a real git repository:
// automated sync to Synced/Healthy with waves gated on kwok-run pods, self-heal
// of a manual change, a new commit picked up on refresh, a broken commit that
// leaves running resources alone (ComparisonError) and recovers, prune, and
// cascade deletion through the resources finalizer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Application } from '../../src/api/application.ts';
import type { KubeObject } from '../../src/api/kube-object.ts';
import { AppController } from '../../src/controller/app-controller.ts';
import { installControlPlane } from '../../src/controller/install-crds.ts';
import { KubeClient } from '../../src/kube/kube-client.ts';
import { ensureBinaries } from '../../src/render/tool-binaries.ts';
import { RenderCache } from '../../src/render/render-cache.ts';
import { RepositoryStore } from '../../src/source/repository-store.ts';
import { useTestCluster } from '../harness/cluster.ts';
import { TestRepo } from '../harness/git-repo.ts';
import { deploymentYaml } from '../harness/manifests.ts';
import { eventually } from '../harness/eventually.ts';

const ns = `argocd-${process.pid}`;
const dest = `shop-${process.pid}`;
let client: KubeClient;
let controller: AppController;
let repo: TestRepo;
let cacheDir: string;

const deployment = (replicas: number): string => deploymentYaml('web', { replicas, container: 'web', annotations: { 'argocd.argoproj.io/sync-wave': '1' } });
const configMap = (name: string, value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  value: "${value}"\n`;

before(async () => {
  const cluster = await useTestCluster();
  client = KubeClient.fromKubeconfig({ kubeconfigPath: cluster.kubeconfigPath });
  await installControlPlane(client, ns);
  repo = new TestRepo();
  repo.commit({ 'app/config.yaml': configMap('settings', 'one'), 'app/web.yaml': deployment(2), 'app/extra.yaml': configMap('extra', 'x') });
  cacheDir = mkdtempSync(path.join(os.tmpdir(), 'capstan-ctl-'));
  const bin = await ensureBinaries();
  controller = new AppController({ client, namespace: ns, waveDelayMs: 0, reconcileIntervalMs: 3_600_000,
    render: { repositories: new RepositoryStore({ cacheDir }), binaries: bin, cacheDir, cache: new RenderCache() } });
  await controller.start();
});

after(async () => {
  controller.close();
  await client.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  await client.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: dest } });
  client.close();
  repo.remove();
  rmSync(cacheDir, { recursive: true, force: true });
});


const getApp = async (): Promise<Application> => (await client.get('argoproj.io/v1alpha1', 'Application', ns, 'shop')) as unknown as Application;
const cmValue = async (name: string): Promise<string | undefined> =>
  ((await client.get('v1', 'ConfigMap', dest, name))?.['data'] as { value?: string } | undefined)?.value;
const refresh = () => client.patch({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'shop', namespace: ns } },
  { metadata: { annotations: { 'argocd.argoproj.io/refresh': 'normal' } } }, 'merge');

test('automated sync brings the app to Synced and Healthy, wave by wave', async () => {
  const app: KubeObject = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application',
    metadata: { name: 'shop', namespace: ns, finalizers: ['resources-finalizer.argocd.argoproj.io'] },
    spec: { project: 'default', source: { repoURL: repo.dir, targetRevision: 'HEAD', path: 'app' },
      destination: { server: 'https://kubernetes.default.svc', namespace: dest },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] } } };
  await client.create(app);
  const synced = await eventually('Synced and Healthy', async () => {
    const a = await getApp();
    return a.status?.sync?.status === 'Synced' && a.status.health?.status === 'Healthy' && a.status.operationState?.phase === 'Succeeded' ? a : undefined;
  });
  assert.equal(synced.status?.sync?.revision, repo.git('rev-parse', 'HEAD'));
  assert.equal(synced.status?.history?.length, 1);
  assert.equal(synced.status?.sourceType, 'Directory');
  assert.deepEqual(synced.status?.summary?.images, ['example/web:1']);
  assert.equal(synced.operation, undefined, 'the finished operation is cleared');
  const results = synced.status?.operationState?.syncResult?.resources ?? [];
  assert.deepEqual(results.map((r) => `${r.kind}/${r.name}:${r.status}`).sort(),
    ['ConfigMap/extra:Synced', 'ConfigMap/settings:Synced', 'Deployment/web:Synced', 'Namespace/' + dest + ':Synced'].sort());
  const web = await client.get('apps/v1', 'Deployment', dest, 'web');
  assert.equal((web?.['status'] as { availableReplicas?: number }).availableReplicas, 2, 'the sync waited for the Deployment');
  assert.equal(web?.metadata.annotations?.['argocd.argoproj.io/tracking-id'], `shop:apps/Deployment:${dest}/web`);
});

test('self-heal reverts a manual change', async () => {
  await client.patch({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: dest } }, { data: { value: 'hacked' } }, 'merge');
  await eventually('the change reverted', async () => ((await cmValue('settings')) === 'one' ? true : undefined));
  await eventually('Synced again', async () => ((await getApp()).status?.sync?.status === 'Synced' ? true : undefined));
});

test('a new commit is synced after a refresh; a broken one leaves everything running', async () => {
  repo.commit({ 'app/config.yaml': configMap('settings', 'two') });
  await refresh();
  await eventually('the new value', async () => ((await cmValue('settings')) === 'two' ? true : undefined));
  repo.commit({ 'app/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [broken\n' });
  await refresh();
  const broken = await eventually('a ComparisonError', async () => {
    const a = await getApp();
    return a.status?.conditions?.find((c) => c.type === 'ComparisonError');
  });
  assert.match(broken.message, /app "shop" source .* path app: failed to unmarshal app\/config\.yaml: line \d+/);
  assert.equal((await getApp()).status?.sync?.status, 'Unknown');
  assert.equal(await cmValue('settings'), 'two', 'running resources untouched');
  assert.ok(await client.get('apps/v1', 'Deployment', dest, 'web'));
  repo.commit({ 'app/config.yaml': configMap('settings', 'three') });
  await refresh();
  await eventually('recovered', async () => ((await cmValue('settings')) === 'three' ? true : undefined));
  await eventually('condition cleared', async () => ((await getApp()).status?.conditions?.some((c) => c.type === 'ComparisonError') ? undefined : true));
});

test('automated prune removes what git no longer has', async () => {
  repo.commit({ 'app/extra.yaml': undefined });
  await refresh();
  await eventually('extra pruned', async () => ((await client.get('v1', 'ConfigMap', dest, 'extra')) === undefined ? true : undefined));
  const a = await eventually('Synced', async () => { const x = await getApp(); return x.status?.sync?.status === 'Synced' ? x : undefined; });
  assert.ok((a.status?.history?.length ?? 0) >= 3);
});

test('deleting the app with the resources finalizer deletes its resources', async () => {
  await client.delete({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'shop', namespace: ns } });
  await eventually('the app gone', async () => ((await client.get('argoproj.io/v1alpha1', 'Application', ns, 'shop')) === undefined ? true : undefined));
  await eventually('its resources gone', async () => ((await client.get('apps/v1', 'Deployment', dest, 'web')) === undefined
    && (await client.get('v1', 'ConfigMap', dest, 'settings')) === undefined ? true : undefined));
});
