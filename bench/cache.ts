// The live cache and the steady-state diff at scale, on a real local cluster:
// 20,000 ConfigMaps across 1,000 namespaces, each namespace one app's 20
// objects. Figures: the initial list into the cache, RSS per 10,000 cached
// objects (managed objects keep managedFields; unmanaged ones are slimmed),
// and comparing all 1,000 apps — cold (one server-side dry run per object)
// and in steady state (CPU time, and API calls: goal 0).
import { setTimeout as sleep } from 'node:timers/promises';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { KubeObject } from '../src/api/kube-object.ts';
import { compareAppState } from '../src/controller/compare-app-state.ts';
import { fieldManager } from '../src/controller/kube-sync-ports.ts';
import { noIgnoreRules } from '../src/diff/ignore-differences.ts';
import { ServerSideDiffer } from '../src/diff/server-side-diff.ts';
import { LiveCache } from '../src/kube/cache/live-cache.ts';
import { formatTrackingId } from '../src/kube/cache/tracking.ts';
import { KubeClient } from '../src/kube/kube-client.ts';
import { stopCluster } from '../src/platform/cluster.ts';
import { startOwnedTestCluster } from '../test/harness/cluster.ts';

const namespaces = 1000;
const perNamespace = 20;

function desiredOf(app: number): KubeObject[] {
  const ns = `bench-${app}`;
  return Array.from({ length: perNamespace }, (_, i) => {
    const obj: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: ns, labels: { app: `app-${app}` } },
      data: { index: String(i), payload: `value-${app}-${i}-`.padEnd(200, 'x') } };
    obj.metadata.annotations = { 'argocd.argoproj.io/tracking-id': formatTrackingId(`app-${app}`, obj) };
    return obj;
  });
}

async function pool<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

// A full collection before each reading, so the figures are what the cache holds, not garbage.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

async function settledMemory(): Promise<{ rss: number; heap: number }> {
  for (let i = 0; i < 3; i++) { gc(); await sleep(200); }
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed };
}

export async function runCacheBench(): Promise<void> {
  const t0 = Date.now();
  const cluster = await startOwnedTestCluster();
  const client = KubeClient.fromKubeconfig({ kubeconfigPath: cluster.kubeconfigPath });
  try {
    process.stdout.write(`cluster ready in ${((Date.now() - t0) / 1000).toFixed(1)} s; creating ${namespaces} namespaces and ${namespaces * perNamespace} ConfigMaps\n`);
    const apps = Array.from({ length: namespaces }, (_, i) => i);
    const tc = Date.now();
    await pool(apps, 8, async (app) => {
      await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `bench-${app}` } }, { fieldManager });
      for (const obj of desiredOf(app)) await client.apply(obj, { fieldManager, force: true });
    });
    process.stdout.write(`created in ${((Date.now() - tc) / 1000).toFixed(1)} s\n`);

    // Managed first (every object tracked by its app, managedFields kept), from a settled heap.
    const base = await settledMemory();
    const cache = new LiveCache(client);
    let t = Date.now();
    await cache.ensureWatching('v1', 'ConfigMap');
    const listMs = Date.now() - t;
    const managed = await settledMemory();
    const count = cache.index.size;

    // Unmanaged: no app tracks the objects (label tracking, no such label), so the cache slims them.
    const base2 = await settledMemory();
    const slim = new LiveCache(client, { tracking: { method: 'label', instanceLabelKey: 'capstan.dev/none' } });
    t = Date.now();
    await slim.ensureWatching('v1', 'ConfigMap');
    const slimListMs = Date.now() - t;
    const slimmed = await settledMemory();
    const slimCount = slim.index.size;
    slim.close();

    let dryRuns = 0;
    const differ = new ServerSideDiffer(async (d, request) => { dryRuns++; return client.apply(d, { ...request, force: true, dryRun: true }); });
    const request = { fieldManager, fieldValidation: 'Strict' } as const;
    const desired = apps.map(desiredOf);
    const compareAll = async (concurrency: number): Promise<{ ms: number; cpuMs: number; outOfSync: number }> => {
      const start = Date.now(); const cpu = process.cpuUsage();
      let outOfSync = 0;
      await pool(apps, concurrency, async (app) => {
        const c = await compareAppState({ desired: desired[app]!, live: cache.managedBy(`app-${app}`),
          diff: (tg, l) => differ.diff(tg, l, request, { rules: noIgnoreRules }) });
        if (c.syncStatus !== 'Synced') outOfSync++;
      });
      const used = process.cpuUsage(cpu);
      return { ms: Date.now() - start, cpuMs: (used.user + used.system) / 1000, outOfSync };
    };
    const cold = await compareAll(8);
    const coldCalls = dryRuns;
    const warm = await compareAll(1);
    const warmCalls = dryRuns - coldCalls;
    cache.close();

    const rows: Array<[string, string]> = [
      ['objects in the cache', `${count} managed, then ${slimCount} unmanaged in a second cache`],
      ['initial list (managed, with managedFields)', `${listMs} ms (${Math.round(count / (listMs / 1000))} objects/s)`],
      ['initial list (unmanaged, slimmed)', `${slimListMs} ms`],
      ['per 10,000 managed objects (RSS / JS heap)', `${mb((managed.rss - base.rss) / count * 10_000)} / ${mb((managed.heap - base.heap) / count * 10_000)}`],
      ['per 10,000 unmanaged objects (RSS / JS heap)', `${mb((slimmed.rss - base2.rss) / slimCount * 10_000)} / ${mb((slimmed.heap - base2.heap) / slimCount * 10_000)}`],
      ['diff of 1,000 apps, cold', `${cold.ms} ms wall, ${cold.cpuMs.toFixed(0)} ms CPU, ${coldCalls} dry-run calls, ${cold.outOfSync} OutOfSync`],
      ['diff of 1,000 apps, steady state', `${warm.ms} ms wall, ${warm.cpuMs.toFixed(0)} ms CPU, ${warmCalls} API calls, ${warm.outOfSync} OutOfSync`],
      ['steady state vs cold (CPU)', `${(warm.cpuMs / cold.cpuMs).toFixed(2)}×`],
    ];
    for (const [k, v] of rows) process.stdout.write(`${k.padEnd(46)} ${v}\n`);
  } finally {
    client.close();
    await stopCluster(cluster.name, { home: cluster.home });
  }
}
