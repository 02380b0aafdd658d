// The ApplicationSet controller on a real cluster with a real git repository
// and the real template engine: generated Applications with owner reference
// and finalizer, status conditions and resources; a new directory picked up
// on refresh and a removed one deleted; a generator error (a broken file, an
// unreachable repository, a template error, duplicate names) leaves every
// Application in place; ignoreApplicationDifferences; the create-only policy;
// cluster Secrets; deletion through the garbage collector.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Application } from '../../src/api/application.ts';
import type { ApplicationSet } from '../../src/api/application-set.ts';
import specSchemas from '../../src/api/generated/crd-schemas.json' with { type: 'json' };
import type { KubeObject } from '../../src/api/kube-object.ts';
import { loadCompat } from '../../src/compat/load-compat.ts';
import { AppController } from '../../src/controller/app-controller.ts';
import { AppSetController } from '../../src/controller/appset-controller.ts';
import { installControlPlane } from '../../src/controller/install-crds.ts';
import { KubeClient } from '../../src/kube/kube-client.ts';
import { RenderCache } from '../../src/render/render-cache.ts';
import { ensureBinaries } from '../../src/render/tool-binaries.ts';
import { RepositoryStore } from '../../src/source/repository-store.ts';
import { useTestCluster } from '../harness/cluster.ts';
import { eventually } from '../harness/eventually.ts';
import { TestRepo } from '../harness/git-repo.ts';

const ns = `appset-${process.pid}`;
let client: KubeClient;
let controller: AppSetController;
let apps_: AppController;
let repo: TestRepo;
let cacheDir: string;
let repositories: RepositoryStore;
const log: string[] = [];

const kustomization = 'resources: []\n';

before(async () => {
  const cluster = await useTestCluster();
  client = KubeClient.fromKubeconfig({ kubeconfigPath: cluster.kubeconfigPath });
  await installControlPlane(client, ns);
  repo = new TestRepo();
  repo.commit({ 'apps/api/envs/dev/kustomization.yaml': kustomization, 'apps/web/envs/dev/kustomization.yaml': kustomization, 'apps/web/base/x.yaml': 'a: 1\n' });
  cacheDir = mkdtempSync(path.join(os.tmpdir(), 'capstan-appset-'));
  const compat = await loadCompat();
  repositories = new RepositoryStore({ cacheDir });
  // The Application controller runs too: it finalizes the Applications that are deleted.
  apps_ = new AppController({ client, namespace: ns, waveDelayMs: 0, reconcileIntervalMs: 3_600_000,
    render: { repositories, binaries: await ensureBinaries(), cacheDir, cache: new RenderCache() } });
  await apps_.start();
  controller = new AppSetController({ client, namespace: ns, repositories, render: compat.renderTemplates,
    evalJq: compat.evalJqProgram, specSchema: specSchemas.Application, log: (l) => log.push(l) });
  await controller.start();
});

after(async () => {
  controller.close();
  apps_.close();
  await client.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  client.close();
  repo.remove();
  rmSync(cacheDir, { recursive: true, force: true });
});

const appSetOf = (name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name, namespace: ns }, spec });
const getSet = async (name: string): Promise<ApplicationSet> => (await client.get('argoproj.io/v1alpha1', 'ApplicationSet', ns, name)) as unknown as ApplicationSet;
const apps = async (): Promise<Application[]> => (await client.list('argoproj.io/v1alpha1', 'Application', { namespace: ns })) as unknown as Application[];
const appNames = async (owner?: string): Promise<string[]> => (await apps())
  .filter((a) => owner === undefined || a.metadata.ownerReferences?.some((r) => r.name === owner)).map((a) => a.metadata.name!).sort();
/** What an ApplicationSet controls of each Application (the Application controller writes the rest). */
const controlled = async (): Promise<string[]> => (await apps()).map((a) => JSON.stringify([a.metadata.name, a.metadata.uid, a.spec, a.metadata.labels,
  a.metadata.annotations, a.metadata.finalizers, a.metadata.ownerReferences])).sort();
