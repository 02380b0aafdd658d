// The two example platforms built on ApplicationSets, synced by the engine
// (startEngine: Application and ApplicationSet controllers sharing the
// repositories) on a real cluster from real git repositories:
// - examples/monorepo (seed 001): git directory generators over
//   argocd/{infra,services}/*/envs/dev with missingkey=error,
//   `index .path.segments 2`, CreateNamespace, ApplyOutOfSyncOnly and
//   ignoreApplicationDifferences on /spec/syncPolicy;
// - examples/teams (seed 002): git files teams/*/team.yaml into team
//   projects and namespaces (fasttemplate, values into Helm), and a matrix of
//   the team files × a list built from each team's apps.
// A broken team file leaves every Application and what it deployed in place;
// fixing it and onboarding a new team converge again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Application } from '../../src/api/application.ts';
import type { ApplicationSet } from '../../src/api/application-set.ts';
import type { KubeObject } from '../../src/api/kube-object.ts';
import { startEngine, type Engine } from '../../src/engine.ts';
import { cnoeRewriter, publishPlatformRepos, syncFolderToRepo, type LocalRepo } from '../../src/platform/example-repos.ts';
import { useTestCluster } from '../harness/cluster.ts';
import { eventually } from '../harness/eventually.ts';

const ns = 'argocd';
let engine: Engine;
let home: string;
let repos: LocalRepo[];
let platformDir: string;

function bootstrap(repo: LocalRepo): KubeObject[] {
  const dir = path.join(repo.dir, 'argocd', 'bootstrap');
  return readdirSync(dir).sort().flatMap((f) => parseAllDocuments(readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS() as KubeObject));
}

before(async () => {
  const cluster = await useTestCluster();
  home = mkdtempSync(path.join(os.tmpdir(), 'capstan-examples-'));
  platformDir = path.join(home, 'platform');
  for (const example of ['monorepo', 'teams']) cpSync(path.resolve('examples', example), path.join(platformDir, example), { recursive: true });
  repos = publishPlatformRepos(platformDir, home);
  engine = await startEngine({ kubeconfigPath: cluster.kubeconfigPath, namespace: ns, cacheDir: path.join(home, 'cache'), rewriteRepoUrl: cnoeRewriter(repos),
    // Reconciled periodically, as Argo CD does every 120–180 s (capstan up: 60 s): a missed live event only delays health.
    waveDelayMs: 0, reconcileIntervalMs: 20_000, log: (l) => process.env['CAPSTAN_TEST_LOG'] && writeFileSync(process.env['CAPSTAN_TEST_LOG'], `${new Date().toISOString()} ${l}\n`, { flag: 'a' }) });
  for (const repo of repos) for (const obj of bootstrap(repo)) await engine.client.apply(obj, { fieldManager: 'test', force: true });
});

after(async () => {
  const client = engine.client;
  engine.close();
  for (const name of ['maildev', 'minio', 'services', 'team-backend', 'team-frontend', 'team-data', ns]) {
    await client.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }).catch(() => undefined);
  }
  client.close();
  rmSync(home, { recursive: true, force: true });
});

const apps = async (): Promise<Application[]> => (await engine.client.list('argoproj.io/v1alpha1', 'Application', { namespace: ns })) as unknown as Application[];
const appSet = async (name: string): Promise<ApplicationSet> => (await engine.client.get('argoproj.io/v1alpha1', 'ApplicationSet', ns, name)) as unknown as ApplicationSet;
const healthy = (a: Application | undefined): boolean => a?.status?.sync?.status === 'Synced' && a.status.health?.status === 'Healthy';
const summary = async () => (await apps()).map((a) => `${a.metadata.name}:${a.status?.sync?.status}/${a.status?.health?.status}${healthy(a) ? ''
  : ` ${a.status?.operationState?.phase ?? ''} ${a.status?.operationState?.message ?? ''} ${JSON.stringify(a.status?.conditions ?? [])}`}`);

/** What is in the way of the unhealthy apps: their pods and the namespace's recent events. */
async function diagnose(): Promise<unknown> {
  const stuck = (await apps()).filter((a) => !healthy(a));
  const out: Record<string, unknown> = { apps: await summary() };
  for (const ns of new Set(stuck.map((a) => a.spec.destination.namespace ?? ''))) {
    const pods = await engine.client.list('v1', 'Pod', { namespace: ns });
    const events = await engine.client.list('v1', 'Event', { namespace: ns });
    out[ns] = { pods: pods.map((p) => `${p.metadata.name}:${(p['status'] as { phase?: string }).phase}`),
      events: events.slice(-8).map((e) => `${e['reason']}: ${String(e['message']).slice(0, 160)}`) };
  }
  out['pods in the cluster'] = (await engine.client.list('v1', 'Pod')).length;
  return out;
}

async function converged(names: readonly string[]): Promise<Map<string, Application>> {
  return eventually(`${names.join(', ')} Synced and Healthy`, async () => {
    const byName = new Map((await apps()).map((a) => [a.metadata.name!, a]));
    return names.every((n) => healthy(byName.get(n))) ? byName : undefined;
  }, 240_000, diagnose);
}

const refreshAll = async (names: readonly string[]) => {
  for (const name of names) {
    await engine.client.patch({ apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name, namespace: ns } },
      { metadata: { annotations: { 'argocd.argoproj.io/application-set-refresh': 'true' } } }, 'merge');
  }
};

