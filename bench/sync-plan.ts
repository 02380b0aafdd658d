// Planner throughput: an app of N resources across waves, phases and hooks,
// planned and ordered from scratch (the controller re-plans on every sync pass).
import type { KubeObject } from '../src/api/kube-object.ts';
import { planSync } from '../src/sync/plan/plan-sync.ts';

const kinds = [['v1', 'ConfigMap'], ['v1', 'Service'], ['apps/v1', 'Deployment'], ['v1', 'Secret'], ['example.com/v1', 'Widget']] as const;

function objects(n: number): Array<{ target: KubeObject; live?: KubeObject }> {
  return Array.from({ length: n }, (_, i) => {
    const [apiVersion, kind] = kinds[i % kinds.length]!;
    const annotations: Record<string, string> = { 'argocd.argoproj.io/sync-wave': String(i % 7 - 3) };
    if (i % 50 === 0) annotations['argocd.argoproj.io/hook'] = 'PreSync';
    const target: KubeObject = { apiVersion, kind, metadata: { name: `r-${i}`, namespace: `ns-${i % 20}`, annotations } };
    return i % 3 === 0 ? { target, live: target } : { target };
  });
}

export async function runSyncPlanBench(): Promise<void> {
  for (const n of [100, 1_000, 10_000]) {
    const resources = objects(n);
    planSync({ resources, namespace: 'app', revision: 'abc1234', startedAtUnix: 1 });
    const rounds = Math.max(3, Math.floor(20_000 / n));
    const t0 = performance.now();
    for (let r = 0; r < rounds; r++) planSync({ resources, namespace: 'app', revision: 'abc1234', startedAtUnix: 1 });
    const ms = (performance.now() - t0) / rounds;
    process.stdout.write(`plan ${String(n).padStart(6)} resources: ${ms.toFixed(2)} ms/plan, ${(n / ms * 1000).toFixed(0)} resources/s\n`);
  }
}
