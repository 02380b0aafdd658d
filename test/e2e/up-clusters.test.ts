// The seed platforms' multi-cluster layout end to end: `capstan up --cluster
// dev-vcluster --cluster staging-vcluster` starts two more local clusters,
// registers each with the engine as an Argo CD cluster Secret, and the
// vclusters example's Applications (`destination.name: dev-vcluster` and
// `staging-vcluster`) sync there to Healthy; everything started is stopped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { stopCluster } from '../../src/platform/cluster.ts';
import { listClusterNames } from '../../src/platform/cluster-state.ts';

const run = promisify(execFile);

test('capstan up with destination clusters syncs apps that target them by name', { timeout: 300_000 }, async (t) => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'capstan-up-clusters-'));
  t.after(async () => {
    // A run cut short leaves its clusters: stop them before the home goes.
    for (const name of await listClusterNames(home)) await stopCluster(name, { home });
    rmSync(home, { recursive: true, force: true });
  });
  const { stdout } = await run(process.execPath, [path.resolve('bin/capstan.js'), 'up', '--name', 'e2e-ctl', '--bootstrap', 'vclusters',
    '--cluster', 'dev-vcluster', '--cluster', 'staging-vcluster', '--exit-when-synced'],
  { env: { ...process.env, CAPSTAN_HOME: home }, timeout: 280_000 });
  assert.match(stdout, /cluster "dev-vcluster" registered as a destination at https:\/\/127\.0\.0\.1:\d+/);
  assert.match(stdout, /cluster "staging-vcluster" registered as a destination at https:\/\/127\.0\.0\.1:\d+/);
  assert.match(stdout, /backstage-dev\s+Synced\s+Healthy/);
  assert.match(stdout, /backstage-staging\s+Synced\s+Healthy/);
  assert.match(stdout, /every automated app is Synced and Healthy/);
  assert.doesNotMatch(stdout, /BEGIN (EC )?PRIVATE KEY|keyData/, 'no key material is printed');
  for (const name of ['e2e-ctl', 'dev-vcluster', 'staging-vcluster']) {
    assert.equal(existsSync(path.join(home, 'clusters', name)), false, `${name} was stopped and removed`);
  }
  const leftovers = (() => { try { return execFileSync('pgrep', ['-f', home], { encoding: 'utf8' }).trim(); } catch { return ''; } })();
  assert.equal(leftovers, '');
});
