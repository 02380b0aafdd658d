// Shared test fixture: one real local cluster per test run (not per test), and
// one namespace per test. The runner (scripts/run-tests.ts) starts the cluster
// once and hands it to every test file through CAPSTAN_TEST_* variables; a file
// run on its own starts a private cluster and stops it when the process exits.
import type { TestContext } from 'node:test';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { readFileSync, rmSync } from 'node:fs';
import { startCluster, stopCluster } from '../../src/platform/cluster.ts';
import { clusterDirs, listClusterNames, readClusterState } from '../../src/platform/cluster-state.ts';
import { isAlive } from '../../src/platform/processes.ts';
import { adminRequest } from '../../src/platform/admin-request.ts';
import { pkiPaths } from '../../src/platform/pki.ts';

export interface TestCluster {
  readonly name: string;
  readonly kubeconfigPath: string;
  /** https://127.0.0.1:PORT */
  readonly server: string;
  /** Directory holding etcd, kube-*, kwok, kustomize and helm. */
  readonly binDir: string;
  /** Capstan home that holds the cluster's directory (PKI, logs). */
  readonly home: string;
}

export const testEnv = {
  name: 'CAPSTAN_TEST_CLUSTER',
  kubeconfig: 'CAPSTAN_TEST_KUBECONFIG',
  server: 'CAPSTAN_TEST_SERVER',
  binDir: 'CAPSTAN_TEST_BIN_DIR',
  home: 'CAPSTAN_TEST_HOME',
} as const;

/** Where test clusters live, apart from the user's own (~/.capstan). */
export function testHome(): string {
  return path.join(os.tmpdir(), 'capstan-test-home');
}

/** Stops test clusters whose owning process is gone (a runner killed with SIGKILL). */
export async function reapStaleTestClusters(home = testHome()): Promise<void> {
  for (const name of await listClusterNames(home)) {
    const state = await readClusterState(home, name);
    if (state?.ownerPid === undefined || !isAlive(state.ownerPid)) await stopCluster(name, { home });
  }
}

/** Starts a cluster owned by this process. */
export async function startOwnedTestCluster(): Promise<TestCluster> {
  const home = testHome();
  await reapStaleTestClusters(home);
  const name = `test-${process.pid}`;
  // PodTemplates are served without a watch cache, so a test can make a watch
  // hit 410 Gone by compacting etcd (the watch cache would replay instead).
  const handle = await startCluster({
    name, home, ownerPid: process.pid, timeoutMs: 180_000, apiserverArgs: ['--watch-cache-sizes=podtemplates#0'],
  });
  return { name, kubeconfigPath: handle.kubeconfig, server: handle.server, binDir: handle.state.binDir, home };
}

/** Synchronous last-resort stop (process 'exit' handlers cannot await). */
export function killTestClusterSync(cluster: TestCluster): void {
  const dirs = clusterDirs(cluster.home, cluster.name);
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    for (const pid of pidsOf(dirs.stateFile)) {
      try { process.kill(-pid, signal); } catch { /* gone */ }
    }
  }
  rmSync(dirs.root, { recursive: true, force: true });
}

function pidsOf(stateFile: string): number[] {
  try {
    const text = readFileSync(stateFile, 'utf8');
    return (JSON.parse(text) as { processes: Array<{ pid: number }> }).processes.map((p) => p.pid);
  } catch {
    return [];
  }
}

let shared: Promise<TestCluster> | undefined;

export function useTestCluster(): Promise<TestCluster> {
  shared ??= fromEnvironment() ?? startPrivate();
  return shared;
}

function fromEnvironment(): Promise<TestCluster> | undefined {
  const e = process.env;
  const kubeconfigPath = e[testEnv.kubeconfig];
  if (kubeconfigPath === undefined) return undefined;
  return Promise.resolve({
    name: e[testEnv.name] ?? 'test', kubeconfigPath, server: e[testEnv.server] ?? '',
    binDir: e[testEnv.binDir] ?? '', home: e[testEnv.home] ?? testHome(),
  });
}

async function startPrivate(): Promise<TestCluster> {
  const cluster = await startOwnedTestCluster();
  // A test file run on its own: the cluster lives as long as this process.
  process.once('exit', () => killTestClusterSync(cluster));
  return cluster;
}

/** Creates a fresh namespace for one test and deletes it when the test ends. */
export async function createTestNamespace(t: TestContext, cluster: TestCluster): Promise<string> {
  const name = `t-${randomBytes(4).toString('hex')}`;
  const pki = pkiPaths(clusterDirs(cluster.home, cluster.name).pki);
  const res = await adminRequest({
    url: `${cluster.server}/api/v1/namespaces`, method: 'POST', pki,
    body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'capstan.dev/test': 'true' } } }),
  });
  if (res.status !== 201) throw new Error(`creating test namespace ${name}: HTTP ${res.status} ${res.body.slice(0, 200)}`);
  t.after(async () => {
    await adminRequest({ url: `${cluster.server}/api/v1/namespaces/${name}`, method: 'DELETE', pki }).catch(() => undefined);
  });
  return name;
}

/** Compacts etcd's history up to now, so watches from older resourceVersions get 410 Gone. */
export async function compactEtcd(cluster: TestCluster): Promise<void> {
  const state = await readClusterState(cluster.home, cluster.name);
  if (state === undefined) throw new Error(`no state for test cluster ${cluster.name}`);
  const base = `http://127.0.0.1:${state.ports.etcdClient}/v3/kv`;
  const range = await adminRequest({ url: `${base}/range`, method: 'POST', body: JSON.stringify({ key: 'AA==' }) });
  const revision = (JSON.parse(range.body) as { header: { revision: string } }).header.revision;
  const res = await adminRequest({ url: `${base}/compaction`, method: 'POST', body: JSON.stringify({ revision, physical: true }) });
  if (res.status !== 200) throw new Error(`etcd compaction failed: HTTP ${res.status} ${res.body}`);
}
