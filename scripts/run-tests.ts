// Runs every test file (unit tests beside their modules, integration tests
// under test/) with Node's test runner, against one local cluster started for
// the whole run and stopped at the end, also on failure or interruption. The
// test runner gets its own process group: an interrupt (Ctrl-C, or SIGTERM to
// this process alone) is passed to the whole group, so test files stop and
// `capstan up` children stop their clusters, and the run waits for them
// before it stops the shared cluster; whatever the run started and still
// runs then (found by a marker variable every child inherits) is stopped and
// named. The tests' temporary files live in one directory (TMPDIR) removed at
// the end, so a test cut short leaves none in the machine's temp directory.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { stopCluster } from '../src/platform/cluster.ts';
import { killTestClusterSync, reapStaleTestClusters, startOwnedTestCluster, testEnv, type TestCluster } from '../test/harness/cluster.ts';
import { artifactsVariable, dropEmptyArtifactsDir, markedProcesses, newArtifactsDir, newRunMarker, newRunTempDir,
  removeRunTempDir, runMarkerVariable, stopMarkedProcesses, waitForMarkedToExit } from '../test/harness/run-leftovers.ts';

const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** How long interrupted tests get to stop what they started before their group is killed. */
const interruptGraceMs = 30_000;

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try { process.kill(-child.pid, signal); } catch { /* gone */ }
}

function findTests(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'testdata') continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) findTests(full, out);
    else if (entry.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

async function main(): Promise<number> {
  const filter = process.argv.slice(2);
  const all = [...findTests('src'), ...findTests('scripts'), ...findTests('test')].sort();
  const files = filter.length === 0 ? all : all.filter((f) => filter.some((pattern) => f.includes(pattern)));
  const needsCluster = files.some((f) => f.startsWith(path.join('test', 'integration')) || f.startsWith(path.join('test', 'e2e')));
  let cluster: TestCluster | undefined;
  let child: ChildProcess | undefined;
  const marker = newRunMarker();
  const tmp = newRunTempDir();
  const artifacts = newArtifactsDir(marker);
  const cleanupSync = (): void => {
    if (child !== undefined) signalGroup(child, 'SIGKILL');
    for (const p of markedProcesses(marker)) { try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ } }
    if (cluster !== undefined) killTestClusterSync(cluster);
    removeRunTempDir(tmp);
  };
  process.once('exit', cleanupSync);
  let interrupted: NodeJS.Signals | undefined;
  for (const signal of signals) {
    process.on(signal, () => {
      // Before the tests start, or a second interrupt: stop everything now.
      if (child === undefined || interrupted !== undefined) { cleanupSync(); process.exit(130); }
      interrupted = signal;
      process.stderr.write(`\ntests interrupted (${signal}): stopping them and what they started\n`);
      signalGroup(child, signal);
      setTimeout(() => { if (child !== undefined) signalGroup(child, 'SIGKILL'); }, interruptGraceMs).unref();
    });
  }
  if (needsCluster) {
    const t0 = Date.now();
    process.stderr.write('test cluster: starting\n');
    cluster = await startOwnedTestCluster();
    process.stderr.write(`test cluster: ${cluster.server} ready in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  const env: NodeJS.ProcessEnv = { ...process.env, [runMarkerVariable]: marker, TMPDIR: tmp,
    [artifactsVariable]: artifacts };
  if (cluster !== undefined) {
    Object.assign(env, {
      [testEnv.name]: cluster.name, [testEnv.kubeconfig]: cluster.kubeconfigPath, [testEnv.server]: cluster.server,
      [testEnv.binDir]: cluster.binDir, [testEnv.home]: cluster.home,
    });
  }
  let code = await new Promise<number>((resolve) => {
    child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files],
      { stdio: 'inherit', env, detached: true });
    child.on('close', (c) => resolve(c ?? 1));
  });
  // Interrupted `capstan up` runs stop their clusters themselves; then anything a test cut short (or one
  // that leaked) left running is stopped, and named.
  if (interrupted !== undefined) await waitForMarkedToExit(marker, interruptGraceMs);
  const left = await stopMarkedProcesses(marker);
  if (left.length > 0) {
    process.stderr.write(`stopped ${left.length} process(es) the tests left running:\n${left.map((p) => `  ${p.pid} ${p.command.slice(0, 200)}`).join('\n')}\n`);
  }
  child = undefined;
  if (cluster !== undefined) {
    await stopCluster(cluster.name, { home: cluster.home });
    cluster = undefined;
  }
  // Clusters test files started for themselves with this run as their owner (a file killed before its `after`).
  await reapStaleTestClusters();
  const leftFiles = removeRunTempDir(tmp);
  dropEmptyArtifactsDir(artifacts);
  if (leftFiles.length > 0 && interrupted === undefined) {
    process.stderr.write(`removed ${leftFiles.length} temporary file(s) the tests left: ${leftFiles.slice(0, 20).join(', ')}\n`);
  }
  if (interrupted !== undefined) code = 130;
  return code;
}

process.exitCode = await main();