const condition = async (set: string, type: string) => (await getSet(set)).status?.conditions?.find((c) => c.type === type);
const refresh = (name: string) => client.patch(appSetOf(name, {}), { metadata: { annotations: { 'argocd.argoproj.io/application-set-refresh': 'true' } } }, 'merge');

const dirSpec = (extra: Record<string, unknown> = {}) => ({
  goTemplate: true, goTemplateOptions: ['missingkey=error'],
  generators: [{ git: { repoURL: repo.dir, revision: 'HEAD', directories: [{ path: 'apps/*/envs/dev' }] } }],
  template: { metadata: { name: '{{ index .path.segments 1 }}', labels: { team: 'x' } }, spec: { project: 'default',
    source: { repoURL: repo.dir, targetRevision: 'HEAD', path: '{{ .path.path }}' },
    destination: { server: 'https://kubernetes.default.svc', namespace: '{{ index .path.segments 1 }}' },
    syncPolicy: { syncOptions: ['CreateNamespace=true'] } } },
  ...extra,
});

test('a git directory generator creates owned Applications and reports its status', async () => {
  const created = await client.create(appSetOf('dirs', dirSpec()));
  const names = await eventually('two Applications', async () => { const n = await appNames('dirs'); return n.length === 2 ? n : undefined; });
  assert.deepEqual(names, ['api', 'web']);
  const api = (await apps()).find((a) => a.metadata.name === 'api')!;
  assert.deepEqual(api.metadata.ownerReferences, [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', name: 'dirs', uid: created.metadata.uid,
    controller: true, blockOwnerDeletion: true }]);
  assert.deepEqual(api.metadata.finalizers, ['resources-finalizer.argocd.argoproj.io']);
  assert.equal(api.spec.source?.path, 'apps/api/envs/dev');
  assert.equal(api.spec.destination.namespace, 'api');
  const status = await eventually('status', async () => { const s = await getSet('dirs'); return s.status?.resourcesCount === 2 ? s.status : undefined; });
  assert.deepEqual(status.conditions?.map((c) => [c.type, c.status, c.reason]), [
    ['ErrorOccurred', 'False', 'ApplicationSetUpToDate'], ['ParametersGenerated', 'True', 'ParametersGenerated'], ['ResourcesUpToDate', 'True', 'ApplicationSetUpToDate'],
  ]);
  assert.deepEqual(status.resources?.map((r) => [r.kind, r.name, r.namespace]), [['Application', 'api', ns], ['Application', 'web', ns]]);
});

test('a new directory appears after a refresh; a removed one is deleted', async () => {
  repo.commit({ 'apps/db/envs/dev/kustomization.yaml': kustomization, 'apps/web/envs/dev/kustomization.yaml': undefined });
  await refresh('dirs');
  await eventually('db added, web deleted', async () => ((await appNames('dirs')).join() === 'api,db' ? true : undefined), 30_000, () => appNames('dirs'));
  // The Applications are written first, then the served request is removed.
  await eventually('the refresh request removed', async () => ((await getSet('dirs')).metadata.annotations?.['argocd.argoproj.io/application-set-refresh'] === undefined
    ? true : undefined), 10_000);
});

