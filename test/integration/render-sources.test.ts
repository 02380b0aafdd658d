// Rendering from real git repositories with the real kustomize and helm:
// directory, Kustomize overlays with Argo's overrides, Helm with value files
// (also from a `ref` source), tracking, the render cache keyed by what a
// render read, and errors that name the app, the source and the cause.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ApplicationSpec } from '../../src/api/application.ts';
import type { KubeObject } from '../../src/api/kube-object.ts';
import { CapstanError } from '../../src/errors.ts';
import { ensureBinaries, type BinaryPaths } from '../../src/render/tool-binaries.ts';
import { RenderCache } from '../../src/render/render-cache.ts';
import { renderApplication, type RenderServices } from '../../src/render/render-application.ts';
import { RepositoryStore } from '../../src/source/repository-store.ts';
import { TestRepo } from '../harness/git-repo.ts';

let bin: BinaryPaths;
before(async () => { bin = await ensureBinaries(); });

function services(t: { after(fn: () => void): void }): RenderServices {
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'capstan-render-'));
  t.after(() => rmSync(cacheDir, { recursive: true, force: true }));
  return { repositories: new RepositoryStore({ cacheDir }), binaries: bin, cacheDir, cache: new RenderCache() };
}

function repo(t: { after(fn: () => void): void }): TestRepo {
  const r = new TestRepo();
  t.after(() => r.remove());
  return r;
}

const spec = (repoURL: string, extra: Partial<ApplicationSpec['source'] & object> = {}, namespace = 'team'): ApplicationSpec =>
  ({ project: 'default', destination: { server: 'https://kubernetes.default.svc', namespace }, source: { repoURL, targetRevision: 'HEAD', ...extra } });
const names = (objs: KubeObject[]): string[] => objs.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);

