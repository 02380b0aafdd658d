// The README's main command end to end: `capstan up` starts a local cluster,
// publishes the bundled examples as git repositories, runs the engine, syncs
// the app of apps (Helm per environment, prod by hand) to Synced and Healthy,
// prints the API server's URL and the initial admin password, and stops
// everything it started, also when its output went away first; the monorepo
// and the teams platforms converge through their ApplicationSets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

test('capstan up syncs the example platform and cleans up', { timeout: 300_000 }, async (t) => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'capstan-up-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const { stdout } = await run(process.execPath, [path.resolve('bin/capstan.js'), 'up', '--name', 'e2e', '--exit-when-synced'],
    { env: { ...process.env, CAPSTAN_HOME: home }, timeout: 280_000 });
  assert.match(stdout, /repository cnoe:\/\/helm-envs → /);
  assert.match(stdout, /applied Application root-app/);
  assert.match(stdout, /API server and UI: http:\/\/127\.0\.0\.1:\d+ {2}\(login: admin \/ [A-Za-z0-9]{16}\)/, 'the URL and the initial admin password');
  assert.match(stdout, /bot-admin-dev\s+Synced\s+Healthy/);
  assert.match(stdout, /bot-admin-staging\s+Synced\s+Healthy/);
  assert.match(stdout, /bot-admin-prod\s+OutOfSync/, 'prod is synced by hand');
  assert.match(stdout, /root-app\s+Synced\s+Healthy/);
  assert.match(stdout, /every automated app is Synced and Healthy/);
  assert.equal(existsSync(path.join(home, 'clusters', 'e2e')), false, 'the cluster was stopped and removed');
  const leftovers = (() => { try { return execFileSync('pgrep', ['-f', home], { encoding: 'utf8' }).trim(); } catch { return ''; } })();
  assert.equal(leftovers, '');
});

test('capstan up syncs the Kustomize monorepo through its ApplicationSets', { timeout: 300_000 }, async (t) => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'capstan-up-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const { stdout } = await run(process.execPath, [path.resolve('bin/capstan.js'), 'up', '--name', 'e2e-mono', '--bootstrap', 'monorepo',
    '--exit-when-synced'], { env: { ...process.env, CAPSTAN_HOME: home }, timeout: 280_000 });
  assert.match(stdout, /applicationset infra: 2 applications/);
  assert.match(stdout, /applicationset services: 2 applications/);
  for (const app of ['dev-appsets', 'maildev', 'minio', 'api', 'auth']) {
    assert.match(stdout, new RegExp(`${app}\\s+Synced\\s+Healthy`), `${app} converged`);
  }
  assert.match(stdout, /every automated app is Synced and Healthy/);
});

test('capstan up onboards the teams of the teams platform through its ApplicationSets', { timeout: 300_000 }, async (t) => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'capstan-up-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const { stdout } = await run(process.execPath, [path.resolve('bin/capstan.js'), 'up', '--name', 'e2e-teams', '--bootstrap', 'teams',
    '--exit-when-synced'], { env: { ...process.env, CAPSTAN_HOME: home }, timeout: 280_000 });
  assert.match(stdout, /applied AppProject platform/);
  assert.match(stdout, /applicationset team-apps: 3 applications/);
  for (const app of ['root-app', 'backend-project', 'frontend-namespace', 'backend-api', 'backend-worker', 'frontend-web']) {
    assert.match(stdout, new RegExp(`${app}\\s+Synced\\s+Healthy`), `${app} converged`);
  }
  assert.match(stdout, /every automated app is Synced and Healthy/);
});

test('capstan up whose output is gone (a closed pipe or terminal) still stops everything it started', { timeout: 200_000 }, async (t) => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'capstan-up-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const leftovers = (): string => { try { return execFileSync('pgrep', ['-f', home], { encoding: 'utf8' }).trim(); } catch { return ''; } };
  t.after(() => { for (const pid of leftovers().split('\n').filter(Boolean)) { try { process.kill(Number(pid), 'SIGKILL'); } catch { /* gone */ } } });
  const child = spawn(process.execPath, [path.resolve('bin/capstan.js'), 'up', '--name', 'e2e-pipe'],
    { env: { ...process.env, CAPSTAN_HOME: home }, stdio: ['ignore', 'pipe', 'ignore'] });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  let seen = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => { seen += chunk.toString(); if (seen.includes('watching applications')) resolve(); });
    child.once('close', () => reject(new Error(`capstan up ended early:\n${seen}`)));
  });
  // The reader goes away, as when `capstan up | head` ends or the terminal closes; every later line fails with EPIPE.
  child.stdout.destroy();
  await sleep(3000);
  assert.notEqual(leftovers(), '', 'still running without its output');
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
  assert.equal(leftovers(), '', 'no process of the platform runs');
  assert.equal(existsSync(path.join(home, 'clusters', 'e2e-pipe')), false, 'the cluster was stopped and removed');
});