test('a broken commit, an unreachable repository and a template error leave every Application in place', async () => {
  await client.create(appSetOf('files', { generators: [{ git: { repoURL: repo.dir, revision: 'HEAD', files: [{ path: 'config/*.yaml' }] } }],
    template: { metadata: { name: 'cfg-{{name}}' }, spec: { project: 'default', source: { repoURL: repo.dir, path: '{{path}}' }, destination: { namespace: '{{name}}' } } } }));
  const good = repo.commit({ 'config/a.yaml': 'name: a\n', 'config/b.yaml': 'name: b\n' });
  await refresh('files');
  await eventually('two cfg apps', async () => ((await appNames('files')).join() === 'cfg-a,cfg-b' ? true : undefined), 30_000, () => appNames('files'));
  const kept = await controlled();
  const writes = log.length;

  repo.commit({ 'config/b.yaml': 'name: [broken\n' });
  await refresh('files');
  const broken = await eventually('ErrorOccurred', async () => { const c = await condition('files', 'ErrorOccurred'); return c?.status === 'True' ? c : undefined; });
  assert.equal(broken.reason, 'ApplicationGenerationFromParamsError');
  assert.match(broken.message, /ApplicationSet "files" generators\[0\]\.git: unable to process file 'config\/b\.yaml': unable to parse file: .*line \d+/);
  assert.equal((await condition('files', 'ParametersGenerated'))?.status, 'False');
  assert.deepEqual(await controlled(), kept, 'no Application touched');

  await client.patch(appSetOf('files', {}), { spec: { generators: [{ git: { repoURL: path.join(repo.dir, 'gone'), revision: 'HEAD', files: [{ path: 'config/*.yaml' }] } }] } }, 'merge');
  await eventually('unreachable reported', async () => ((await condition('files', 'ErrorOccurred'))?.message.includes('gone') ? true : undefined));
  assert.deepEqual(await controlled(), kept, 'an unreachable repository deletes nothing');

  await client.patch(appSetOf('files', {}), { spec: { goTemplate: true, goTemplateOptions: ['missingkey=error'],
    generators: [{ git: { repoURL: repo.dir, revision: good, files: [{ path: 'config/*.yaml' }] } }],
    template: { metadata: { name: 'cfg-{{.missing}}' }, spec: { project: 'default', source: { repoURL: repo.dir, path: '{{.path.path}}' }, destination: { namespace: 'x' } } } } }, 'merge');
  const templ = await eventually('template error', async () => { const c = await condition('files', 'ErrorOccurred'); return c?.reason === 'RenderTemplateParamsError' ? c : undefined; });
  assert.match(templ.message, /map has no entry for key "missing"/);
  assert.deepEqual(await controlled(), kept, 'a template error deletes nothing');

  await client.patch(appSetOf('files', {}), { spec: { template: { metadata: { name: 'cfg-same' } } } }, 'merge');
  const dup = await eventually('duplicate names', async () => { const c = await condition('files', 'ErrorOccurred'); return c?.reason === 'ApplicationValidationError' ? c : undefined; });
  assert.match(dup.message, /ApplicationSet files contains applications with duplicate name: cfg-same/);
  assert.deepEqual(await controlled(), kept, 'duplicates apply nothing');
  assert.deepEqual(log.slice(writes).filter((l) => /(created|updated|adopted|deleted) Application/.test(l)), [], 'no write at all');
});

test('ignoreApplicationDifferences keeps a manual change; other fields are reverted', async () => {
  await client.patch(appSetOf('dirs', {}), { spec: { ignoreApplicationDifferences: [{ jsonPointers: ['/spec/syncPolicy'] }] } }, 'merge');
  await eventually('reconciled', async () => ((await getSet('dirs')).status?.conditions ? true : undefined));
  const ref = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'api', namespace: ns } };
  await client.patch(ref, { spec: { syncPolicy: { automated: { prune: true } }, destination: { namespace: 'hand-edited' } } }, 'merge');
  const api = await eventually('destination reverted', async () => {
    const a = (await apps()).find((x) => x.metadata.name === 'api');
    return a?.spec.destination.namespace === 'api' ? a : undefined;
  });
  assert.deepEqual(api.spec.syncPolicy, { automated: { prune: true }, syncOptions: ['CreateNamespace=true'] }, 'the ignored field keeps its live value');
});