const cm = (name: string, extra = ''): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${extra}data:\n  k: v\n`;

test('directory: multi-document YAML and JSON, recurse, include/exclude, non-manifests skipped, tracking', async (t) => {
  const r = repo(t);
  const commit = r.commit({
    'app/a.yaml': `${cm('a')}---\n${cm('b')}`, 'app/c.json': JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'c' } }),
    'app/values.yaml': 'replicas: 2\n', 'app/README.md': '# not a manifest', 'app/sub/d.yaml': cm('d'),
    'app/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: extra\n',
  });
  const s = services(t);
  const flat = await renderApplication({ appName: 'dir', spec: spec(r.dir, { path: 'app' }) }, s);
  assert.deepEqual(names(flat.objects), ['ConfigMap/team/a', 'ConfigMap/team/b', 'Secret/team/c', 'Namespace//extra']);
  assert.deepEqual(flat.revisions, [commit]);
  assert.deepEqual(flat.sourceTypes, ['Directory']);
  assert.equal(flat.objects[0]!.metadata.annotations?.['argocd.argoproj.io/tracking-id'], 'dir:/ConfigMap:team/a');
  assert.equal(flat.objects[3]!.metadata.annotations?.['argocd.argoproj.io/tracking-id'], 'dir:/Namespace:/extra');
  const deep = await renderApplication({ appName: 'dir', spec: spec(r.dir, { path: 'app', directory: { recurse: true, exclude: '{ns.yaml,c.json}' } }) }, s);
  assert.deepEqual(names(deep.objects), ['ConfigMap/team/a', 'ConfigMap/team/b', 'ConfigMap/team/d']);
  const only = await renderApplication({ appName: 'dir', spec: spec(r.dir, { path: 'app', directory: { recurse: true, include: 'sub/*' } }) }, s);
  assert.deepEqual(names(only.objects), ['ConfigMap/team/d']);
});

test('kustomize: overlays and Argo CD overrides on a copy, never on the cached checkout', async (t) => {
  const r = repo(t);
  r.copyFrom(path.resolve('examples/monorepo'));
  const commit = r.commit({});
  const s = services(t);
  const plain = await renderApplication({ appName: 'api', spec: spec(r.dir, { path: 'argocd/services/api/envs/dev' }, 'services') }, s);
  assert.deepEqual(plain.sourceTypes, ['Kustomize']);
  const config = plain.objects.find((o) => o.kind === 'ConfigMap')!;
  assert.deepEqual(config['data'], { AUTH_URL: 'http://socat-auth.services.svc:4000', LOG_LEVEL: 'debug' }, 'the overlay merged its literal');
  const deploy = plain.objects.find((o) => o.kind === 'Deployment')!;
  assert.equal((deploy['spec'] as { replicas: number }).replicas, 1);

  const overridden = await renderApplication({ appName: 'api', spec: spec(r.dir, { path: 'argocd/services/api/envs/dev', kustomize: {
    namePrefix: 'dev-', images: ['ghcr.io/example/api=ghcr.io/example/api:2.0.0'], commonLabels: { team: 'payments' },
    commonAnnotations: { owner: 'payments' }, replicas: [{ name: 'api', count: 3 }],
    patches: [{ target: { kind: 'Deployment' }, patch: '- op: add\n  path: /metadata/annotations/patched\n  value: "yes"\n' }],
  } }, 'services') }, s);
  const d = overridden.objects.find((o) => o.kind === 'Deployment')!;
  const dSpec = d['spec'] as { replicas: number; template: { spec: { containers: Array<{ image: string }> } } };
  assert.equal(d.metadata.name, 'dev-api');
  assert.equal(dSpec.replicas, 3);
  assert.equal(dSpec.template.spec.containers[0]!.image, 'ghcr.io/example/api:2.0.0');
  assert.equal(d.metadata.labels?.['team'], 'payments');
  assert.equal(d.metadata.annotations?.['owner'], 'payments');
  assert.equal(d.metadata.annotations?.['patched'], 'yes');
  const cached = readFileSync(path.join(s.cacheDir, 'trees', commit, 'argocd/services/api/envs/dev/kustomization.yaml'), 'utf8');
  assert.doesNotMatch(cached, /dev-|payments/, 'the shared checkout is untouched');
});

test('helm: value files per environment, parameters, valuesObject, release name and namespace', async (t) => {
  const r = repo(t);
  r.copyFrom(path.resolve('examples/helm-envs'));
  r.commit({});
  const s = services(t);
  const prod = await renderApplication({ appName: 'bot-admin-prod', spec: spec(r.dir, { path: 'apps/bot-admin',
    helm: { releaseName: 'bot-admin', valueFiles: ['values-prod.yaml'], parameters: [{ name: 'logLevel', value: 'error' }],
      valuesObject: { service: { port: 9000 } } } }, 'schedule-prod') }, s);
  assert.deepEqual(prod.sourceTypes, ['Helm']);
  assert.deepEqual(names(prod.objects).sort(), ['ConfigMap/schedule-prod/bot-admin-config', 'Deployment/schedule-prod/bot-admin',
    'HorizontalPodAutoscaler/schedule-prod/bot-admin', 'Service/schedule-prod/bot-admin']);
  const config = prod.objects.find((o) => o.kind === 'ConfigMap')!;
  assert.deepEqual(config['data'], { LOG_LEVEL: 'error' });
  const svc = prod.objects.find((o) => o.kind === 'Service')!;
  assert.equal((svc['spec'] as { ports: Array<{ port: number }> }).ports[0]!.port, 9000);
  const dev = await renderApplication({ appName: 'bot-admin-dev', spec: spec(r.dir, { path: 'apps/bot-admin',
    helm: { valueFiles: ['values-dev.yaml', 'values-missing.yaml'], ignoreMissingValueFiles: true } }, 'schedule-dev') }, s);
  assert.ok(dev.objects.some((o) => o.kind === 'Deployment' && o.metadata.name === 'bot-admin-dev'), 'release name defaults to the app name');
  assert.ok(!dev.objects.some((o) => o.kind === 'HorizontalPodAutoscaler'));
});

test('multi-source: a chart with value files from a ref source', async (t) => {
  const charts = repo(t);
  charts.copyFrom(path.resolve('examples/helm-envs'));
  charts.commit({});
  const values = repo(t);
  values.commit({ 'envs/staging.yaml': 'logLevel: trace\nautoscaling:\n  enabled: false\n' });
  const s = services(t);
  const out = await renderApplication({ appName: 'multi', spec: { project: 'default', destination: { namespace: 'm' }, sources: [
    { repoURL: charts.dir, targetRevision: 'HEAD', path: 'apps/bot-admin', helm: { valueFiles: ['$values/envs/staging.yaml'] } },
    { repoURL: values.dir, targetRevision: 'HEAD', ref: 'values' },
  ] } }, s);
  assert.deepEqual(out.objects.find((o) => o.kind === 'ConfigMap')!['data'], { LOG_LEVEL: 'trace' });
  assert.equal(out.revisions.length, 2);
});

test('the cache renders a shared path once and only re-renders when its inputs change', async (t) => {
  const r = repo(t);
  r.copyFrom(path.resolve('examples/monorepo'));
  r.commit({ 'plain/cm.yaml': cm('p') });
  const s = services(t);
  const app = (name: string, p: string) => renderApplication({ appName: name, spec: spec(r.dir, { path: p }) }, s);
  const [a, b] = await Promise.all([app('one', 'plain'), app('two', 'plain')]);
  assert.equal(s.cache.renders, 1, 'two apps on one path render once');
  assert.equal(a.objects[0]!.metadata.annotations?.['argocd.argoproj.io/tracking-id'], 'one:/ConfigMap:team/p');
  assert.equal(b.objects[0]!.metadata.annotations?.['argocd.argoproj.io/tracking-id'], 'two:/ConfigMap:team/p');
  await app('api', 'argocd/services/api/envs/dev');
  assert.equal(s.cache.renders, 2);
  r.commit({ 'other/x.yaml': cm('x') });
  await s.repositories.get(r.dir).fetch(s.repositories.nextGeneration());
  await app('one', 'plain');
  await app('api', 'argocd/services/api/envs/dev');
  assert.equal(s.cache.renders, 2, 'a commit elsewhere renders nothing again');
  r.commit({ 'argocd/services/api/base/configmap.yaml': cm('api-config').replace('k: v', 'k: changed') });
  await s.repositories.get(r.dir).fetch(s.repositories.nextGeneration());
  await app('api', 'argocd/services/api/envs/dev');
  await app('one', 'plain');
  assert.equal(s.cache.renders, 3, 'a change in the base the overlay reads re-renders only that app');
});

test('bad input: each error names the app, the source and the cause', async (t) => {
  const r = repo(t);
  r.commit({ 'bad/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [oops\n', 'kbad/kustomization.yaml': 'resources:\n  - missing.yaml\n',
    'chart/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n', 'chart/templates/cm.yaml': cm('c') });
  const s = services(t);
  const cases: Array<{ name: string; spec: ApplicationSpec; want: RegExp; code: string }> = [
    { name: 'missing path', spec: spec(r.dir, { path: 'nope' }), want: /app "x" source .* path nope: nope: app path does not exist/, code: 'InvalidSpecError' },
    { name: 'invalid YAML', spec: spec(r.dir, { path: 'bad' }), want: /path bad: failed to unmarshal bad\/cm\.yaml: line \d+/, code: 'InvalidManifest' },
    { name: 'kustomize failure', spec: spec(r.dir, { path: 'kbad' }), want: /path kbad: kustomize build failed: .*missing\.yaml/s, code: 'ToolFailed' },
    { name: 'unknown revision', spec: spec(r.dir, { path: 'bad', targetRevision: 'v9.9.9' }), want: /has no revision "v9\.9\.9"/, code: 'UnknownRevision' },
    { name: 'missing value file', spec: spec(r.dir, { path: 'chart', helm: { valueFiles: ['nope.yaml'] } }), want: /path chart: value file nope\.yaml not found/, code: 'MissingValueFile' },
  ];
  for (const c of cases) {
    await assert.rejects(renderApplication({ appName: 'x', spec: c.spec }, s), (err: unknown) => {
      assert.ok(err instanceof CapstanError, c.name);
      assert.equal(err.code, c.code, c.name);
      assert.match(err.message, c.want, c.name);
      assert.match(err.message, /^app "x" source /, c.name);
      return true;
    });
  }
  assert.equal(s.cache.size, 0, 'no failed render is cached');
});

test('cdk8s: a program is synthesized with node_modules installed once per lockfile', { timeout: 240_000 }, async (t) => {
  const r = repo(t);
  r.copyFrom(path.resolve('test/testdata/cdk8s-app'), '.');
  r.commit({});
  const s = services(t);
  const out = await renderApplication({ appName: 'synth', spec: spec(r.dir, { path: '.' }) }, s);
  assert.deepEqual(out.sourceTypes, ['Cdk8s']);
  assert.deepEqual(names(out.objects), ['ConfigMap/team/settings', 'Deployment/team/web']);
  assert.deepEqual(out.objects[0]!['data'], { from: 'cdk8s' });
  r.commit({ 'main.js': readFileSync(path.join(r.dir, 'main.js'), 'utf8').replace("from: 'cdk8s'", "from: 'cdk8s, again'") });
  await s.repositories.get(r.dir).fetch(s.repositories.nextGeneration());
  const t0 = Date.now();
  const again = await renderApplication({ appName: 'synth', spec: spec(r.dir, { path: '.' }) }, s);
  assert.deepEqual(again.objects[0]!['data'], { from: 'cdk8s, again' });
  assert.ok(Date.now() - t0 < 30_000, 'the second synth reuses the installed modules');
  r.commit({ 'main.js': 'this is not javascript(' });
  await s.repositories.get(r.dir).fetch(s.repositories.nextGeneration());
  await assert.rejects(renderApplication({ appName: 'synth', spec: spec(r.dir, { path: '.' }) }, s),
    (err: unknown) => err instanceof CapstanError && /^app "synth" source .* path \.: sh -c failed: .*SyntaxError/s.test(err.message));
});

test('helm: a chart from an HTTP chart repository by version, and a local file:// dependency', async (t) => {
  const { createServer } = await import('node:http');
  const { execFileSync } = await import('node:child_process');
  const { readFileSync: read, mkdirSync } = await import('node:fs');
  const served = mkdtempSync(path.join(os.tmpdir(), 'capstan-charts-'));
  t.after(() => rmSync(served, { recursive: true, force: true }));
  execFileSync(bin.helm, ['package', path.resolve('examples/helm-envs/apps/bot-admin'), '--destination', served], { env: { ...process.env, HELM_CACHE_HOME: served } });
  const server = createServer((req, res) => {
    try { res.end(read(path.join(served, path.basename(req.url ?? '')))); } catch { res.statusCode = 404; res.end(); }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  t.after(() => server.close());
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  execFileSync(bin.helm, ['repo', 'index', served, '--url', url]);
  const s = services(t);
  const out = await renderApplication({ appName: 'from-repo', spec: { project: 'default', destination: { namespace: 'r' },
    source: { repoURL: url, chart: 'bot-admin', targetRevision: '0.3.0', helm: { valueFiles: ['values-staging.yaml'] } } } }, s);
  assert.deepEqual(out.revisions, ['0.3.0']);
  assert.ok(out.objects.some((o) => o.kind === 'HorizontalPodAutoscaler'), 'the chart\'s own value files apply');

  const r = repo(t);
  mkdirSync(path.join(r.dir, 'charts'), { recursive: true });
  r.copyFrom(path.resolve('examples/helm-envs/apps'), 'charts');
  r.commit({ 'umbrella/Chart.yaml': 'apiVersion: v2\nname: umbrella\nversion: 1.0.0\ndependencies:\n  - name: bot-admin\n    version: 0.3.0\n    repository: file://../charts/bot-admin\n',
    'umbrella/templates/cm.yaml': cm('umbrella') });
  const umbrella = await renderApplication({ appName: 'umbrella', spec: spec(r.dir, { path: 'umbrella' }) }, s);
  assert.ok(umbrella.objects.some((o) => o.kind === 'Deployment' && o.metadata.name === 'umbrella'), 'the dependency rendered');
  assert.ok(umbrella.objects.some((o) => o.kind === 'ConfigMap' && o.metadata.name === 'umbrella'));
  assert.equal(existsSync(path.join(s.cacheDir, 'trees', r.git('rev-parse', 'HEAD'), 'umbrella', 'charts')), false, 'dependencies were built on a copy');
});
