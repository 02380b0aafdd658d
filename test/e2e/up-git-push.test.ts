// `capstan up`'s git server end to end: the platform's repositories are cloned
// from it with the printed credentials, a commit pushed to it is synced into
// the cluster at once (the engine's period is a minute), and a push without
// the password is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KubeClient } from '../../src/kube/kube-client.ts';
import { eventually } from '../harness/eventually.ts';

test('a push to capstan up\'s git server is synced at once; without the password it is refused', { timeout: 300_000 }, async (t) => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'capstan-up-git-'));
  const work = mkdtempSync(path.join(os.tmpdir(), 'capstan-clone-'));
  const child = spawn(process.execPath, [path.resolve('bin/capstan.js'), 'up', '--name', 'e2e-git', '--port', '0', '--git-port', '0'],
    { env: { ...process.env, CAPSTAN_HOME: home }, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  t.after(async () => {
    if (child.exitCode === null) { child.kill('SIGTERM'); await exited; }
    rmSync(home, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
  await eventually('the platform synced', () => (out.includes('every automated app is Synced and Healthy') ? true : undefined), 240_000, () => out.slice(-2000), 250);
  const kubeconfig = /export KUBECONFIG=(\S+)/.exec(out)![1]!;
  const clone = /git clone (http:\/\/admin:[^@\s]+@127\.0\.0\.1:\d+)\/\S+/.exec(out);
  assert.ok(clone, `the clone command is printed:\n${out}`);
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com', GIT_TERMINAL_PROMPT: '0' } });
  git('clone', '--quiet', `${clone[1]}/helm-envs`, 'helm-envs');
  const values = path.join(work, 'helm-envs', 'apps', 'bot-admin', 'values-dev.yaml');
  writeFileSync(values, readFileSync(values, 'utf8').replace('logLevel: debug', 'logLevel: warn'));
  git('-C', 'helm-envs', 'commit', '--quiet', '-am', 'dev: log level warn');

  // Without the password: refused, nothing changes.
  const anonymous = clone[1]!.replace(/admin:[^@]+@/, '');
  assert.throws(() => git('-C', 'helm-envs', 'push', '--quiet', `${anonymous}/helm-envs`, 'main'), /Authentication failed|could not read Username|401/);

  const client = KubeClient.fromKubeconfig({ kubeconfigPath: kubeconfig });
  t.after(() => client.close());
  const level = async (): Promise<string | undefined> => ((await client.get('v1', 'ConfigMap', 'schedule-dev', 'bot-admin-config').catch(() => undefined)) as
    { data?: Record<string, string> } | undefined)?.data?.['LOG_LEVEL'];
  assert.equal(await level(), 'debug');
  const t0 = Date.now();
  git('-C', 'helm-envs', 'push', '--quiet', 'origin', 'main');
  await eventually('the pushed value in the cluster', async () => ((await level()) === 'warn' ? true : undefined), 30_000, level);
  const seconds = (Date.now() - t0) / 1000;
  assert.match(out, /push to helm-envs: refreshing .*bot-admin-dev/);
  assert.ok(seconds < 20, `synced ${seconds} s after the push, well before the engine's 60 s period`);
  process.stdout.write(`ℹ push to applied in the cluster: ${seconds.toFixed(1)} s\n`);
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
});
