// The API server on its own (no engine in its process, its own live caches
// and render services) against the real cluster and a real controller:
// anonymous access with policy.default, API keys of an apiKey account,
// logout through the cookie, the cross-origin refusal, the event-stream
// framing, a live Secret read masked, the body size limit and the UI's
// fallback page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppHarness } from '../harness/app-harness.ts';
import { eventually } from '../harness/eventually.ts';
import { ensureBinaries } from '../../src/render/tool-binaries.ts';
import { RenderCache } from '../../src/render/render-cache.ts';
import { RepositoryStore } from '../../src/source/repository-store.ts';
import { readInitialAdminPassword } from '../../src/server/auth/server-secrets.ts';
import { startApiServer, type RunningServer } from '../../src/server/start-server.ts';

let h: AppHarness;
let server: RunningServer;
let uiServer: RunningServer;
let adminToken: string;
let uiDir: string;
const secretValue = 'standalone-secret-value-42';

async function api(method: string, url: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(url, { method, headers: { ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers }, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try { parsed = text === '' ? {} : JSON.parse(text) as Record<string, unknown>; } catch { parsed = { text }; }
  return { status: res.status, body: parsed, headers: res.headers };
}

let cacheDir: string | undefined;

before(async () => {
  h = await AppHarness.start('apisa');
  await h.client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm', namespace: h.ns },
    data: { 'users.anonymous.enabled': 'true', 'accounts.ci': 'apiKey' } }, { fieldManager: 'test', force: true });
  await h.client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-rbac-cm', namespace: h.ns },
    data: { 'policy.default': 'role:readonly', 'policy.csv': 'p, ci, applications, sync, default/*, allow' } }, { fieldManager: 'test', force: true });
  const repo = h.repo({ 'app/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  token: ${secretValue}\n` });
  await h.createApp('sa', { repo, dest: h.dest('apisa-dest'), syncPolicy: { automated: {}, syncOptions: ['CreateNamespace=true'] } });
  await h.waitApp('sa', 'Synced', (a) => (a.status?.sync?.status === 'Synced' ? true : undefined));
  cacheDir = mkdtempSync(path.join(os.tmpdir(), 'capstan-apisa-'));
  server = await startApiServer({ client: h.client, namespace: h.ns, port: 0, verifyDelayMs: [0, 0],
    render: { repositories: new RepositoryStore({ cacheDir }), binaries: await ensureBinaries(), cacheDir, cache: new RenderCache() } });
  uiDir = mkdtempSync(path.join(os.tmpdir(), 'capstan-ui-'));
  writeFileSync(path.join(uiDir, 'index.html'), '<!doctype html><title>ui</title>');
  writeFileSync(path.join(uiDir, 'app.0123456789.js'), 'console.log(1)');
  uiServer = await startApiServer({ client: h.client, namespace: h.ns, port: 0, uiDir, verifyDelayMs: [0, 0] });
  const password = await readInitialAdminPassword(h.client, h.ns);
  const r = await api('POST', `${server.url}/api/v1/session`, {}, JSON.stringify({ username: 'admin', password }));
  assert.equal(r.status, 200);
  adminToken = r.body['token'] as string;
  assert.match(r.headers.get('set-cookie') ?? '', /^argocd\.token=[^;]+; Path=\/; SameSite=Lax; HttpOnly; Max-Age=86400$/);
});

after(async () => {
  await server?.close();
  await uiServer?.close();
  await h?.close();
  rmSync(uiDir, { recursive: true, force: true });
  if (cacheDir !== undefined) rmSync(cacheDir, { recursive: true, force: true });
});

test('anonymous callers read with policy.default and cannot change anything', async () => {
  const list = await api('GET', `${server.url}/api/v1/applications`);
  assert.equal(list.status, 200);
  assert.deepEqual((list.body['items'] as Array<{ metadata: { name: string } }>).map((a) => a.metadata.name), ['sa']);
  const sync = await api('POST', `${server.url}/api/v1/applications/sa/sync`, {}, '{}');
  assert.equal(sync.status, 401);
  assert.equal(sync.body['code'], 16);
});

test('the resource tree and a live Secret come from the server\'s own caches, masked', async () => {
  const tree = await api('GET', `${server.url}/api/v1/applications/sa/resource-tree`, { Authorization: `Bearer ${adminToken}` });
  assert.equal(tree.status, 200, JSON.stringify(tree.body));
  assert.deepEqual((tree.body['nodes'] as Array<{ kind: string; name: string }>).map((n) => `${n.kind}/${n.name}`), ['Secret/s']);
  const dest = (await h.app('sa')).spec.destination.namespace!;
  const res = await api('GET', `${server.url}/api/v1/applications/sa/resource?namespace=${dest}&resourceName=s&version=v1&group=&kind=Secret`,
    { Authorization: `Bearer ${adminToken}` });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const manifest = JSON.parse(res.body['manifest'] as string) as { data: Record<string, string> };
  assert.equal(manifest.data['token'], '++++++++');
  const managed = await api('GET', `${server.url}/api/v1/applications/sa/managed-resources`, { Authorization: `Bearer ${adminToken}` });
  assert.equal(managed.status, 200, JSON.stringify(managed.body));
  for (const text of [JSON.stringify(res.body), JSON.stringify(managed.body)]) {
    assert.ok(!text.includes(secretValue) && !text.includes(Buffer.from(secretValue).toString('base64')), 'no Secret value');
  }
  assert.equal((await api('GET', `${server.url}/api/v1/applications/sa/resource?namespace=kube-system&resourceName=x&kind=Secret&group=&version=v1`,
    { Authorization: `Bearer ${adminToken}` })).status, 404, 'only resources of the app');
});