test('create-only never updates or deletes; sync deletes what is no longer generated', async () => {
  await client.create(appSetOf('only', { generators: [{ list: { elements: [{ n: 'one' }, { n: 'two' }] } }], syncPolicy: { applicationsSync: 'create-only' },
    template: { metadata: { name: 'only-{{n}}' }, spec: { project: 'default', source: { repoURL: repo.dir, path: 'x' }, destination: { namespace: '{{n}}' } } } }));
  await eventually('two apps', async () => ((await appNames('only')).length === 2 ? true : undefined));
  await client.patch(appSetOf('only', {}), { spec: { generators: [{ list: { elements: [{ n: 'one' }] } }],
    template: { spec: { destination: { namespace: 'changed-{{n}}' } } } } }, 'merge');
  await eventually('reconciled', async () => ((await getSet('only')).metadata.generation === (await getSet('only')).metadata.generation ? true : undefined));
  await controller.idle();
  assert.deepEqual(await appNames('only'), ['only-one', 'only-two'], 'nothing deleted');
  assert.equal((await apps()).find((a) => a.metadata.name === 'only-one')?.spec.destination.namespace, 'one', 'nothing updated');
  await client.patch(appSetOf('only', {}), { spec: { syncPolicy: { applicationsSync: 'sync' } } }, 'merge');
  await eventually('two deleted, one updated', async () => {
    const list = await apps();
    const one = list.find((a) => a.metadata.name === 'only-one');
    return !list.some((a) => a.metadata.name === 'only-two') && one?.spec.destination.namespace === 'changed-one' ? true : undefined;
  });
});

test('a template producing an invalid Application is reported with the ApplicationSet, generator and cause, and touches no Application', async () => {
  const teamsOf = (projects: Record<string, string>) => ({ generators: [{ list: { elements: Object.entries(projects).map(([n, project]) => ({ n, project })) } }],
    syncPolicy: { applicationsSync: 'sync' },
    template: { metadata: { name: 'team-{{n}}' }, spec: { project: '{{project}}', source: { repoURL: repo.dir, path: 'x' }, destination: { namespace: '{{n}}' } } } });
  await client.create(appSetOf('teams', teamsOf({ a: 'default', b: 'default' })));
  await eventually('two team apps', async () => ((await appNames('teams')).join() === 'team-a,team-b' ? true : undefined), 30_000, () => appNames('teams'));
  await controller.idle();
  const kept = await controlled();
  const writes = log.length;

  // Team b's project is mistyped, team a's namespace changes, team c is new: nothing is written until it is fixed.
  await client.patch(appSetOf('teams', {}), { spec: { ...teamsOf({ a: 'default', b: 'defualt', c: 'default' }),
    template: { spec: { destination: { namespace: 'moved-{{n}}' } } } } }, 'merge');
  const problem = await eventually('validation reported', async () => { const c = await condition('teams', 'ErrorOccurred'); return c?.status === 'True' ? c : undefined; });
  assert.equal(problem.reason, 'ApplicationValidationError');
  assert.match(problem.message, /Application "team-b" \(generators\[0\]\.list\): application references project defualt which does not exist/);
  const upToDate = await condition('teams', 'ResourcesUpToDate');
  assert.deepEqual([upToDate?.status, upToDate?.reason], ['False', 'ApplicationValidationError']);
  assert.equal((await condition('teams', 'ParametersGenerated'))?.status, 'True');
  await controller.idle();
  assert.deepEqual(await controlled(), kept, 'no Application created, updated or deleted');
  assert.deepEqual(log.slice(writes).filter((l) => /(created|updated|adopted|deleted) Application/.test(l)), [], 'no write at all');

  // Fixed: everything is applied and every condition clears.
  await client.patch(appSetOf('teams', {}), { spec: teamsOf({ a: 'default', b: 'default', c: 'default' }) }, 'merge');
  await eventually('team-c created', async () => ((await appNames('teams')).join() === 'team-a,team-b,team-c' ? true : undefined), 30_000, () => appNames('teams'));
  await eventually('up to date', async () => ((await condition('teams', 'ErrorOccurred'))?.status === 'False' ? true : undefined));
  assert.equal((await condition('teams', 'ResourcesUpToDate'))?.status, 'True');
  await client.delete(appSetOf('teams', {}));
});

