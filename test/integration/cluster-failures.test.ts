// Start-up failures are loud and bounded: a port in use and a component that
// dies at start give a typed error naming the component (and its log), and
// leave no process behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCluster } from '../../src/platform/cluster.ts';
import { binaryPathsIn, ensureBinaries } from '../../src/render/tool-binaries.ts';
import { readClusterState } from '../../src/platform/cluster-state.ts';
import { isAlive } from '../../src/platform/processes.ts';
import { CapstanError } from '../../src/errors.ts';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

test('a busy API server port is reported before anything starts', async (t) => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'capstan-fail-'));
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  t.after(() => { server.close(); rmSync(home, { recursive: true, force: true }); });
  const port = (server.address() as net.AddressInfo).port;
  await assert.rejects(startCluster({ name: 'busy', home, apiserverPort: port, binaries: await ensureBinaries() }),
    (err: unknown) => err instanceof CapstanError && err.code === 'PortInUse'
      && err.message.includes('kube-apiserver') && err.message.includes(String(port)));
  assert.equal(await readClusterState(home, 'busy'), undefined);
});

test('a component that dies at start is named with its log and nothing is left running', { timeout: 120_000 }, async (t) => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'capstan-fail-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const real = await ensureBinaries();
  // A kube-controller-manager that exits at once after a line of output.
  const fake = path.join(home, 'bin');
  const broken = binaryPathsIn(fake);
  const { mkdirSync, symlinkSync } = await import('node:fs');
  mkdirSync(fake);
  for (const name of ['etcd', 'kube-apiserver', 'kube-scheduler', 'kwok', 'kwok-stages.yaml']) {
    symlinkSync(path.join(real.dir, name), path.join(fake, name));
  }
  writeFileSync(broken.kubeControllerManager, '#!/bin/sh\necho "fatal: simulated start failure" >&2\nexit 3\n');
  chmodSync(broken.kubeControllerManager, 0o755);

  await assert.rejects(startCluster({ name: 'dies', home, binaries: broken, timeoutMs: 60_000 }),
    (err: unknown) => {
      assert.ok(err instanceof CapstanError);
      assert.equal(err.code, 'ComponentDied');
      assert.match(err.message, /kube-controller-manager exited during start-up/);
      assert.match(err.message, /logs\/kube-controller-manager\.log/);
      assert.match(err.message, /simulated start failure/);
      return true;
    });
  const state = await readClusterState(home, 'dies');
  assert.ok(state !== undefined, 'state kept for inspection');
  for (const p of state.processes) assert.equal(isAlive(p.pid, p.binary), false, `${p.component} stopped`);
});

test('an interrupted `cluster up` stops what it started and leaves nothing behind', { timeout: 120_000 }, async (t) => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'capstan-int-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  await ensureBinaries();
  const child = spawn(process.execPath, [path.resolve('bin/capstan.js'), 'cluster', 'up', '--name', 'int'],
    { env: { ...process.env, CAPSTAN_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  await new Promise<void>((resolve) => child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (stderr.includes('starting kube-apiserver')) resolve();
  }));
  child.kill('SIGINT');
  assert.notEqual(await exited, 0);
  assert.match(stderr, /start-up interrupted/);
  const leftovers = (() => {
    try { return execFileSync('pgrep', ['-f', home], { encoding: 'utf8' }).trim(); } catch { return ''; }
  })();
  assert.equal(leftovers, '', 'no process of the cluster runs');
  assert.equal(existsSync(path.join(home, 'clusters', 'int')), false);
});
