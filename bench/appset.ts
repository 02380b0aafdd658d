// ApplicationSet generation and apply: a list generator of 10,000 elements
// (Go templates and fasttemplate) and a git directory generator over a real
// repository of 1,000 app directories (cold: first listing of the commit;
// warm: listed already), each generating and rendering every Application
// through the template engine (goal: ≤ 2 s each); then the 1,000 generated
// Applications applied to a local cluster by the controller's reconcile
// (create all, then a reconcile that finds nothing to change).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ApplicationSet } from '../src/api/application-set.ts';
import specSchemas from '../src/api/generated/crd-schemas.json' with { type: 'json' };
import type { KubeObject } from '../src/api/kube-object.ts';
import { generateApplications } from '../src/appset/generators/generate-applications.ts';
import { validateApplications } from '../src/appset/generators/validate-applications.ts';
import { loadCompat } from '../src/compat/load-compat.ts';
import { repositorySources } from '../src/controller/appset-sources.ts';
import { AppSetController } from '../src/controller/appset-controller.ts';
import { installControlPlane } from '../src/controller/install-crds.ts';
import { KubeClient } from '../src/kube/kube-client.ts';
import { stopCluster } from '../src/platform/cluster.ts';
import { RepositoryStore } from '../src/source/repository-store.ts';
import type { RenderTemplates } from '../src/template/template-types.ts';
import { startOwnedTestCluster } from '../test/harness/cluster.ts';
import { TestRepo } from '../test/harness/git-repo.ts';

const goalMs = 2000;

const appSet = (name: string, spec: Partial<ApplicationSet['spec']>): ApplicationSet => ({
  apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name, namespace: 'argocd', uid: 'bench' },
  spec: { generators: [], template: { metadata: {}, spec: { project: 'default', destination: {} } }, ...spec },
});

function template(goTemplate: boolean, repo: string): ApplicationSet['spec']['template'] {
  const p = (k: string) => (goTemplate ? `{{ .${k} }}` : `{{${k}}}`);
  return {
    metadata: { name: `app-${p('name')}`, labels: { team: p('team'), env: 'dev' } },
    spec: { project: 'default', source: { repoURL: repo, targetRevision: 'HEAD', path: `apps/${p('name')}` },
      destination: { server: 'https://kubernetes.default.svc', namespace: `ns-${p('team')}` },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] } },
  } as ApplicationSet['spec']['template'];
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0 };
}

const verdict = (ms: number): string => `${ms.toFixed(0).padStart(6)} ms (${(ms / goalMs).toFixed(2)}× the ${goalMs} ms goal)`;

async function listBench(render: RenderTemplates): Promise<void> {
  const elements = Array.from({ length: 10_000 }, (_, i) => ({ name: `e${i}`, team: `t${i % 50}` }));
  const sources = { git: { directories: () => Promise.resolve([]), files: () => Promise.resolve(new Map()) }, clusters: () => Promise.resolve([]), render };
  for (const goTemplate of [true, false]) {
    const set = appSet('list', { goTemplate, goTemplateOptions: ['missingkey=error'], generators: [{ list: { elements } }], template: template(goTemplate, 'https://git.example/repo.git') });
    await generateApplications(set, sources); // warm the engine's instance
    const runs = [];
    for (let r = 0; r < 3; r++) runs.push((await timed(() => generateApplications(set, sources))).ms);
    const best = Math.min(...runs);
    const { value, ms: validateMs } = await timed(async () => validateApplications((await generateApplications(set, sources)).applications,
      { appSetName: 'list', namespace: 'argocd', specSchema: specSchemas.Application }));
    process.stdout.write(`list 10,000 elements (${goTemplate ? 'Go templates' : 'fasttemplate'}): generate ${verdict(best)}, `
      + `${(best / 10).toFixed(1)} µs/app; generate+validate ${validateMs.toFixed(0)} ms (${value.length} problems)\n`);
  }
}

