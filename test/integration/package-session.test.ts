// idpbuilder packages on a real API server, without the engine: publishing
// makes one git repository per cnoe:// folder and records it in the repository
// map; Applications are applied unchanged (namespace defaulted), wave by wave
// as earlier waves settle; a change to a folder is a new commit and a refresh
// of its readers; a broken package or a failing synth while running is
// reported and changes nothing that runs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Application } from '../../src/api/application.ts';
import { installControlPlane } from '../../src/controller/install-crds.ts';
import { hasErrorCode } from '../../src/errors.ts';
import { KubeClient } from '../../src/kube/kube-client.ts';
import { PackageSession } from '../../src/platform/package-session.ts';
import { createTestNamespace, useTestCluster } from '../harness/cluster.ts';

let client: KubeClient;
before(async () => { client = KubeClient.fromKubeconfig({ kubeconfigPath: (await useTestCluster()).kubeconfigPath }); });
after(() => client.close());

const appFile = (name: string, url: string, wave: number): string => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  annotations: {argocd.argoproj.io/sync-wave: "${wave}"}
spec:
  project: default
  destination: {name: in-cluster, namespace: ${name}}
  source: {repoURL: ${url}, targetRevision: HEAD, path: .}
  syncPolicy: {automated: {prune: true}}
`;

function write(root: string, files: Record<string, string>): void {
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
}

const commits = (repo: string): number => Number(execFileSync('git', ['rev-list', '--count', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim());
/** An app as the controller would show it after reconciling it now: Synced, Healthy, refresh annotation handled. */
const settled = (app: Application): Application => {
  const { 'argocd.argoproj.io/refresh': _refresh, ...annotations } = app.metadata.annotations ?? {};
  return { ...app, metadata: { ...app.metadata, annotations },
    status: { sync: { status: 'Synced' }, health: { status: 'Healthy' }, reconciledAt: new Date(Date.now() + 1000).toISOString() } as Application['status'] };
};
/** The same, but reconciled before the last change. */
const settledBefore = (app: Application): Application => ({ ...settled(app), metadata: app.metadata,
  status: { ...settled(app).status, reconciledAt: '2000-01-01T00:00:00Z' } as Application['status'] });

test('packages are published, applied wave by wave, and published again when they change', async (t) => {
  const cluster = await useTestCluster();
  const ns = await createTestNamespace(t, cluster);
  await installControlPlane(client, ns);
  const work = mkdtempSync(path.join(os.tmpdir(), 'capstan-packages-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const dist = path.join(work, 'dist');
  write(dist, {
    'web.yaml': appFile('web', 'cnoe://web/manifests', 0),
    'web/manifests/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata: {a: "1"}\n',
    'api.yaml': appFile('api', 'cnoe://api/manifests', 10),
    'api/manifests/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: api}\n',
  });
  const lines: string[] = [];
  const repoMap = new Map<string, string>();
  let mapWrites = 0;
  const home = path.join(work, 'home');
  const session = new PackageSession({ packageDirs: [dist], synthDirs: [], home, namespace: ns, repoMap,
    onRepoMapChanged: () => { mapWrites++; }, out: (l) => lines.push(l) });
  await session.start();
  const webRepo = path.join(home, 'repos', 'idpbuilder-localdev-web-manifests');
  assert.deepEqual(Object.fromEntries(repoMap), { 'cnoe://web/manifests': webRepo, 'cnoe://api/manifests': path.join(home, 'repos', 'idpbuilder-localdev-api-manifests') });
  assert.equal(mapWrites, 1);
  assert.equal(commits(webRepo), 1);
  const live = async (): Promise<Application[]> => (await client.list('argoproj.io/v1alpha1', 'Application', { namespace: ns })) as unknown as Application[];

  await session.tick(client, await live());
  assert.deepEqual((await live()).map((a) => a.metadata.name), ['web'], 'only the first wave');
  const web = (await live())[0]!;
  assert.deepEqual(web.spec.source, { repoURL: 'cnoe://web/manifests', targetRevision: 'HEAD', path: '.' }, 'applied unchanged');
  await session.tick(client, await live());
  assert.deepEqual((await live()).map((a) => a.metadata.name), ['web'], 'wave 10 waits while wave 0 is not Synced and Healthy');
  assert.equal(session.doneIn(await live()), false);
  await session.tick(client, (await live()).map(settled));
  assert.deepEqual((await live()).map((a) => a.metadata.name).sort(), ['api', 'web'], 'wave 10 once wave 0 settled');
  assert.equal(session.doneIn((await live()).map(settled)), true);
  assert.deepEqual(lines.filter((l) => l.startsWith('applied')), ['applied Application web (wave 0)', 'applied Application api (wave 10)']);

  // An Application in another namespace is applied and reported, and never waited for.
  const elsewhere = await createTestNamespace(t, cluster);
  write(dist, { 'other.yaml': appFile('other', 'cnoe://api/manifests', 0).replace('  name: other\n', `  name: other\n  namespace: ${elsewhere}\n`) });
  lines.length = 0;
  await session.tick(client, (await live()).map(settled));
  assert.ok(lines.includes(`warning: Application other is in namespace ${elsewhere}; the engine reconciles only ${ns}`), lines.join('\n'));
  assert.ok(await client.get('argoproj.io/v1alpha1', 'Application', elsewhere, 'other'));
  await session.tick(client, (await live()).map(settled));
  assert.equal(session.doneIn((await live()).map(settled)), true, 'not waited for');

  // A change to one folder: a commit there, a refresh of its reader, nothing for the other.
  write(dist, { 'web/manifests/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata: {a: "2"}\n' });
  lines.length = 0;
  await session.tick(client, (await live()).map(settled));
  assert.equal(commits(webRepo), 2);
  assert.deepEqual(lines.filter((l) => /new commit|applied|refreshed/.test(l)).map((l) => l.replace(/@ [0-9a-f]{7}/, '@ C')), [
    `repository cnoe://web/manifests → ${webRepo} @ C (new commit)`,
    'refreshed Application web (wave 0)',
  ]);
  const refreshed = (await live()).find((a) => a.metadata.name === 'web')!;
  assert.equal(refreshed.metadata.annotations?.['argocd.argoproj.io/refresh'], 'normal');
  assert.equal(session.doneIn((await live()).map(settledBefore)), false, 'a status from before the refresh says nothing');
  await session.tick(client, (await live()).map(settled));
  assert.equal(session.doneIn((await live()).map(settled)), true, 'reconciled since the refresh');

  // A broken package while running: reported, nothing changes.
  write(dist, { 'web.yaml': appFile('web', 'cnoe://gone/manifests', 0) });
  lines.length = 0;
  await session.tick(client, (await live()).map(settled));
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /^error: .*web\.yaml: Application web: cnoe:\/\/gone\/manifests names .*, which does not exist .*\(the platform keeps what it had\)$/);
  assert.equal(repoMap.has('cnoe://gone/manifests'), false);
  assert.equal((await live()).find((a) => a.metadata.name === 'web')!.spec.source?.repoURL, 'cnoe://web/manifests');
  lines.length = 0;
  await session.tick(client, (await live()).map(settled));
  assert.deepEqual(lines, [], 'reported once, not every tick');
});