test('seed 001: the monorepo\'s ApplicationSets generate and sync every infra and service app', { timeout: 300_000 }, async () => {
  const byName = await converged(['dev-appsets', 'maildev', 'minio', 'api', 'auth']);
  const minio = byName.get('minio')!;
  assert.deepEqual(minio.metadata.ownerReferences?.map((r) => `${r.kind}/${r.name}`), ['ApplicationSet/infra']);
  assert.equal(byName.get('api')!.metadata.ownerReferences?.[0]?.name, 'services');
  assert.equal(minio.spec.destination.namespace, 'minio', 'index .path.segments 2');
  assert.equal(byName.get('auth')!.spec.destination.namespace, 'services');
  assert.deepEqual(minio.spec.syncPolicy?.syncOptions, ['CreateNamespace=true', 'ApplyOutOfSyncOnly=true']);
  assert.ok(await engine.client.get('v1', 'Namespace', undefined, 'minio'), 'CreateNamespace created the namespace');
  const infra = await appSet('infra');
  assert.deepEqual(infra.status?.resources?.map((r) => r.name), ['maildev', 'minio']);

  // ignoreApplicationDifferences on /spec/syncPolicy: turning automated sync off by hand sticks.
  await engine.client.patch({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'minio', namespace: ns } },
    { spec: { syncPolicy: { automated: null } } }, 'merge');
  await refreshAll(['infra']);
  await eventually('infra reconciled after the refresh', async () => ((await appSet('infra')).metadata.annotations?.['argocd.argoproj.io/application-set-refresh'] === undefined ? true : undefined));
  await engine.appSets.idle();
  const after = (await apps()).find((a) => a.metadata.name === 'minio')!;
  assert.equal(after.spec.syncPolicy?.automated, undefined, 'the hand-made change to an ignored field is kept');
});

test('seed 002: team onboarding — projects, namespaces and every team\'s apps from the team files', { timeout: 300_000 }, async () => {
  const byName = await converged(['root-app', 'backend-project', 'frontend-project', 'backend-namespace', 'frontend-namespace',
    'backend-api', 'backend-worker', 'frontend-web']);
  const api = byName.get('backend-api')!;
  assert.equal(api.spec.project, 'team-backend');
  assert.equal(api.spec.destination.namespace, 'team-backend');
  assert.deepEqual(api.metadata.labels, { team: 'backend' });
  assert.equal(api.spec.source?.path, 'apps/api');
  const project = await engine.client.get('argoproj.io/v1alpha1', 'AppProject', ns, 'team-backend');
  assert.deepEqual((project?.['spec'] as { destinations: unknown[] }).destinations, [{ server: 'https://kubernetes.default.svc', namespace: 'team-backend' }]);
  const quota = await engine.client.get('v1', 'ResourceQuota', 'team-backend', 'team-quota');
  assert.equal((quota?.['spec'] as { hard: Record<string, string> }).hard['requests.cpu'], '20', 'the team file\'s values reached the chart');
  const web = await engine.client.get('apps/v1', 'Deployment', 'team-frontend', 'web');
  assert.equal((web?.['status'] as { availableReplicas?: number }).availableReplicas, 2);
});

test('a broken team file leaves every Application in place; fixing it and onboarding a team converge again', { timeout: 300_000 }, async () => {
  const teams = repos.find((r) => r.name === 'teams')!;
  const source = path.join(platformDir, 'teams');
  const snapshot = async () => (await apps()).filter((a) => a.metadata.ownerReferences?.some((r) => r.name.startsWith('team-')))
    .map((a) => `${a.metadata.name}@${a.metadata.uid}:${JSON.stringify(a.spec)}`).sort();
  const before = await snapshot();
  assert.equal(before.length, 7);

  writeFileSync(path.join(source, 'teams/frontend/team.yaml'), 'name: frontend\napps: [broken\n');
  syncFolderToRepo(source, teams.dir, 'a broken team file');
  await refreshAll(['team-projects', 'team-namespaces', 'team-apps']);
  for (const name of ['team-projects', 'team-namespaces', 'team-apps']) {
    const error = await eventually(`${name} reports the broken file`, async () => (await appSet(name)).status?.conditions?.find((c) => c.type === 'ErrorOccurred' && c.status === 'True'));
    assert.match(error.message, new RegExp(`ApplicationSet "${name}" generators\\[0\\]\\.(git|matrix\\.generators\\[0\\]\\.git): unable to process file 'teams/frontend/team\\.yaml'`));
  }
  assert.deepEqual(await snapshot(), before, 'no Application was deleted or rewritten');
  assert.ok(await engine.client.get('apps/v1', 'Deployment', 'team-frontend', 'web'), 'what the apps deployed keeps running');

  writeFileSync(path.join(source, 'teams/frontend/team.yaml'), readFileSync(path.resolve('examples/teams/teams/frontend/team.yaml'), 'utf8'));
  writeFileSync(path.join(source, 'teams/data.yaml'), '# not a team file\n');
  mkdirSync(path.join(source, 'teams/data'), { recursive: true });
  writeFileSync(path.join(source, 'teams/data/team.yaml'), 'name: data\nvalues: |\n  team: data\napps:\n  - name: web\n    repoURL: cnoe://teams\n    path: apps/web\n    targetRevision: HEAD\n');
  syncFolderToRepo(source, teams.dir, 'fixed, and the data team');
  await refreshAll(['team-projects', 'team-namespaces', 'team-apps']);
  await converged(['data-project', 'data-namespace', 'data-web', 'frontend-web', 'backend-api']);
  for (const name of ['team-projects', 'team-namespaces', 'team-apps']) {
    assert.equal((await appSet(name)).status?.conditions?.find((c) => c.type === 'ErrorOccurred')?.status, 'False');
  }
});