async function gitBench(render: RenderTemplates, repo: TestRepo, cacheDir: string): Promise<void> {
  const repositories = new RepositoryStore({ cacheDir });
  const set = appSet('dirs', { goTemplate: true, goTemplateOptions: ['missingkey=error'],
    generators: [{ git: { repoURL: repo.dir, revision: 'HEAD', directories: [{ path: 'apps/*' }, { path: 'apps/app-1*', exclude: true }] } }],
    template: { ...template(true, repo.dir), metadata: { name: '{{ .path.basename }}' },
      spec: { ...template(true, repo.dir).spec, source: { repoURL: repo.dir, targetRevision: 'HEAD', path: '{{ .path.path }}' },
        destination: { server: 'https://kubernetes.default.svc', namespace: '{{ index .path.segments 1 }}' } } } });
  const generation = repositories.nextGeneration();
  const sources = () => repositorySources({ repositories, generation, clusters: () => [], render });
  const cold = await timed(() => generateApplications(set, sources()));
  const runs: number[] = [];
  for (let r = 0; r < 3; r++) runs.push((await timed(() => generateApplications(set, sources()))).ms);
  const warm = Math.min(...runs);
  process.stdout.write(`git directories over 1,000 dirs (${cold.value.applications.length} generated, the rest excluded): `
    + `cold ${verdict(cold.ms)} (clone, list, render); warm ${verdict(warm)}\n`);
}

async function applyBench(render: RenderTemplates, repo: TestRepo, cacheDir: string): Promise<void> {
  const cluster = await startOwnedTestCluster();
  const client = KubeClient.fromKubeconfig({ kubeconfigPath: cluster.kubeconfigPath });
  const ns = 'bench-appset';
  const controller = new AppSetController({ client, namespace: ns, repositories: new RepositoryStore({ cacheDir }), render, specSchema: specSchemas.Application });
  try {
    await installControlPlane(client, ns);
    await controller.start();
    const t0 = performance.now();
    await client.create({ apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name: 'dirs', namespace: ns }, spec: {
      goTemplate: true, generators: [{ git: { repoURL: repo.dir, revision: 'HEAD', directories: [{ path: 'apps/*' }] } }],
      template: { metadata: { name: '{{ .path.basename }}' }, spec: { project: 'default', source: { repoURL: repo.dir, path: '{{ .path.path }}' },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'apps' } } } } } as KubeObject);
    for (;;) {
      await controller.idle();
      const set = await client.get('argoproj.io/v1alpha1', 'ApplicationSet', ns, 'dirs');
      if ((set?.['status'] as { resourcesCount?: number } | undefined)?.resourcesCount === 1000) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const createMs = performance.now() - t0;
    const t1 = performance.now();
    await client.patch({ apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name: 'dirs', namespace: ns } },
      { metadata: { annotations: { 'argocd.argoproj.io/application-set-refresh': 'true' } } }, 'merge');
    for (;;) {
      await controller.idle();
      const set = await client.get('argoproj.io/v1alpha1', 'ApplicationSet', ns, 'dirs');
      if (set?.metadata.annotations?.['argocd.argoproj.io/application-set-refresh'] === undefined) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const noopMs = performance.now() - t1;
    process.stdout.write(`apply 1,000 Applications to a local cluster: create all ${createMs.toFixed(0)} ms (${(createMs / 1000).toFixed(1)} ms/app); `
      + `a reconcile with nothing to change (refetch included) ${noopMs.toFixed(0)} ms\n`);
  } finally {
    controller.close();
    client.close();
    await stopCluster(cluster.name, { home: cluster.home });
  }
}

export async function runAppsetBench(): Promise<void> {
  const render = (await loadCompat()).renderTemplates;
  await listBench(render);
  const repo = new TestRepo('capstan-bench-appset-');
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'capstan-bench-appset-cache-'));
  try {
    repo.commit(Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`apps/app-${i}/kustomization.yaml`, 'resources: []\n'])));
    await gitBench(render, repo, path.join(cacheDir, 'a'));
    if (process.env['CAPSTAN_BENCH_NO_CLUSTER'] === undefined) await applyBench(render, repo, path.join(cacheDir, 'b'));
  } finally {
    repo.remove();
    rmSync(cacheDir, { recursive: true, force: true });
  }
}
