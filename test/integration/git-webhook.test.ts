// The git webhook on the real API server, engine and cluster: a signed GitHub
// push to the branch an app follows brings its new commit in at once (the
// controller's period here is an hour); an app on another branch, an app whose
// manifest-generate-paths the push does not touch and an app of another
// repository are left alone; an ApplicationSet with a git generator of that
// repository is asked to refresh; a wrong signature is refused and refreshes
// nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import type { TestRepo } from '../harness/git-repo.ts';
import { AppHarness } from '../harness/app-harness.ts';
import { eventually } from '../harness/eventually.ts';
import { ensureBinaries } from '../../src/render/tool-binaries.ts';
import { startApiServer, type RunningServer } from '../../src/server/start-server.ts';

const webURL = 'https://github.com/acme/webhook-demo';
const secret = 'webhook-s3cret';
let h: AppHarness;
let server: RunningServer;
let repo: TestRepo;
const cm = (name: string, v: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  v: "${v}"\n`;

before(async () => {
  const rewrite = (url: string): string => (url.replace(/\.git$/, '') === webURL || url === 'git@github.com:acme/webhook-demo.git' ? repo.dir : url);
  h = await AppHarness.start('webhook', {}, { rewrite });
  repo = h.repo({ 'web/cm.yaml': cm('web', '1'), 'docs/cm.yaml': cm('docs', '1') });
  repo.git('branch', 'release');
  await h.client.patch({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'argocd-secret', namespace: h.ns } },
    { data: { 'webhook.github.secret': Buffer.from(secret).toString('base64') } }, 'merge').catch(async () => {
    await h.client.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'argocd-secret', namespace: h.ns },
      data: { 'webhook.github.secret': Buffer.from(secret).toString('base64') } });
  });
  const auto = { automated: {}, syncOptions: ['CreateNamespace=true'] };
  const app = (name: string, path: string, extra: { repoURL?: string; targetRevision?: string; annotations?: Record<string, string> } = {}) =>
    h.client.create({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application',
      metadata: { name, namespace: h.ns, ...(extra.annotations ? { annotations: extra.annotations } : {}) },
      spec: { project: 'default', source: { repoURL: extra.repoURL ?? `${webURL}.git`, targetRevision: extra.targetRevision ?? 'HEAD', path },
        destination: { server: 'https://kubernetes.default.svc', namespace: h.dest(`wh-${name}`) }, syncPolicy: auto } });
  await app('web', 'web');
  await app('ssh-form', 'web', { repoURL: 'git@github.com:acme/webhook-demo.git', targetRevision: 'main' });
  await app('docs-only', 'docs', { annotations: { 'argocd.argoproj.io/manifest-generate-paths': '.' } });
  await app('other-branch', 'web', { targetRevision: 'release' });
  await h.client.create({ apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name: 'dirs', namespace: h.ns },
    spec: { generators: [{ git: { repoURL: webURL, revision: 'HEAD', directories: [{ path: '*' }] } }], template: { metadata: { name: '{{path.basename}}' },
      spec: { project: 'default', source: { repoURL: webURL, path: '{{path}}' }, destination: { namespace: 'x' } } } } });
  server = await startApiServer({ client: h.client, namespace: h.ns, port: 0, verifyDelayMs: [0, 0],
    engine: { controller: h.controller, render: { repositories: h.repositories, binaries: await ensureBinaries(), cacheDir: h.cacheDir, cache: h.cache }, compat: undefined } });
});

after(async () => {
  await server?.close();
  await h?.close();
});

const revisionOf = async (name: string): Promise<string | undefined> => (await h.app(name)).status?.sync?.revision;

async function push(body: object, signWith = secret): Promise<number> {
  const text = JSON.stringify(body);
  const res = await fetch(`${server.url}/api/webhook`, { method: 'POST', body: text, headers: { 'Content-Type': 'application/json',
    'X-GitHub-Event': 'push', 'X-Hub-Signature-256': `sha256=${createHmac('sha256', signWith).update(text).digest('hex')}` } });
  const answer = await res.text();
  if (res.status === 200) assert.equal(answer, '', 'the answer names nothing');
  else assert.match(answer, /Webhook processing failed: GitHub webhook HMAC verification failed/);
  return res.status;
}

test('a signed push refreshes the apps and ApplicationSets that follow the pushed branch, and only those', async () => {
  const first = repo.git('rev-parse', 'HEAD');
  for (const name of ['web', 'ssh-form', 'docs-only', 'other-branch']) {
    await eventually(`${name} synced`, async () => ((await h.app(name)).status?.sync?.status === 'Synced' ? true : undefined), 30_000);
  }
  // No secret proof: refused, nothing refreshed.
  const second = repo.commit({ 'web/cm.yaml': cm('web', '2') });
  const payload = { ref: 'refs/heads/main', before: first, after: second, repository: { html_url: webURL, default_branch: 'main' },
    commits: [{ id: second, added: [], modified: ['web/cm.yaml'], removed: [] }] };
  assert.equal(await push(payload, 'wrong'), 400);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  assert.equal(await revisionOf('web'), first, 'a refused push refreshes nothing');
  assert.equal((await h.client.get('argoproj.io/v1alpha1', 'ApplicationSet', h.ns, 'dirs'))?.metadata.annotations?.['argocd.argoproj.io/application-set-refresh'], undefined);

  const t0 = Date.now();
  assert.equal(await push(payload), 200);
  await eventually('web and ssh-form at the pushed commit', async () => ((await revisionOf('web')) === second && (await revisionOf('ssh-form')) === second ? true : undefined), 20_000,
    async () => Promise.all(['web', 'ssh-form'].map(async (n) => { const a = await h.app(n); return [n, a.status?.sync?.revision, a.status?.conditions]; })));
  const seconds = (Date.now() - t0) / 1000;
  const live = await h.client.get('v1', 'ConfigMap', h.dest('wh-web'), 'web');
  assert.equal((live as { data?: Record<string, string> }).data?.['v'], '2', 'and synced it');
  assert.equal((await h.client.get('argoproj.io/v1alpha1', 'ApplicationSet', h.ns, 'dirs'))?.metadata.annotations?.['argocd.argoproj.io/application-set-refresh'], 'true');
  await h.controller.idle();
  assert.equal(await revisionOf('docs-only'), first, 'its manifest-generate-paths were not touched');
  assert.equal(await revisionOf('other-branch'), first, 'another branch');
  process.stdout.write(`ℹ push to synced: ${seconds.toFixed(1)} s\n`);

  assert.equal(await push({ zen: 'hi' }), 200, 'a ping is fine too');
});
