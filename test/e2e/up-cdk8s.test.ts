// The TypeScript platform end to end: `capstan up --synth` runs the
// cdk8s-platform example's `npm run synth`, publishes each package folder as a
// git repository, applies the package Applications wave by wave (the team's
// project, then each database, then each Backstage, every wave after the one
// before is Synced and Healthy), and each app syncs into its own cluster
// (dev-vcluster, staging-vcluster). A change to config/applications.ts is
// synthesized again, committed to the one repository it changes, and
// converges there; Ctrl-C stops everything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KubeClient } from '../../src/kube/kube-client.ts';
import { stopCluster } from '../../src/platform/cluster.ts';
import { listClusterNames } from '../../src/platform/cluster-state.ts';
import { eventually } from '../harness/eventually.ts';

/** A copy of the example outside the repository that resolves its dependencies and capstan/authoring to this checkout. */
function copyExample(work: string): string {
  const program = path.join(work, 'cdk8s-platform');
  cpSync(path.resolve('examples/cdk8s-platform'), program, { recursive: true,
    filter: (src) => !/[/\\](node_modules|dist)([/\\]|$)/.test(path.relative(path.resolve('examples'), src)) });
  symlinkSync(path.resolve('node_modules'), path.join(program, 'node_modules'), 'dir');
  const tsconfigFile = path.join(program, 'tsconfig.json');
  const tsconfig = JSON.parse(readFileSync(tsconfigFile, 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } };
  tsconfig.compilerOptions.paths['capstan/authoring'] = [path.resolve('src/authoring/index.ts')];
  writeFileSync(tsconfigFile, JSON.stringify(tsconfig, null, 2));
  return program;
}

