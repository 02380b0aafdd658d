// Hooks and prune order on a real cluster: a PreSync Job that fails (its
// deadline passes while its pod cannot be scheduled) stops the sync and runs
// the SyncFail hook; prune removes extra resources with PruneLast ones last.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Application } from '../../src/api/application.ts';
import { AppController } from '../../src/controller/app-controller.ts';
import { installControlPlane } from '../../src/controller/install-crds.ts';
import { KubeClient } from '../../src/kube/kube-client.ts';
import { ensureBinaries } from '../../src/render/tool-binaries.ts';
import { RenderCache } from '../../src/render/render-cache.ts';
import { RepositoryStore } from '../../src/source/repository-store.ts';
import { useTestCluster } from '../harness/cluster.ts';
import { TestRepo } from '../harness/git-repo.ts';
import { eventually } from '../harness/eventually.ts';

const ns = `hooks-${process.pid}`;
let client: KubeClient;
let controller: AppController;
let cacheDir: string;
const repos: TestRepo[] = [];

before(async () => {
  client = KubeClient.fromKubeconfig({ kubeconfigPath: (await useTestCluster()).kubeconfigPath });
  await installControlPlane(client, ns);
  cacheDir = mkdtempSync(path.join(os.tmpdir(), 'capstan-hooks-'));
  controller = new AppController({ client, namespace: ns, waveDelayMs: 0, reconcileIntervalMs: 3_600_000,
    render: { repositories: new RepositoryStore({ cacheDir }), binaries: await ensureBinaries(), cacheDir, cache: new RenderCache() } });
  await controller.start();
});

after(async () => {
  controller.close();
  await client.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  client.close();
  for (const r of repos) r.remove();
  rmSync(cacheDir, { recursive: true, force: true });
});


async function appFor(name: string, files: Record<string, string>, dest: string): Promise<{ repo: TestRepo; get: () => Promise<Application> }> {
  const repo = new TestRepo();
  repos.push(repo);
  repo.commit(files);
  await client.create({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace: ns, finalizers: ['resources-finalizer.argocd.argoproj.io'] },
    spec: { project: 'default', source: { repoURL: repo.dir, targetRevision: 'HEAD', path: 'app' },
      destination: { server: 'https://kubernetes.default.svc', namespace: dest }, syncPolicy: { syncOptions: ['CreateNamespace=true'] } },
    operation: { sync: { prune: true }, initiatedBy: { username: 'test' } } });
  return { repo, get: async () => (await client.get('argoproj.io/v1alpha1', 'Application', ns, name)) as unknown as Application };
}

test('a failing PreSync hook fails the sync and runs the SyncFail hook', { timeout: 180_000 }, async () => {
  const dest = `hooks-a-${process.pid}`;
  const app = await appFor('failing-hook', {
    'app/migrate.yaml': `apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: migrate-\n  annotations:\n    argocd.argoproj.io/hook: PreSync\nspec:\n  activeDeadlineSeconds: 2\n  backoffLimit: 0\n  template:\n    spec:\n      restartPolicy: Never\n      nodeSelector: {capstan.dev/nowhere: "true"}\n      containers: [{name: m, image: "example/migrate:1"}]\n`,
    'app/cleanup.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: sync-failed\n  annotations:\n    argocd.argoproj.io/hook: SyncFail\ndata: {k: v}\n',
    'app/app.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\ndata: {k: v}\n',
  }, dest);
  const failed = await eventually('the operation failed', async () => {
    const a = await app.get();
    return a.status?.operationState?.phase === 'Failed' ? a : undefined;
  }, 60_000, async () => (await app.get()).status?.operationState);
  assert.match(failed.status?.operationState?.message ?? '', /one or more synchronization tasks completed unsuccessfully/);
  const hook = failed.status?.operationState?.syncResult?.resources?.find((r) => r.kind === 'Job');
  assert.equal(hook?.hookType, 'PreSync');
  assert.equal(hook?.hookPhase, 'Failed');
  assert.match(hook?.name ?? '', /^migrate-[0-9a-f]{7}-presync-\d+$/);
  assert.ok(await client.get('v1', 'ConfigMap', dest, 'sync-failed'), 'the SyncFail hook ran');
  assert.equal(await client.get('v1', 'ConfigMap', dest, 'app-config'), undefined, 'the Sync phase never ran');
  await client.delete({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'failing-hook', namespace: ns } });
  await client.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: dest } });
});

test('prune deletes extra resources, PruneLast ones after the rest', { timeout: 180_000 }, async () => {
  const dest = `hooks-b-${process.pid}`;
  const cm = (name: string, extra = '') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${extra}data: {k: v}\n`;
  const app = await appFor('pruner', {
    'app/keep.yaml': cm('keep'), 'app/old.yaml': cm('old'),
    'app/last.yaml': cm('last', '  annotations:\n    argocd.argoproj.io/sync-options: PruneLast=true\n'),
  }, dest);
  const first = await eventually('first sync', async () => { const a = await app.get(); return a.status?.operationState?.phase === 'Succeeded' ? a : undefined; });
  assert.equal(first.status?.operationState?.syncResult?.resources?.length, 4);
  app.repo.commit({ 'app/old.yaml': undefined, 'app/last.yaml': undefined });
  await client.patch({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'pruner', namespace: ns } },
    { metadata: { annotations: { 'argocd.argoproj.io/refresh': 'normal' } }, operation: { sync: { prune: true }, initiatedBy: { username: 'test' } } }, 'merge');
  const second = await eventually('prune sync', async () => {
    const a = await app.get();
    const rs = a.status?.operationState?.syncResult?.resources ?? [];
    return a.operation === undefined && rs.some((r) => r.status === 'Pruned') ? a : undefined;
  });
  const pruned = (second.status?.operationState?.syncResult?.resources ?? []).filter((r) => r.status === 'Pruned').map((r) => r.name);
  assert.deepEqual(pruned, ['old', 'last'], 'PruneLast is pruned after the others');
  assert.equal(await client.get('v1', 'ConfigMap', dest, 'old'), undefined);
  assert.ok(await client.get('v1', 'ConfigMap', dest, 'keep'));
});