test('a platform program is synthesized at start and again when its sources change; a failing synth keeps what runs', async (t) => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'capstan-synth-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const program = path.join(work, 'program');
  // A tiny program: writes one package whose ConfigMap carries config.json's value, and fails when it says so.
  write(program, {
    'package.json': JSON.stringify({ name: 'p', private: true, type: 'module', scripts: { synth: 'node synth.mjs' } }),
    'config.json': '{"value": "1"}',
    'synth.mjs': `import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
const { value } = JSON.parse(readFileSync('config.json', 'utf8'));
if (value === 'fail') { console.error('Error: config says fail'); process.exit(1); }
mkdirSync('dist/web/manifests', { recursive: true });
writeFileSync('dist/web.yaml', ${JSON.stringify(appFile('web', 'cnoe://web/manifests', 0))});
writeFileSync('dist/web/manifests/cm.yaml', 'apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: web}\\ndata: {value: "' + value + '"}\\n');
`,
  });
  const lines: string[] = [];
  const home = path.join(work, 'home');
  const session = new PackageSession({ packageDirs: [], synthDirs: [program], home, namespace: 'argocd', repoMap: new Map(),
    onRepoMapChanged: () => undefined, out: (l) => lines.push(l) });
  await session.start();
  assert.match(lines[0]!, new RegExp(`^synthesized ${program} → ${program}/dist in \\d+\\.\\d s$`));
  const repo = path.join(home, 'repos', 'idpbuilder-localdev-web-manifests');
  assert.equal(commits(repo), 1);
  // The tick applies nothing here: no client calls are needed to see the synth and publish steps.
  const noApply = { apply: () => Promise.reject(new Error('not expected')), patch: () => Promise.reject(new Error('not expected')) } as unknown as KubeClient;
  const tickWithoutApplying = async (): Promise<void> => {
    lines.length = 0;
    await session.tick(noApply, []);
  };

  write(program, { 'config.json': '{"value": "2"}' });
  await tickWithoutApplying();
  assert.ok(lines.includes('program changed: synthesizing again'), lines.join('\n'));
  assert.equal(commits(repo), 2, 'the new output was published');

  write(program, { 'config.json': '{"value": "fail"}' });
  await tickWithoutApplying();
  assert.ok(lines.some((l) => /^error: .*program: npm run --silent synth failed: .*config says fail.*\(the platform keeps what it had\)$/s.test(l)), lines.join('\n'));
  assert.equal(commits(repo), 2, 'nothing published');

  const broken = new PackageSession({ packageDirs: [], synthDirs: [program], home, namespace: 'argocd', repoMap: new Map(),
    onRepoMapChanged: () => undefined, out: () => undefined });
  await assert.rejects(broken.start(), (err: unknown) => hasErrorCode(err, 'SynthFailed') && err.message.includes(program));
});
