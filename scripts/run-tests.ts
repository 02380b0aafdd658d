// Runs every test file (unit tests beside their modules, integration tests
// under test/) with Node's test runner, against one local cluster started for
// the whole run and stopped at the end, also on failure or interruption.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { stopCluster } from '../src/platform/cluster.ts';
import { killTestClusterSync, startOwnedTestCluster, testEnv, type TestCluster } from '../test/harness/cluster.ts';

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
  const cleanupSync = (): void => { if (cluster !== undefined) killTestClusterSync(cluster); };
  process.once('exit', cleanupSync);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => { cleanupSync(); process.exit(130); });
  }
  if (needsCluster) {
    const t0 = Date.now();
    process.stderr.write('test cluster: starting\n');
    cluster = await startOwnedTestCluster();
    process.stderr.write(`test cluster: ${cluster.server} ready in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  const env = { ...process.env };
  if (cluster !== undefined) {
    Object.assign(env, {
      [testEnv.name]: cluster.name, [testEnv.kubeconfig]: cluster.kubeconfigPath, [testEnv.server]: cluster.server,
      [testEnv.binDir]: cluster.binDir, [testEnv.home]: cluster.home,
    });
  }
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files],
      { stdio: 'inherit', env });
    child.on('close', (c) => resolve(c ?? 1));
  });
  if (cluster !== undefined) {
    await stopCluster(cluster.name, { home: cluster.home });
    cluster = undefined;
  }
  return code;
}

process.exitCode = await main();
