import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiObject, App, Chart } from 'cdk8s';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AppPackage, DependencyCycleError, Environment, InvalidPackageError, Platform, Team, Testing, UnknownDependencyError,
} from './index.ts';

const testdata = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testdata');

/** A platform in the shape of the CDK8s/idpbuilder seed: two environments on two clusters, a team, a database and an app per environment. */
function seedPlatform(): Platform {
  const platform = Testing.platform();
  const dev = new Environment(platform, 'dev', { cluster: 'dev-vcluster', labels: { env: 'dev' } });
  const staging = new Environment(platform, 'staging', { cluster: 'staging-vcluster', labels: { env: 'staging' } });
  const team = new Team(platform, 'portal', { createProject: true, namespaces: ['backstage', 'database'] });
  for (const env of [dev, staging]) {
    const db = new AppPackage(platform, `postgres-${env.name}`, { environment: env, team, namespace: 'database' });
    new ApiObject(db, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'database' } });
    new ApiObject(db, 'svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'postgres' }, spec: { ports: [{ port: 5432 }] } });
    const app = new AppPackage(platform, `backstage-${env.name}`, { environment: env, team, namespace: 'backstage', dependsOn: [db] });
    const chart = new Chart(app, 'install');
    new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'backstage' }, data: { APP_ENV: env.name } });
    new ApiObject(chart, 'deploy', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'backstage' },
      spec: { replicas: env.name === 'dev' ? 1 : 2 } });
  }
  return platform;
}

function readTree(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir).sort()) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) Object.assign(out, readTree(full, `${prefix}${entry}/`));
    else out[`${prefix}${entry}`] = readFileSync(full, 'utf8');
  }
  return out;
}

test('the seed platform synthesizes to the golden idpbuilder layout', () => {
  const files = Testing.files(seedPlatform());
  const golden = path.join(testdata, 'seed-platform');
  if (process.env['UPDATE_GOLDEN'] === '1') {
    rmSync(golden, { recursive: true, force: true });
    for (const [file, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(golden, file)), { recursive: true });
      writeFileSync(path.join(golden, file), content);
    }
  }
  assert.deepEqual(Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b))), readTree(golden));
});

test('packages are ordered by the waves their dependencies give them', () => {
  const packages = Testing.packages(seedPlatform());
  assert.deepEqual(packages.map((p) => [p.name, p.wave, p.dependsOn]), [
    ['portal-project', 0, []],
    ['postgres-dev', 10, ['portal-project']],
    ['postgres-staging', 10, ['portal-project']],
    ['backstage-dev', 20, ['portal-project', 'postgres-dev']],
    ['backstage-staging', 20, ['portal-project', 'postgres-staging']],
  ]);
  const app = packages.find((p) => p.name === 'backstage-staging')!.application;
  assert.equal(app.metadata.annotations?.['argocd.argoproj.io/sync-wave'], '20');
  assert.deepEqual(app['spec'], {
    project: 'portal',
    destination: { name: 'staging-vcluster', namespace: 'backstage' },
    source: { repoURL: 'cnoe://backstage-staging/manifests', targetRevision: 'HEAD', path: '.' },
    syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
  });
  assert.deepEqual(app.metadata.labels, { env: 'staging', team: 'portal' });
});

test('the team project allows the clusters of every environment and the team\'s namespaces', () => {
  const project = Testing.package(seedPlatform(), 'portal-project').manifests[0]!;
  assert.equal(project.kind, 'AppProject');
  assert.deepEqual((project['spec'] as { destinations: unknown }).destinations, [
    { name: 'dev-vcluster', namespace: 'backstage' }, { name: 'dev-vcluster', namespace: 'database' },
    { name: 'staging-vcluster', namespace: 'backstage' }, { name: 'staging-vcluster', namespace: 'database' },
  ]);
});

test('environments decide destination and sync policy', () => {
  const cases: Array<{ name: string; env: ConstructorParameters<typeof Environment>[2]; want: unknown }> = [
    { name: 'defaults: in-cluster, automated, prune, self-heal, CreateNamespace', env: {},
      want: { destination: { name: 'in-cluster', namespace: 'web' }, syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] } } },
    { name: 'manual sync by server, no namespace creation, the environment\'s namespace',
      env: { server: 'https://10.0.0.1:6443', sync: 'manual', createNamespace: false, namespace: 'apps' },
      want: { destination: { server: 'https://10.0.0.1:6443', namespace: 'apps' }, syncPolicy: {} } },
    { name: 'automated without prune, with more sync options', env: { cluster: 'prod', prune: false, syncOptions: ['ServerSideApply=true'] },
      want: { destination: { name: 'prod', namespace: 'web' },
        syncPolicy: { automated: { prune: false, selfHeal: true }, syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'] } } },
  ];
  for (const c of cases) {
    const platform = Testing.platform();
    new AppPackage(platform, 'web', { environment: new Environment(platform, 'e', c.env) });
    const spec = Testing.package(platform, 'web').application['spec'] as Record<string, unknown>;
    assert.deepEqual({ destination: spec['destination'], syncPolicy: spec['syncPolicy'] }, c.want, c.name);
  }
});

test('dependencies may be declared by name, with dependOn, or as cdk8s dependencies', () => {
  const platform = Testing.platform();
  const env = new Environment(platform, 'dev');
  const a = new AppPackage(platform, 'a', { environment: env });
  const b = new AppPackage(platform, 'b', { environment: env, dependsOn: ['a'] });
  const c = new AppPackage(platform, 'c', { environment: env, syncWave: 5 });
  c.dependOn(b);
  const d = new AppPackage(platform, 'd', { environment: env });
  d.addDependency(new ApiObject(a, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }));
  assert.deepEqual(Testing.packages(platform).map((p) => [p.name, p.wave]), [['a', 0], ['b', 10], ['d', 10], ['c', 20]]);
});