test('the clusters generator follows cluster Secrets', async () => {
  await client.create(appSetOf('fleet', { goTemplate: true, generators: [{ clusters: { selector: { matchLabels: { env: 'edge' } } } }],
    template: { metadata: { name: 'fleet-{{.nameNormalized}}' }, spec: { project: 'default', source: { repoURL: repo.dir, path: 'x' },
      destination: { server: '{{.server}}', namespace: 'fleet' } } } }));
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'edge-1', namespace: ns, labels: { 'argocd.argoproj.io/secret-type': 'cluster', env: 'edge' } },
    stringData: { name: 'edge_1', server: 'https://edge-1.example', config: '{"bearerToken":"secret-token"}' } };
  await client.create(secret);
  const app = await eventually('fleet app', async () => (await apps()).find((a) => a.metadata.name === 'fleet-edge-1'));
  assert.equal(app.spec.destination.server, 'https://edge-1.example');
  assert.ok(!log.some((l) => l.includes('secret-token')), 'cluster credentials never reach the logs');
  await client.delete(secret);
  await eventually('fleet app deleted', async () => ((await appNames('fleet')).length === 0 ? true : undefined));
});

test('a fetch by anyone that moves the commit, or the periodic requeue, brings a new commit in without a refresh request', async () => {
  await client.create(appSetOf('follow', { generators: [{ git: { repoURL: repo.dir, revision: 'HEAD', directories: [{ path: 'svc/*' }] } }],
    template: { metadata: { name: 'svc-{{path.basename}}' }, spec: { project: 'default', source: { repoURL: repo.dir, path: '{{path}}' }, destination: { namespace: 'svc' } } } }));
  repo.commit({ 'svc/one/kustomization.yaml': kustomization });
  // The Application controller's refresh fetches the repository: the ApplicationSet hears of it.
  await repositories.get(repo.dir).fetch();
  await eventually('svc-one after the shared fetch', async () => ((await appNames('follow')).join() === 'svc-one' ? true : undefined), 30_000, () => appNames('follow'));
  await client.patch(appSetOf('follow', {}), { spec: { generators: [{ git: { repoURL: repo.dir, revision: 'HEAD', directories: [{ path: 'svc/*' }], requeueAfterSeconds: 1 } }] } }, 'merge');
  // Nobody else fetches (the Application controller's period is an hour): the periodic reconcile
  // reads git no older than half its requeueAfterSeconds.
  repo.commit({ 'svc/two/kustomization.yaml': kustomization });
  await eventually('svc-two after a periodic reconcile', async () => ((await appNames('follow')).join() === 'svc-one,svc-two' ? true : undefined), 30_000, () => appNames('follow'));
  await client.delete(appSetOf('follow', {}));
});

test('deleting an ApplicationSet deletes its Applications (garbage collection); with create-only and the finalizer they stay', async () => {
  await client.patch(appSetOf('only', {}), { metadata: { finalizers: ['resources-finalizer.argocd.argoproj.io'] }, spec: { syncPolicy: { applicationsSync: 'create-only' } } }, 'merge');
  await client.delete(appSetOf('only', {}));
  await eventually('only gone', async () => ((await getSet('only')) === undefined ? true : undefined));
  const kept = (await apps()).find((a) => a.metadata.name === 'only-one');
  assert.ok(kept, 'the Application stays');
  assert.equal(kept.metadata.ownerReferences, undefined, 'and is no longer owned');
  await client.delete(appSetOf('dirs', {}));
  await eventually('dirs apps collected', async () => ((await appNames('dirs')).length === 0 ? true : undefined), 60_000, () => appNames('dirs'));
});
