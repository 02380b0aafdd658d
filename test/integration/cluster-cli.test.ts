// `capstan cluster` end to end through the real CLI: two named clusters run at
// once and are independent, `kubeconfig` prints the path last, and `down`
// leaves no process and no directory behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readClusterState } from '../../src/platform/cluster-state.ts';
import { adminRequest } from '../../src/platform/admin-request.ts';
import { pkiPaths } from '../../src/platform/pki.ts';
import { isAlive } from '../../src/platform/processes.ts';

const run = promisify(execFile);
const cli = path.resolve('bin/capstan.js');

async function capstan(home: string, ...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [cli, ...args], { env: { ...process.env, CAPSTAN_HOME: home }, timeout: 240_000 });
}

test('two named clusters run side by side and stop without leftovers', { timeout: 300_000 }, async (t) => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'capstan-cli-'));
  t.after(async () => {
    await capstan(home, 'cluster', 'down', '--name', 'a').catch(() => undefined);
    await capstan(home, 'cluster', 'down', '--name', 'b').catch(() => undefined);
    rmSync(home, { recursive: true, force: true });
  });
  const [upA, upB] = await Promise.all([
    capstan(home, 'cluster', 'up', '--name', 'a'),
    capstan(home, 'cluster', 'up', '--name', 'b', '--nodes', '2'),
  ]);
  const kubeconfigA = upA.stdout.trim().split('\n').at(-1) ?? '';
  assert.match(upA.stdout, /cluster "a" ready in [\d.]+ s at https:\/\/127\.0\.0\.1:\d+/);
  assert.ok(existsSync(kubeconfigA), `kubeconfig ${kubeconfigA} exists`);
  assert.match(upB.stdout, /cluster "b" ready/);

  const printed = await capstan(home, 'cluster', 'kubeconfig', '--name', 'a');
  assert.equal(printed.stdout.trim().split('\n').at(-1), kubeconfigA);
  const again = await capstan(home, 'cluster', 'up', '--name', 'a');
  assert.match(again.stdout, /already running/);

  const stateA = await readClusterState(home, 'a');
  const stateB = await readClusterState(home, 'b');
  assert.ok(stateA !== undefined && stateB !== undefined);
  assert.notEqual(stateA.server, stateB.server);

  // Independent: a namespace made in a does not exist in b; b has two nodes.
  const pkiA = pkiPaths(path.join(home, 'clusters', 'a', 'pki'));
  const pkiB = pkiPaths(path.join(home, 'clusters', 'b', 'pki'));
  const created = await adminRequest({ url: `${stateA.server}/api/v1/namespaces`, method: 'POST', pki: pkiA,
    body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'only-in-a' } }) });
  assert.equal(created.status, 201);
  const inB = await adminRequest({ url: `${stateB.server}/api/v1/namespaces/only-in-a`, pki: pkiB });
  assert.equal(inB.status, 404);
  const nodesB = JSON.parse((await adminRequest({ url: `${stateB.server}/api/v1/nodes`, pki: pkiB })).body) as { items: unknown[] };
  assert.equal(nodesB.items.length, 2);

  const list = await capstan(home, 'cluster', 'list');
  assert.match(list.stdout, /^a\s+ready/m);
  assert.match(list.stdout, /^b\s+ready/m);
  const status = await capstan(home, 'cluster', 'status', '--name', 'b');
  assert.match(status.stdout, /kube-scheduler\s+pid \d+\s+running/);

  await capstan(home, 'cluster', 'down', '--name', 'a');
  await capstan(home, 'cluster', 'down', '--name', 'b');
  for (const p of [...stateA.processes, ...stateB.processes]) {
    assert.equal(isAlive(p.pid, p.binary), false, `${p.component} (pid ${p.pid}) stopped`);
  }
  assert.equal(existsSync(path.join(home, 'clusters', 'a')), false);
  const after = await capstan(home, 'cluster', 'status', '--name', 'a').catch((err: { stdout: string; code: number }) => err);
  assert.match(after.stdout, /not found/);
});

test('kubeconfig of an unknown cluster fails with a clear message', async () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'capstan-cli-'));
  try {
    await assert.rejects(capstan(home, 'cluster', 'kubeconfig', '--name', 'nope'),
      (err: { stderr: string; code: number }) => err.code === 1 && /no cluster named "nope"/.test(err.stderr));
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
