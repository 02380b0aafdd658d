// End-to-end sync on a real local cluster: 200 automated apps × 10
// resources from one repository — time from start until every app is Synced
// and Healthy, API requests per app (and by verb), the controller's RSS; then a commit that
// changes 10 apps, picked up by a refresh of every app (what a webhook does) —
// time until every app is at the new commit, how many apps were rendered again
// (goal: 10) and how many fetches it took; last, 20 apps of one Deployment
// each rolled out by kwok — the dry runs their status changes cost (goal: 0
// beyond the plan's).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Application } from '../src/api/application.ts';
import type { KubeObject } from '../src/api/kube-object.ts';
import { AppController } from '../src/controller/app-controller.ts';
import { installControlPlane } from '../src/controller/install-crds.ts';
import { KubeClient } from '../src/kube/kube-client.ts';
import { startCluster, stopCluster } from '../src/platform/cluster.ts';
import { RenderCache } from '../src/render/render-cache.ts';
import { ensureBinaries } from '../src/render/tool-binaries.ts';
import { RepositoryStore } from '../src/source/repository-store.ts';
import { TestRepo } from '../test/harness/git-repo.ts';

const apps = 200;
const perApp = 10;
const namespaces = 20;
const changed = 10;

const rollouts = 20;

const deployment = (app: number): string => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d${app}\nspec:\n  replicas: 2\n`
  + `  selector:\n    matchLabels: {app: d${app}}\n  template:\n    metadata:\n      labels: {app: d${app}}\n`
  + `    spec:\n      containers:\n      - name: c\n        image: registry.example/app:1\n`;

const cm = (app: number, i: number, v: string): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a${app}-c${i}\ndata:\n  v: "${v}"\n`;

function files(version: (app: number) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (let a = 0; a < apps; a++) out[`apps/a${a}/all.yaml`] = Array.from({ length: perApp }, (_, i) => cm(a, i, version(a))).join('---\n');
  return out;
}

/** Milliseconds from t0 until every app (whose name starts with `prefix`) is Synced and Healthy at `revision` with no operation left. */
async function untilConverged(client: KubeClient, ns: string, revision: string, t0: number, count = apps, prefix = 'a'): Promise<number> {
  for (;;) {
    const list = ((await client.list('argoproj.io/v1alpha1', 'Application', { namespace: ns })) as unknown as Application[])
      .filter((a) => a.metadata.name!.startsWith(prefix));
    const done = list.filter((a) => a.status?.sync?.status === 'Synced' && a.status.health?.status === 'Healthy'
      && a.status.sync.revision === revision && a.operation === undefined).length;
    if (done === count) return performance.now() - t0;
    await sleep(250);
  }
}

/** "apply ConfigMap 10.0, …, other 0.4": the requests of each verb since `before`, divided by `per`, most first. */
function perVerb(now: ReadonlyMap<string, number>, before: ReadonlyMap<string, number>, per: number): string {
  const counts = [...now].map(([verb, n]) => [verb, (n - (before.get(verb) ?? 0)) / per] as const).sort((a, b) => b[1] - a[1]);
  const shown = counts.filter(([, n]) => n >= 0.5);
  const other = counts.filter(([, n]) => n < 0.5).reduce((sum, [, n]) => sum + n, 0);
  const fmt = (n: number): string => (per === 1 ? String(n) : n.toFixed(1));
  return [...shown.map(([verb, n]) => `${verb} ${fmt(n)}`), ...(other > 0 ? [`other ${fmt(other)}`] : [])].join(', ');
}

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