test('capstan up --synth runs the cdk8s platform on two clusters in dependency order and follows a config change', { timeout: 480_000 }, async (t) => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'capstan-up-cdk8s-'));
  const work = mkdtempSync(path.join(os.tmpdir(), 'capstan-cdk8s-program-'));
  const program = copyExample(work);
  const lines: string[] = [];
  const child = spawn(process.execPath, [path.resolve('bin/capstan.js'), 'up', '--name', 'e2e-cdk8s', '--synth', program,
    '--cluster', 'dev-vcluster', '--cluster', 'staging-vcluster'], { env: { ...process.env, CAPSTAN_HOME: home }, stdio: ['ignore', 'pipe', 'inherit'] });
  let partial = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const clients: KubeClient[] = [];
  t.after(async () => {
    if (child.exitCode === null) { child.kill('SIGINT'); await exited; }
    for (const c of clients) c.close();
    for (const name of await listClusterNames(home)) await stopCluster(name, { home });
    rmSync(home, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });
  const show = (): string => lines.slice(-40).join('\n');
  const index = (re: RegExp, from = 0): number => lines.findIndex((l, i) => i >= from && re.test(l));
  const waitFor = (re: RegExp, from = 0, timeoutMs = 240_000): Promise<number> =>
    eventually(`a line matching ${re}`, () => { const i = index(re, from); return i >= 0 ? i : undefined; }, timeoutMs, show, 250);

  const started = Date.now();
  const converged = await waitFor(/every automated app is Synced and Healthy/);
  const upSeconds = (Date.now() - started) / 1000;
  for (const app of ['portal-project', 'postgres-dev', 'postgres-staging', 'backstage-dev', 'backstage-staging']) {
    assert.ok(index(new RegExp(`^\\s*\\d+s\\s+${app}\\s+Synced\\s+Healthy`)) >= 0, `${app} converged\n${show()}`);
  }
  // Dependency order: an app is applied only after what it depends on was seen Synced and Healthy.
  for (const [dependency, dependent] of [['portal-project', 'postgres-dev'], ['portal-project', 'postgres-staging'],
    ['postgres-dev', 'backstage-dev'], ['postgres-staging', 'backstage-staging']] as const) {
    const ready = index(new RegExp(`^\\s*\\d+s\\s+${dependency}\\s+Synced\\s+Healthy`));
    const applied = index(new RegExp(`^applied Application ${dependent} \\(wave \\d+\\)$`));
    assert.ok(ready >= 0 && applied > ready, `${dependent} applied (line ${applied}) after ${dependency} was Synced and Healthy (line ${ready})\n${show()}`);
  }
  assert.match(lines.join('\n'), /applied Application portal-project \(wave 0\)[\s\S]*applied Application postgres-dev \(wave 10\)[\s\S]*applied Application backstage-dev \(wave 20\)/);

  // Each app is in its own cluster, sized for its environment; the control cluster runs none of it.
  const client = (name: string): KubeClient => {
    const c = KubeClient.fromKubeconfig({ kubeconfigPath: path.join(home, 'clusters', name, 'admin.kubeconfig') });
    clients.push(c);
    return c;
  };
  const dev = client('dev-vcluster');
  const staging = client('staging-vcluster');
  const control = client('e2e-cdk8s');
  const replicas = async (c: KubeClient, ns: string, name: string): Promise<number | undefined> =>
    ((await c.get('apps/v1', 'Deployment', ns, name).catch(() => undefined))?.['spec'] as { replicas?: number } | undefined)?.replicas;
  assert.equal(await replicas(dev, 'backstage', 'backstage'), 1);
  assert.equal(await replicas(staging, 'backstage', 'backstage'), 2);
  assert.equal(await replicas(dev, 'database', 'postgres'), 1);
  assert.equal(await replicas(staging, 'database', 'postgres'), 1);
  assert.equal(await control.get('v1', 'Namespace', undefined, 'backstage').catch(() => undefined), undefined, 'nothing of the apps in the control cluster');
  const project = await control.get('argoproj.io/v1alpha1', 'AppProject', 'argocd', 'portal');
  assert.ok(project, 'the team project was synced into the control cluster');

  // A change to the config: synthesized again, one repository gets a commit, staging converges to it.
  const configFile = path.join(program, 'config', 'applications.ts');
  const config = readFileSync(configFile, 'utf8');
  assert.match(config, /staging: 2 \}/);
  const edited = Date.now();
  writeFileSync(configFile, config.replace('staging: 2 }', 'staging: 3 }'));
  const resynth = await waitFor(/cdk8s-platform changed: synthesizing again/, converged);
  await waitFor(/^repository cnoe:\/\/backstage-staging\/manifests → .* \(new commit\)$/, resynth);
  await waitFor(/^refreshed Application backstage-staging \(wave 20\)$/, resynth);
  await eventually('backstage in staging-vcluster at 3 replicas', async () => ((await replicas(staging, 'backstage', 'backstage')) === 3 ? true : undefined), 120_000, show);
  await waitFor(/^\s*\d+s\s+backstage-staging\s+Synced\s+Healthy/, resynth);
  t.diagnostic(`start to every app Synced and Healthy: ${upSeconds.toFixed(1)} s; config edit to 3 replicas in staging: ${((Date.now() - edited) / 1000).toFixed(1)} s`);
  const after = lines.slice(resynth);
  for (const unchanged of ['portal-project', 'postgres-dev', 'postgres-staging', 'backstage-dev']) {
    assert.ok(!after.some((l) => l.startsWith(`repository cnoe://${unchanged}/manifests`)), `${unchanged} got no new commit`);
  }
  assert.equal(await replicas(dev, 'backstage', 'backstage'), 1, 'dev is untouched');

  child.kill('SIGINT');
  assert.equal(await exited, 0);
  for (const name of ['e2e-cdk8s', 'dev-vcluster', 'staging-vcluster']) {
    assert.equal(existsSync(path.join(home, 'clusters', name)), false, `${name} was stopped and removed`);
  }
  const leftovers = (() => { try { return execFileSync('pgrep', ['-f', home], { encoding: 'utf8' }).trim(); } catch { return ''; } })();
  assert.equal(leftovers, '');
});
