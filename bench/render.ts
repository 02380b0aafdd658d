// Render throughput over one monorepo of 500 apps (300 directory apps, 150
// Kustomize overlays of one base, 50 Helm releases of one chart): cold (empty
// cache), warm (same commit), and after a commit that touches one app's path
// — how many renders that commit caused (goal: 1).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ApplicationSpec } from '../src/api/application.ts';
import { RenderCache } from '../src/render/render-cache.ts';
import { renderApplication, type RenderServices } from '../src/render/render-application.ts';
import { ensureBinaries } from '../src/render/tool-binaries.ts';
import { RepositoryStore } from '../src/source/repository-store.ts';
import { TestRepo } from '../test/harness/git-repo.ts';

const cm = (name: string, v: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  v: "${v}"\n`;

function monorepo(repo: TestRepo): Array<{ name: string; spec: ApplicationSpec }> {
  const files: Record<string, string> = {
    'base/kustomization.yaml': 'resources:\n  - cm.yaml\n', 'base/cm.yaml': cm('base', '1'),
    'chart/Chart.yaml': 'apiVersion: v2\nname: svc\nversion: 0.1.0\n',
    'chart/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  v: {{ .Values.v | quote }}\n',
    'chart/values.yaml': 'v: default\n',
  };
  const apps: Array<{ name: string; spec: ApplicationSpec }> = [];
  const dest = { server: 'https://kubernetes.default.svc', namespace: 'bench' };
  for (let i = 0; i < 300; i++) {
    files[`dirs/app-${i}/cm.yaml`] = cm(`dir-${i}`, String(i));
    apps.push({ name: `dir-${i}`, spec: { project: 'default', destination: dest, source: { repoURL: repo.dir, path: `dirs/app-${i}` } } });
  }
  for (let i = 0; i < 150; i++) {
    files[`overlays/o-${i}/kustomization.yaml`] = `resources:\n  - ../../base\nnameSuffix: "-${i}"\n`;
    apps.push({ name: `kust-${i}`, spec: { project: 'default', destination: dest, source: { repoURL: repo.dir, path: `overlays/o-${i}` } } });
  }
  for (let i = 0; i < 50; i++) {
    apps.push({ name: `helm-${i}`, spec: { project: 'default', destination: dest,
      source: { repoURL: repo.dir, path: 'chart', helm: { releaseName: `rel-${i}`, parameters: [{ name: 'v', value: String(i) }] } } } });
  }
  repo.commit(files);
  return apps;
}

async function renderAll(apps: Array<{ name: string; spec: ApplicationSpec }>, services: RenderServices): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < apps.length) {
      const app = apps[next++]!;
      await renderApplication({ appName: app.name, spec: app.spec }, services);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return performance.now() - t0;
}

export async function runRenderBench(): Promise<void> {
  const repo = new TestRepo();
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'capstan-bench-render-'));
  try {
    const apps = monorepo(repo);
    const cache = new RenderCache<import('../src/api/kube-object.ts').KubeObject[]>();
    const repositories = new RepositoryStore({ cacheDir });
    const services = { repositories, binaries: await ensureBinaries(), cacheDir, cache };
    const cold = await renderAll(apps, services);
    const coldRenders = cache.renders;
    const warm = await renderAll(apps, services);
    const warmRenders = cache.renders - coldRenders;
    repo.commit({ 'dirs/app-7/cm.yaml': cm('dir-7', 'changed') });
    await repositories.get(repo.dir).fetch(repositories.nextGeneration());
    const before = cache.renders;
    const after = await renderAll(apps, services);
    const caused = cache.renders - before;
    const line = (label: string, ms: number, renders: number): string =>
      `${label.padEnd(30)} ${(ms / 1000).toFixed(2).padStart(7)} s  ${(apps.length / (ms / 1000)).toFixed(0).padStart(7)} apps/s  ${String(renders).padStart(4)} renders`;
    process.stdout.write(`${apps.length} apps (300 directory, 150 Kustomize overlays, 50 Helm releases), 8 at a time\n`);
    process.stdout.write(`${line('cold (empty cache)', cold, coldRenders)}\n`);
    process.stdout.write(`${line('warm (same commit)', warm, warmRenders)}\n`);
    process.stdout.write(`${line('commit touching one app', after, caused)}\n`);
    process.stdout.write(`warm/cold speed-up: ${(cold / warm).toFixed(1)}x; renders caused by the one-app commit: ${caused} (goal: 1)\n`);
  } finally {
    repo.remove();
    rmSync(cacheDir, { recursive: true, force: true });
  }
}
