// The API server on a real local cluster with 500 Applications (each with a
// status of 10 resources): requests per second for the application list and
// for single gets (as admin, and as a user whose policy covers one project of
// ten, so RBAC filters each item), and the watch stream's fan-out — 50
// clients connected, an app changed, the time until every client has the
// event. Prints figures and ratios, asserts nothing about time.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { KubeObject } from '../src/api/kube-object.ts';
import { installControlPlane } from '../src/controller/install-crds.ts';
import { KubeClient } from '../src/kube/kube-client.ts';
import { stopCluster } from '../src/platform/cluster.ts';
import { hashPassword } from '../src/server/auth/password.ts';
import { readInitialAdminPassword } from '../src/server/auth/server-secrets.ts';
import { startApiServer } from '../src/server/start-server.ts';
import { startOwnedTestCluster } from '../test/harness/cluster.ts';
import { onJsonLines } from '../test/harness/json-lines.ts';

const appCount = 500;
const streamClients = 50;
const ns = 'bench-server';

async function pool<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => { while (next < items.length) await fn(items[next++]!); }));
}

function app(i: number): KubeObject {
  const resources = Array.from({ length: 10 }, (_, r) => ({ group: 'apps', version: 'v1', kind: 'Deployment', namespace: `team-${i % 10}`,
    name: `svc-${i}-${r}`, status: 'Synced', health: { status: 'Healthy' } }));
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: `app-${String(i).padStart(3, '0')}`, namespace: ns, labels: { team: `team-${i % 10}` } },
    spec: { project: `team-${i % 10}`, source: { repoURL: 'https://example.com/repo.git', path: `apps/${i}`, targetRevision: 'HEAD' },
      destination: { server: 'https://kubernetes.default.svc', namespace: `team-${i % 10}` } },
    status: { sync: { status: 'Synced', revision: 'a'.repeat(40) }, health: { status: 'Healthy' }, resources, reconciledAt: new Date().toISOString() } };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

function get(url: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => { bytes += c.length; });
      res.on('end', () => (res.statusCode === 200 ? resolve(bytes) : reject(new Error(`HTTP ${res.statusCode} for ${url}`))));
    }).on('error', reject);
  });
}

async function rate(label: string, count: number, concurrency: number, url: (i: number) => string, token: string): Promise<number> {
  let bytes = 0;
  const t0 = performance.now();
  await pool(Array.from({ length: count }, (_, i) => i), concurrency, async (i) => { bytes = await get(url(i), token); });
  const s = (performance.now() - t0) / 1000;
  const perSecond = count / s;
  process.stdout.write(`${label.padEnd(46)} ${perSecond.toFixed(0).padStart(6)} req/s  (${count} requests, ${concurrency} in flight, ${(bytes / 1024).toFixed(0)} KiB each)\n`);
  return perSecond;
}

async function login(url: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/session`, { method: 'POST', body: JSON.stringify({ username, password }) });
  return ((await res.json()) as { token: string }).token;
}

export async function runServerBench(): Promise<void> {
  const cluster = await startOwnedTestCluster();
  const client = KubeClient.fromKubeconfig({ kubeconfigPath: cluster.kubeconfigPath });
  try {
    await installControlPlane(client, ns);
    await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm', namespace: ns }, data: { 'accounts.dev': 'login' } }, { fieldManager: 'bench', force: true });
    await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-rbac-cm', namespace: ns },
      data: { 'policy.csv': 'p, dev, applications, *, team-3/*, allow\np, dev, projects, get, team-3, allow' } }, { fieldManager: 'bench', force: true });
    const t0 = performance.now();
    await pool(Array.from({ length: appCount }, (_, i) => i), 8, async (i) => { await client.create(app(i)); });
    process.stdout.write(`created ${appCount} Applications in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    const server = await startApiServer({ client, namespace: ns, port: 0, verifyDelayMs: [0, 0] });
    try {
      await client.patch({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'argocd-secret', namespace: ns } },
        { data: { 'accounts.dev.password': Buffer.from(await hashPassword('dev')).toString('base64') } }, 'merge');
      const admin = await login(server.url, 'admin', (await readInitialAdminPassword(client, ns))!);
      let dev = '';
      for (let i = 0; i < 50 && !dev; i++) { dev = await login(server.url, 'dev', 'dev').catch(() => ''); if (!dev) await new Promise((r) => setTimeout(r, 100)); }
      const listUrl = `${server.url}/api/v1/applications`;
      await rate('warm-up', 20, 4, () => listUrl, admin);
      const list = await rate(`list of ${appCount} apps (admin)`, 200, 8, () => listUrl, admin);
      const listDev = await rate(`list filtered by RBAC to 1 project (50 apps)`, 400, 8, () => listUrl, dev);
      const getRate = await rate('get of one app (admin)', 4000, 16, (i) => `${listUrl}/app-${String(i % appCount).padStart(3, '0')}`, admin);
      process.stdout.write(`ratios: get / list = ${(getRate / list).toFixed(1)}×, RBAC-filtered list / full list = ${(listDev / list).toFixed(1)}×\n`);
      await streamFanOut(server.url, admin, client);
    } finally {
      await server.close();
    }
  } finally {
    agent.destroy();
    client.close();
    await stopCluster(cluster.name, { home: cluster.home });
  }
}

async function streamFanOut(url: string, token: string, client: KubeClient): Promise<void> {
  const received: Array<Map<string, number>> = [];
  const requests: http.ClientRequest[] = [];
  const t0 = performance.now();
  let initialEvents = 0;
  await Promise.all(Array.from({ length: streamClients }, (_, c) => new Promise<void>((resolve) => {
    const seen = new Map<string, number>();
    received.push(seen);
    const req = http.get(`${url}/api/v1/stream/applications`, { headers: { Authorization: `Bearer ${token}` } }, (res) => {
      let initial = 0;
      onJsonLines<{ result: { type: string; application: { metadata: { labels?: Record<string, string> } } } }>(res, ({ result: e }) => {
        const mark = e.application.metadata.labels?.['bench'];
        if (e.type === 'ADDED' && ++initial === appCount) { initialEvents += initial; resolve(); }
        if (mark !== undefined && !seen.has(mark)) seen.set(mark, performance.now());
      });
    });
    requests.push(req);
    void c;
  })));
  process.stdout.write(`stream: ${streamClients} clients connected and sent the ${appCount} current apps each in ${((performance.now() - t0) / 1000).toFixed(2)} s (${initialEvents} events)\n`);
  const latencies: number[] = [];
  const changes = 20;
  for (let k = 0; k < changes; k++) {
    const mark = `m${k}`;
    const sent = performance.now();
    await client.patch({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: `app-${String(k).padStart(3, '0')}`, namespace: ns } },
      { metadata: { labels: { bench: mark } } }, 'merge');
    const deadline = sent + 5000;
    while (received.some((m) => !m.has(mark)) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 2));
    const last = Math.max(...received.map((m) => m.get(mark) ?? Number.NaN));
    latencies.push(last - sent);
  }
  for (const r of requests) r.destroy();
  latencies.sort((a, b) => a - b);
  const p50 = latencies[Math.floor(latencies.length / 2)]!;
  process.stdout.write(`stream fan-out: a change reaches all ${streamClients} clients in p50 ${p50.toFixed(0)} ms, max ${latencies[latencies.length - 1]!.toFixed(0)} ms`
    + ` (${changes} changes; from the PATCH to the last client)\n`);
}
