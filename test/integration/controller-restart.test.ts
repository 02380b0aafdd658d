// A controller killed with SIGKILL in the middle of a sync: the operation is
// not lost, and a new controller resumes it from the recorded state — the
// finished wave is not applied again and the next wave runs once the first
// is healthy.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Application } from '../../src/api/application.ts';
import { installControlPlane } from '../../src/controller/install-crds.ts';
import { KubeClient } from '../../src/kube/kube-client.ts';
import { useTestCluster } from '../harness/cluster.ts';
import { TestRepo } from '../harness/git-repo.ts';
import { deploymentYaml } from '../harness/manifests.ts';
import { eventually } from '../harness/eventually.ts';

const children: ChildProcess[] = [];
after(() => { for (const c of children) c.kill('SIGKILL'); });

function startController(kubeconfig: string, ns: string, cacheDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('test/harness/controller-process.ts'), kubeconfig, ns, cacheDir],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('engine started')) resolve(child); });
    child.on('exit', (code) => reject(new Error(`controller exited with ${code}`)));
  });
}


test('a SIGKILLed controller resumes the sync it was running', { timeout: 240_000 }, async (t) => {
  const cluster = await useTestCluster();
  const client = KubeClient.fromKubeconfig({ kubeconfigPath: cluster.kubeconfigPath });
  const ns = `restart-${process.pid}`;
  const dest = `restart-dest-${process.pid}`;
  const label = `capstan.dev/restart-${process.pid}`;
  const repo = new TestRepo();
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'capstan-restart-'));
  t.after(async () => {
    await client.patch({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'kwok-node-0' } }, { metadata: { labels: { [label]: null } } }, 'merge');
    for (const n of [ns, dest]) await client.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } });
    client.close(); repo.remove(); rmSync(cacheDir, { recursive: true, force: true });
  });
  await installControlPlane(client, ns);
  repo.commit({
    'app/web.yaml': deploymentYaml('web', { container: 'web', nodeSelector: { [label]: 'yes' } }),
    'app/after.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: after\n  annotations:\n    argocd.argoproj.io/sync-wave: "1"\ndata: {k: v}\n',
  });
  let controller = await startController(cluster.kubeconfigPath, ns, cacheDir);
  await client.create({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'restart', namespace: ns },
    spec: { project: 'default', source: { repoURL: repo.dir, targetRevision: 'HEAD', path: 'app' },
      destination: { server: 'https://kubernetes.default.svc', namespace: dest }, syncPolicy: { syncOptions: ['CreateNamespace=true'] } },
    operation: { sync: { prune: true }, initiatedBy: { username: 'test' } } });
  const getApp = async () => (await client.get('argoproj.io/v1alpha1', 'Application', ns, 'restart')) as unknown as Application;
  const waiting = await eventually('the sync waiting on wave 0', async () => {
    const a = await getApp();
    return /waiting for healthy state of apps\/Deployment\/web/.test(a.status?.operationState?.message ?? '') ? a : undefined;
  });
  const deployment = await client.get('apps/v1', 'Deployment', dest, 'web');
  controller.kill('SIGKILL');
  await new Promise((resolve) => controller.once('exit', resolve));
  assert.equal(await client.get('v1', 'ConfigMap', dest, 'after'), undefined, 'wave 1 had not run');

  await client.patch({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'kwok-node-0' } }, { metadata: { labels: { [label]: 'yes' } } }, 'merge');
  controller = await startController(cluster.kubeconfigPath, ns, cacheDir);
  const done = await eventually('the operation finished', async () => {
    const a = await getApp();
    return a.status?.operationState?.phase === 'Succeeded' ? a : undefined;
  });
  assert.equal(done.status?.operationState?.startedAt, waiting.status?.operationState?.startedAt, 'the same operation resumed');
  assert.ok(await client.get('v1', 'ConfigMap', dest, 'after'), 'wave 1 ran after the restart');
  const again = await client.get('apps/v1', 'Deployment', dest, 'web');
  assert.equal(again?.metadata.generation, deployment?.metadata.generation, 'wave 0 was not applied with a different result');
  assert.equal(done.status?.history?.length, 1);
  assert.equal(done.operation, undefined);
  controller.kill('SIGKILL');
});
