// Progressive sync (strategy RollingSync) on a real cluster with both
// controllers: generated Applications lose automated sync, the ApplicationSet
// syncs the first step (by label), waits until it is Healthy, then syncs the
// next step one Application at a time (maxUpdate: 1), and records each
// Application's progress in status.applicationStatus.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Application } from '../../src/api/application.ts';
import type { ApplicationSet } from '../../src/api/application-set.ts';
import specSchemas from '../../src/api/generated/crd-schemas.json' with { type: 'json' };
import { loadCompat } from '../../src/compat/load-compat.ts';
import { AppController } from '../../src/controller/app-controller.ts';
import { AppSetController } from '../../src/controller/appset-controller.ts';
import { installControlPlane } from '../../src/controller/install-crds.ts';
import { KubeClient } from '../../src/kube/kube-client.ts';
import { RenderCache } from '../../src/render/render-cache.ts';
import { ensureBinaries } from '../../src/render/tool-binaries.ts';
import { RepositoryStore } from '../../src/source/repository-store.ts';
import { useTestCluster } from '../harness/cluster.ts';
import { eventually } from '../harness/eventually.ts';
import { TestRepo } from '../harness/git-repo.ts';
import { deploymentYaml } from '../harness/manifests.ts';

const ns = `rolling-${process.pid}`;
const dest = `rolling-dest-${process.pid}`;
let client: KubeClient;
let appController: AppController;
let appSets: AppSetController;
let repo: TestRepo;
let cacheDir: string;

const deployment = (name: string): string => deploymentYaml(name);

before(async () => {
  const cluster = await useTestCluster();
  client = KubeClient.fromKubeconfig({ kubeconfigPath: cluster.kubeconfigPath });
  await installControlPlane(client, ns);
  repo = new TestRepo();
  repo.commit(Object.fromEntries(['d1', 'd2', 'p1', 'p2'].map((n) => [`apps/${n}/deploy.yaml`, deployment(n)])));
  cacheDir = mkdtempSync(path.join(os.tmpdir(), 'capstan-rolling-'));
  const repositories = new RepositoryStore({ cacheDir });
  appController = new AppController({ client, namespace: ns, waveDelayMs: 0, reconcileIntervalMs: 3_600_000,
    render: { repositories, binaries: await ensureBinaries(), cacheDir, cache: new RenderCache() } });
  await appController.start();
  appSets = new AppSetController({ client, namespace: ns, repositories, render: (await loadCompat()).renderTemplates, specSchema: specSchemas.Application });
  await appSets.start();
});

after(async () => {
  appSets.close();
  appController.close();
  for (const name of [ns, dest]) await client.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  client.close();
  repo.remove();
  rmSync(cacheDir, { recursive: true, force: true });
});

test('RollingSync syncs step by step, each step waiting for the previous one to be Healthy', { timeout: 240_000 }, async () => {
  await client.create({ apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name: 'rollout', namespace: ns }, spec: {
    goTemplate: true,
    generators: [{ list: { elements: [{ name: 'd1', env: 'dev' }, { name: 'd2', env: 'dev' }, { name: 'p1', env: 'prod' }, { name: 'p2', env: 'prod' }] } }],
    strategy: { type: 'RollingSync', rollingSync: { steps: [
      { matchExpressions: [{ key: 'env', operator: 'In', values: ['dev'] }] },
      { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }], maxUpdate: 1 },
    ] } },
    template: { metadata: { name: '{{.name}}', labels: { env: '{{.env}}' } }, spec: { project: 'default',
      source: { repoURL: repo.dir, targetRevision: 'HEAD', path: 'apps/{{.name}}' },
      destination: { server: 'https://kubernetes.default.svc', namespace: dest },
      syncPolicy: { automated: { prune: true }, syncOptions: ['CreateNamespace=true'] } } },
  } });
  const done = await eventually('every Application Healthy in the rollout', async () => {
    const set = (await client.get('argoproj.io/v1alpha1', 'ApplicationSet', ns, 'rollout')) as unknown as ApplicationSet;
    const statuses = set.status?.applicationStatus ?? [];
    return statuses.length === 4 && statuses.every((s) => s.status === 'Healthy') ? set : undefined;
  }, 200_000, async () => ({
    rollout: ((await client.get('argoproj.io/v1alpha1', 'ApplicationSet', ns, 'rollout'))?.['status'] as ApplicationSet['status'])?.applicationStatus?.map((s) => `${s.application}:${s.status}`),
    apps: ((await client.list('argoproj.io/v1alpha1', 'Application', { namespace: ns })) as unknown as Application[])
      .map((a) => `${a.metadata.name}:${a.status?.sync?.status}/${a.status?.health?.status}/${a.status?.operationState?.phase ?? '-'}`),
    deployments: (await client.list('apps/v1', 'Deployment', { namespace: dest })).map((d) => `${d.metadata.name}:${JSON.stringify(d['status'])}`),
  }));
  assert.deepEqual(done.status?.applicationStatus?.map((s) => [s.application, s.step]), [['d1', '1'], ['d2', '1'], ['p1', '2'], ['p2', '2']]);
  assert.equal(done.status?.conditions?.find((c) => c.type === 'RolloutProgressing')?.status, 'False');
  const apps = new Map(((await client.list('argoproj.io/v1alpha1', 'Application', { namespace: ns })) as unknown as Application[]).map((a) => [a.metadata.name!, a]));
  for (const app of apps.values()) {
    assert.equal(app.spec.syncPolicy?.automated, undefined, `${app.metadata.name}: automated sync is off under RollingSync`);
    assert.equal(app.status?.history?.[0]?.initiatedBy?.username, 'applicationset-controller', `${app.metadata.name} was synced by the ApplicationSet`);
  }
  const deployed = (name: string): number => Date.parse(apps.get(name)!.status!.history![0]!.deployedAt);
  const started = (name: string): number => Date.parse(apps.get(name)!.status!.history![0]!.deployStartedAt!);
  assert.ok(Math.min(started('p1'), started('p2')) >= Math.max(deployed('d1'), deployed('d2')), 'the prod step starts after the dev step finished');
  const [first, second] = ['p1', 'p2'].sort((a, b) => started(a) - started(b)) as [string, string];
  assert.ok(started(second) >= deployed(first), 'maxUpdate 1: one prod Application at a time');
});