test('a dependency cycle between packages fails the synth, naming them', () => {
  const platform = Testing.platform();
  const env = new Environment(platform, 'dev');
  const api = new AppPackage(platform, 'api', { environment: env, dependsOn: ['worker'] });
  new AppPackage(platform, 'worker', { environment: env, dependsOn: [api] });
  assert.throws(() => platform.synthFiles(), (err: unknown) => err instanceof DependencyCycleError
    && err.message === 'dependency cycle between applications: api → worker → api');
});

test('bad definitions are errors naming the package', () => {
  const cases: Array<{ name: string; build: (p: Platform) => void; error: RegExp; type: new (...args: never[]) => Error }> = [
    { name: 'unknown dependency', type: UnknownDependencyError, error: /application "web" depends on "db", which is not an application of this platform/,
      build: (p) => { new AppPackage(p, 'web', { environment: new Environment(p, 'e'), dependsOn: ['db'] }); p.synthFiles(); } },
    { name: 'no destination', type: InvalidPackageError, error: /^package "web": needs an environment or a destination$/,
      build: (p) => { new AppPackage(p, 'web'); } },
    { name: 'a name that is no Application name', type: InvalidPackageError, error: /^package "Web_1": a package name is the Application name/,
      build: (p) => { new AppPackage(p, 'Web_1', { destination: { name: 'in-cluster' } }); } },
    { name: 'cluster and server', type: InvalidPackageError, error: /by `cluster` or by `server`, not both/,
      build: (p) => { new Environment(p, 'e', { cluster: 'a', server: 'https://b' }); } },
  ];
  for (const c of cases) assert.throws(() => c.build(Testing.platform()), (err: unknown) => err instanceof c.type && c.error.test(err.message), c.name);
  assert.throws(() => new AppPackage(new App(), 'web', { destination: { name: 'in-cluster' } }), /is not inside a Platform/);
});

test('synth writes the layout and removes packages an earlier synth wrote, keeping other files', () => {
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'capstan-authoring-'));
  try {
    mkdirSync(path.join(outdir, 'old', 'manifests'), { recursive: true });
    writeFileSync(path.join(outdir, 'old', 'manifests', 'kustomization.yaml'), 'resources: []\n');
    writeFileSync(path.join(outdir, 'old.yaml'), 'kind: Application\n');
    writeFileSync(path.join(outdir, 'README.md'), 'kept\n');
    const platform = new Platform({ outdir });
    const pkg = new AppPackage(platform, 'web', { environment: new Environment(platform, 'dev') });
    new ApiObject(pkg, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web' } });
    platform.synth();
    assert.deepEqual(Object.keys(readTree(outdir)), ['README.md', 'web/manifests/ConfigMap.web.k8s.yaml', 'web/manifests/kustomization.yaml', 'web.yaml']);
    assert.equal(existsSync(path.join(outdir, 'old')), false);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
});

test('Testing.synth gives a package\'s objects as cdk8s synthesizes them', () => {
  const platform = Testing.platform();
  const pkg = new AppPackage(platform, 'web', { destination: { name: 'in-cluster' } });
  new ApiObject(pkg, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web' } });
  assert.deepEqual(Testing.synth(pkg).map((o) => `${o.kind}/${o.metadata.name}`).sort(), ['Application/web', 'ConfigMap/web']);
  assert.throws(() => Testing.package(platform, 'api'), /no package "api" \(packages: web\)/);
});

test('teams and package props shape the Application', () => {
  const cases: Array<{ name: string; build: (p: Platform, env: Environment) => void; want: Record<string, unknown> }> = [
    { name: 'a team without its own project', build: (p, env) => { new AppPackage(p, 'web', { environment: env, team: new Team(p, 'web-team') }); },
      want: { project: 'default', labels: { team: 'web-team' }, finalizers: ['resources-finalizer.argocd.argoproj.io'], packages: ['web'] } },
    { name: 'a team naming an existing project, with its labels', build: (p, env) => {
      new AppPackage(p, 'web', { environment: env, team: new Team(p, 't', { project: 'shared', labels: { owner: 'ops' } }) });
    }, want: { project: 'shared', labels: { owner: 'ops' }, finalizers: ['resources-finalizer.argocd.argoproj.io'], packages: ['web'] } },
    { name: 'package props over the team and environment', build: (p, env) => {
      new AppPackage(p, 'web', { environment: env, team: new Team(p, 't'), project: 'own', labels: { tier: 'front' }, annotations: { note: 'x' },
        cascadeDelete: false, ignoreDifferences: [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }] });
    }, want: { project: 'own', labels: { team: 't', tier: 'front' }, annotations: { note: 'x' }, finalizers: undefined, packages: ['web'],
      ignoreDifferences: [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }] } },
  ];
  for (const c of cases) {
    const platform = Testing.platform({ argoNamespace: 'gitops' });
    c.build(platform, new Environment(platform, 'dev'));
    const packages = Testing.packages(platform);
    const app = packages.find((p) => p.name === 'web')!.application;
    const { 'argocd.argoproj.io/sync-wave': _wave, ...annotations } = app.metadata.annotations ?? {};
    const spec = app['spec'] as { project: string; ignoreDifferences?: unknown };
    assert.equal(app.metadata.namespace, 'gitops', c.name);
    assert.deepEqual({ project: spec.project, labels: app.metadata.labels, finalizers: app.metadata.finalizers, packages: packages.map((p) => p.name),
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}), ...(spec.ignoreDifferences ? { ignoreDifferences: spec.ignoreDifferences } : {}) }, c.want, c.name);
  }
});