test('API keys of an apiKey account: issued by admin, used, deleted', async () => {
  const auth = { Authorization: `Bearer ${adminToken}` };
  const created = await api('POST', `${server.url}/api/v1/account/ci/token`, auth, JSON.stringify({ id: 'build', expiresIn: 3600 }));
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const key = created.body['token'] as string;
  const ci = { Authorization: `Bearer ${key}` };
  await eventually('the key is accepted', async () => ((await api('GET', `${server.url}/api/v1/session/userinfo`, ci)).body['username'] === 'ci' ? true : undefined), 10_000);
  const account = await api('GET', `${server.url}/api/v1/account/ci`, auth);
  assert.deepEqual((account.body['tokens'] as Array<{ id: string }>).map((t) => t.id), ['build']);
  assert.ok(!JSON.stringify(account.body).includes(key));
  assert.equal((await api('GET', `${server.url}/api/v1/account/can-i/applications/sync/default%2Fsa`, ci)).body['value'], 'yes');
  assert.equal((await api('DELETE', `${server.url}/api/v1/account/ci/token/build`, auth)).status, 200);
  await eventually('the deleted key is refused', async () => ((await api('GET', `${server.url}/api/v1/applications`, ci)).status === 401 ? true : undefined), 10_000);
  assert.equal((await api('POST', `${server.url}/api/v1/session`, {}, JSON.stringify({ username: 'ci', password: 'x' }))).status, 401, 'no login capability');
});

test('cookie sessions: cross-origin writes refused, logout revokes', async () => {
  const password = await readInitialAdminPassword(h.client, h.ns);
  const login = await api('POST', `${server.url}/api/v1/session`, {}, JSON.stringify({ username: 'admin', password }));
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  assert.equal((await api('GET', `${server.url}/api/v1/session/userinfo`, { Cookie: cookie })).body['username'], 'admin');
  const cross = await api('DELETE', `${server.url}/api/v1/applications/sa/operation`, { Cookie: cookie, Origin: 'https://evil.example' });
  assert.equal(cross.status, 403);
  const logout = await api('DELETE', `${server.url}/api/v1/session`, { Cookie: cookie });
  assert.equal(logout.status, 200);
  assert.match(logout.headers.get('set-cookie') ?? '', /Max-Age=0/);
  const after = await api('GET', `${server.url}/api/v1/session/userinfo`, { Authorization: `Bearer ${cookie.slice('argocd.token='.length)}` });
  assert.equal(after.body['loggedIn'], false, 'the revoked token is no session');
});

test('the stream speaks text/event-stream to an EventSource', async () => {
  const req = http.get(`${server.url}/api/v1/stream/applications`, { headers: { Accept: 'text/event-stream', Authorization: `Bearer ${adminToken}` } });
  const res = await new Promise<http.IncomingMessage>((resolve) => req.on('response', resolve));
  assert.equal(res.headers['content-type'], 'text/event-stream');
  const first = await new Promise<string>((resolve) => { res.setEncoding('utf8'); res.once('data', resolve); });
  req.destroy();
  assert.match(first, /^data: \{"result":\{"type":"ADDED","application":\{/);
  assert.ok(first.endsWith('\n\n'));
});

test('limits and static files', async () => {
  const big = JSON.stringify({ username: 'admin', password: 'x'.repeat(2 << 20) });
  const r = await api('POST', `${server.url}/api/v1/session`, {}, big);
  assert.equal(r.status, 413);
  assert.equal(r.body['code'], 8);
  const notJson = await api('POST', `${server.url}/api/v1/applications/sa/sync`, { Authorization: `Bearer ${adminToken}` }, '{nope');
  assert.equal(notJson.status, 400);
  const fallback = await fetch(`${server.url}/applications`);
  assert.match(await fallback.text(), /web UI is not built/);
  const index = await fetch(`${uiServer.url}/applications/sa`);
  assert.equal(await index.text(), '<!doctype html><title>ui</title>', 'UI routes get index.html');
  const asset = await fetch(`${uiServer.url}/app.0123456789.js`);
  assert.equal(asset.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.match(asset.headers.get('cache-control') ?? '', /immutable/);
  const escape = await fetch(`${uiServer.url}/..%2f..%2fetc%2fpasswd`);
  assert.equal(await escape.text(), '<!doctype html><title>ui</title>', 'no path outside the UI directory');
});