export async function runSyncBench(): Promise<void> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'capstan-bench-sync-'));
  const repo = new TestRepo();
  const cacheDir = path.join(home, 'cache');
  const cluster = await startCluster({ name: 'bench-sync', home, timeoutMs: 180_000 });
  const admin = KubeClient.fromKubeconfig({ kubeconfigPath: cluster.kubeconfig });
  // The controller has its own connection, so its requests are counted apart from the benchmark's.
  const client = KubeClient.fromKubeconfig({ kubeconfigPath: cluster.kubeconfig });
  const cache = new RenderCache<KubeObject[]>();
  const repositories = new RepositoryStore({ cacheDir });
  const controller = new AppController({ client, namespace: 'argocd', waveDelayMs: 0, reconcileIntervalMs: 3_600_000,
    render: { repositories, binaries: await ensureBinaries(), cacheDir, cache } });
  try {
    const first = repo.commit(files(() => 'one'));
    await installControlPlane(admin, 'argocd');
    for (let n = 0; n < namespaces; n++) await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `bench-${n}` } }, { fieldManager: 'bench' });
    const rssBefore = process.memoryUsage().rss;
    const t0 = performance.now();
    await controller.start();
    await Promise.all(Array.from({ length: apps }, (_, a) => admin.create({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application',
      metadata: { name: `a${a}`, namespace: 'argocd' },
      spec: { project: 'default', source: { repoURL: repo.dir, targetRevision: 'HEAD', path: `apps/a${a}` },
        destination: { server: 'https://kubernetes.default.svc', namespace: `bench-${a % namespaces}` },
        syncPolicy: { automated: { prune: true } } } })));
    const converge = await untilConverged(admin, 'argocd', first, t0);
    const requests = client.connection.requestCount;
    const byVerb = new Map(client.connection.requestsByVerb);
    await controller.idle();
    const rss = process.memoryUsage().rss;
    process.stdout.write(`${apps} apps × ${perApp} resources from one repository: all Synced and Healthy in ${(converge / 1000).toFixed(1)} s`
      + ` (${(converge / apps).toFixed(0)} ms per app); controller API requests ${requests} (${(requests / apps).toFixed(1)} per app);`
      + ` RSS ${mib(rss)} (${mib(rss - rssBefore)} over the process before the controller started); renders ${cache.renders}`
      + `, fetches ${repositories.get(repo.dir).fetchCount}\n`);
    process.stdout.write(`  requests per app by verb: ${perVerb(byVerb, new Map(), apps)}\n`);

    const rendersBefore = cache.renders;
    const fetchesBefore = repositories.get(repo.dir).fetchCount;
    const requestsBefore = client.connection.requestCount;
    const byVerbBefore = new Map(client.connection.requestsByVerb);
    const second = repo.commit(files((a) => (a < changed ? 'two' : 'one')));
    const t1 = performance.now();
    await Promise.all(Array.from({ length: apps }, (_, a) => admin.patch({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application',
      metadata: { name: `a${a}`, namespace: 'argocd' } }, { metadata: { annotations: { 'argocd.argoproj.io/refresh': 'normal' } } }, 'merge')));
    const again = await untilConverged(admin, 'argocd', second, t1);
    process.stdout.write(`a commit changing ${changed} apps, every app refreshed: all at the new commit in ${(again / 1000).toFixed(1)} s;`
      + ` apps rendered again: ${cache.renders - rendersBefore} (goal: ${changed}); fetches: ${repositories.get(repo.dir).fetchCount - fetchesBefore};`
      + ` controller API requests ${client.connection.requestCount - requestsBefore}\n`);
    process.stdout.write(`  requests by verb: ${perVerb(client.connection.requestsByVerb, byVerbBefore, 1)}\n`);

    // Status churn: a Deployment's status changes several times while kwok brings its pods up.
    await sleep(1000);
    await controller.idle();
    const third = repo.commit(Object.fromEntries(Array.from({ length: rollouts }, (_, d) => [`rollouts/d${d}/deployment.yaml`, deployment(d)])));
    const byVerbRollout = new Map(client.connection.requestsByVerb);
    const t2 = performance.now();
    await Promise.all(Array.from({ length: rollouts }, (_, d) => admin.create({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application',
      metadata: { name: `r${d}`, namespace: 'argocd' },
      spec: { project: 'default', source: { repoURL: repo.dir, targetRevision: third, path: `rollouts/d${d}` },
        destination: { server: 'https://kubernetes.default.svc', namespace: `bench-${d % namespaces}` },
        syncPolicy: { automated: { prune: true } } } })));
    const rolled = await untilConverged(admin, 'argocd', third, t2, rollouts, 'r');
    await sleep(3000);
    await controller.idle();
    const dryRuns = (client.connection.requestsByVerb.get('apply (dry run) Deployment') ?? 0) - (byVerbRollout.get('apply (dry run) Deployment') ?? 0);
    process.stdout.write(`${rollouts} apps of one Deployment (2 replicas) rolled out by kwok: Synced and Healthy in ${(rolled / 1000).toFixed(1)} s;`
      + ` Deployment dry runs ${dryRuns} (${(dryRuns / rollouts).toFixed(1)} per app)\n`);
    process.stdout.write(`  requests per app by verb: ${perVerb(client.connection.requestsByVerb, byVerbRollout, rollouts)}\n`);
  } finally {
    controller.close();
    client.close();
    admin.close();
    await stopCluster('bench-sync', { home });
    repo.remove();
    rmSync(home, { recursive: true, force: true });
  }
}
