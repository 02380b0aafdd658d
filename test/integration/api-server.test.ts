// The API server on the real cluster with the real engine: login with the
// generated admin password, 401 without a token, 403 for a readonly user's
// sync, a project-scoped user who sees and syncs only its project, a sync
// through the API that really syncs, the stream delivering a change within a
// second, managed-resources without a Secret's value, the resource tree
// from owner references, rollback refused under automated sync, delete.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { AppHarness, deploymentYaml } from '../harness/app-harness.ts';
import { eventually } from '../harness/eventually.ts';
import { onJsonLines } from '../harness/json-lines.ts';
import { ensureBinaries } from '../../src/render/tool-binaries.ts';
import { hashPassword } from '../../src/server/auth/password.ts';
import { readInitialAdminPassword } from '../../src/server/auth/server-secrets.ts';
import { startApiServer, type RunningServer } from '../../src/server/start-server.ts';

let h: AppHarness;
let server: RunningServer;
let adminToken: string;
const secretValue = 'hunter2-very-secret-value';
let destA: string;
let destB: string;

const project = (name: string) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name, namespace: h.ns },
  spec: { sourceRepos: ['*'], destinations: [{ server: '*', namespace: '*' }], clusterResourceWhitelist: [{ group: '*', kind: '*' }] } });

async function api(method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${server.url}${path}`, { method, headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}),
    ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  return { status: res.status, body: text === '' ? {} : JSON.parse(text) as Record<string, unknown> };
}

async function login(username: string, password: string): Promise<string> {
  const r = await api('POST', '/api/v1/session', undefined, { username, password });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body['token'] as string;
}

before(async () => {
  h = await AppHarness.start('api');
  destA = h.dest('api-a');
  destB = h.dest('api-b');
  for (const p of ['team-a', 'team-b']) await h.client.create(project(p));
  await h.client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm', namespace: h.ns },
    data: { 'accounts.viewer': 'login', 'accounts.alice': 'login, apiKey' } }, { fieldManager: 'test', force: true });
  await h.client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-rbac-cm', namespace: h.ns }, data: {
    'policy.csv': 'g, viewer, role:readonly\np, alice, applications, *, team-a/*, allow\np, alice, projects, get, team-a, allow\n',
  } }, { fieldManager: 'test', force: true });
  const repo = h.repo({
    'web/conf.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-conf\ndata:\n  v: "1"\n',
    'web/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: web-secret\nstringData:\n  password: ${secretValue}\n`,
    'web/deploy.yaml': deploymentYaml('web'),
    'other/conf.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other-conf\ndata:\n  v: "1"\n',
  });
  const syncOptions = { syncOptions: ['CreateNamespace=true'] };
  await h.createApp('web', { repo, path: 'web', dest: destA, project: 'team-a', syncPolicy: syncOptions });
  await h.createApp('other', { repo, path: 'other', dest: destB, project: 'team-b', syncPolicy: syncOptions });
  await h.createApp('auto', { repo, path: 'other', dest: h.dest('api-auto'), syncPolicy: { automated: {}, ...syncOptions } });
  server = await startApiServer({ client: h.client, namespace: h.ns, port: 0, verifyDelayMs: [0, 0],
    engine: { controller: h.controller, render: { repositories: h.repositories, binaries: await ensureBinaries(), cacheDir: h.cacheDir, cache: h.cache }, compat: undefined } });
  const hash = await hashPassword('viewer-pass');
  const aliceHash = await hashPassword('alice-pass');
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  await h.client.patch({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'argocd-secret', namespace: h.ns } },
    { data: { 'accounts.viewer.password': b64(hash), 'accounts.alice.password': b64(aliceHash) } }, 'merge');
  const password = await readInitialAdminPassword(h.client, h.ns);
  assert.ok(password !== undefined && password.length === 16, 'an initial admin password was generated');
  adminToken = await login('admin', password);
  // The accounts are read from the watched Secret: wait until a login works.
  await eventually('viewer can log in', async () => ((await api('POST', '/api/v1/session', undefined, { username: 'viewer', password: 'viewer-pass' })).status === 200 ? true : undefined), 10_000);
});

after(async () => {
  await server?.close();
  await h?.close();
});

test('no token: 401 in Argo CD\'s error shape; version and userinfo stay public', async () => {
  const r = await api('GET', '/api/v1/applications');
  assert.equal(r.status, 401);
  assert.deepEqual(r.body, { error: 'no session information', code: 16, message: 'no session information' });
  assert.equal((await api('GET', '/api/v1/applications', 'not-a-token')).status, 401);
  const v = await api('GET', '/api/version');
  assert.equal(v.status, 200);
  assert.match(String(v.body['Version']), /capstan/);
  assert.deepEqual((await api('GET', '/api/v1/session/userinfo')).body, { loggedIn: false });
  const me = await api('GET', '/api/v1/session/userinfo', adminToken);
  assert.equal(me.body['username'], 'admin');
  assert.equal(me.body['loggedIn'], true);
  const bad = await api('POST', '/api/v1/session', undefined, { username: 'admin', password: 'wrong' });
  assert.equal(bad.status, 401);
  assert.equal(bad.body['message'], 'Invalid username or password');
  assert.equal((await api('GET', '/api/v1/nope', adminToken)).status, 404);
});

test('admin lists and gets apps; a readonly user may read but not sync', async () => {
  const list = await api('GET', '/api/v1/applications', adminToken);
  assert.equal(list.status, 200);
  assert.deepEqual((list.body['items'] as Array<{ metadata: { name: string } }>).map((a) => a.metadata.name), ['auto', 'other', 'web']);
  assert.equal((await api('GET', '/api/v1/applications?projects=team-b', adminToken)).body['items'] instanceof Array, true);
  const viewer = await login('viewer', 'viewer-pass');
  assert.equal((await api('GET', '/api/v1/applications/web', viewer)).status, 200);
  const sync = await api('POST', '/api/v1/applications/web/sync', viewer, {});
  assert.equal(sync.status, 403);
  assert.deepEqual(sync.body, { error: 'permission denied', code: 7, message: 'permission denied' });
  assert.equal((await api('GET', '/api/v1/applications/missing', viewer)).status, 403, 'a missing app is not told apart from a forbidden one');
  assert.equal((await api('GET', '/api/v1/applications/missing?project=default', adminToken)).status, 404);
});

test('a project-scoped user sees and syncs only its project', async () => {
  const alice = await login('alice', 'alice-pass');
  const list = await api('GET', '/api/v1/applications', alice);
  assert.deepEqual((list.body['items'] as Array<{ metadata: { name: string } }>).map((a) => a.metadata.name), ['web']);
  assert.equal((await api('GET', '/api/v1/applications/other', alice)).status, 403);
  assert.equal((await api('POST', '/api/v1/applications/other/sync', alice, {})).status, 403);
  assert.equal((await api('GET', '/api/v1/applications/other/resource-tree', alice)).status, 403);
  const projects = await api('GET', '/api/v1/projects', alice);
  assert.deepEqual((projects.body['items'] as Array<{ metadata: { name: string } }>).map((p) => p.metadata.name), ['team-a']);
  assert.equal((await api('GET', '/api/v1/account/can-i/applications/sync/team-a%2Fweb', alice)).body['value'], 'yes');
  assert.equal((await api('GET', '/api/v1/account/can-i/applications/sync/team-b%2Fother', alice)).body['value'], 'no');
});

test('a sync through the API runs a real sync; the tree and managed resources follow', async () => {
  const r = await api('POST', '/api/v1/applications/web/sync', adminToken, { prune: true });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal((r.body['operation'] as { initiatedBy: { username: string } }).initiatedBy.username, 'admin');
  const again = await api('POST', '/api/v1/applications/web/sync', adminToken, {});
  assert.equal(again.status, 400, 'a second sync while one runs is refused');
  assert.equal(again.body['code'], 9);
  const done = await h.finished('web');
  assert.equal(done.status?.operationState?.phase, 'Succeeded', JSON.stringify(done.status?.operationState));
  assert.ok(await h.get('v1', 'ConfigMap', destA, 'web-conf'), 'the ConfigMap was applied');
  const tree = await eventually('the ReplicaSet in the tree', async () => {
    const t = await api('GET', '/api/v1/applications/web/resource-tree', adminToken);
    const nodes = t.body['nodes'] as Array<{ kind: string; parentRefs?: Array<{ kind: string; name: string }>; health?: { status: string } }>;
    return nodes.some((n) => n.kind === 'ReplicaSet') ? nodes : undefined;
  }, 30_000);
  const rs = tree.find((n) => n.kind === 'ReplicaSet')!;
  assert.deepEqual(rs.parentRefs?.map((p) => `${p.kind}/${p.name}`), ['Deployment/web']);
  assert.ok(tree.some((n) => n.kind === 'Deployment' && n.health !== undefined));
  assert.ok(!JSON.stringify(tree).includes(secretValue));
  const managed = await api('GET', '/api/v1/applications/web/managed-resources', adminToken);
  assert.equal(managed.status, 200, JSON.stringify(managed.body));
  const items = managed.body['items'] as Array<{ kind: string; liveState: string; targetState: string; predictedLiveState: string }>;
  const secret = items.find((i) => i.kind === 'Secret')!;
  assert.ok(secret !== undefined && secret.liveState !== 'null', 'the Secret is listed with its live state');
  const text = JSON.stringify(managed.body);
  for (const leak of [secretValue, Buffer.from(secretValue).toString('base64')]) assert.ok(!text.includes(leak), 'no Secret value in managed-resources');
  assert.match(secret.liveState, /\+{8}/);
});

test('the stream delivers a change within a second', async () => {
  const events: Array<{ type: string; name: string; label?: string; at: number }> = [];
  const req = http.get(`${server.url}/api/v1/stream/applications?name=other`, { headers: { Authorization: `Bearer ${adminToken}` } });
  const res = await new Promise<http.IncomingMessage>((resolve) => req.on('response', resolve));
  assert.equal(res.statusCode, 200);
  onJsonLines<{ result: { type: string; application: { metadata: { name: string; labels?: Record<string, string> } } } }>(res, ({ result: e }) => {
    events.push({ type: e.type, name: e.application.metadata.name, ...(e.application.metadata.labels?.['touched'] ? { label: e.application.metadata.labels['touched'] } : {}), at: Date.now() });
  });
  try {
    await eventually('the initial ADDED event', () => (events.some((e) => e.type === 'ADDED' && e.name === 'other') ? true : undefined), 5_000);
    const changedAt = Date.now();
    await h.client.patch(h.ref('other'), { metadata: { labels: { touched: 'yes' } } }, 'merge');
    const seen = await eventually('the MODIFIED event', () => events.find((e) => e.type === 'MODIFIED' && e.label === 'yes'), 5_000, undefined, 10);
    assert.ok(seen.at - changedAt < 1000, `delivered after ${seen.at - changedAt} ms`);
    assert.ok(events.every((e) => e.name === 'other'), 'only the app asked for');
  } finally {
    req.destroy();
  }
});

test('rollback is refused under automated sync; terminate without an operation is refused; delete works', async () => {
  const r = await api('POST', '/api/v1/applications/auto/rollback', adminToken, { id: 0 });
  assert.equal(r.status, 400);
  assert.deepEqual(r.body, { error: 'rollback cannot be initiated when auto-sync is enabled', code: 9, message: 'rollback cannot be initiated when auto-sync is enabled' });
  await h.waitApp('other', 'compared', (a) => a.status?.sync?.status);
  const t = await api('DELETE', '/api/v1/applications/other/operation', adminToken);
  assert.equal(t.status, 400);
  assert.equal(t.body['message'], 'Unable to terminate operation. No operation is in progress');
  const viewer = await login('viewer', 'viewer-pass');
  assert.equal((await api('DELETE', '/api/v1/applications/other', viewer)).status, 403);
  assert.equal((await api('DELETE', '/api/v1/applications/other?cascade=false', adminToken)).status, 200);
  await eventually('other is gone', async () => ((await h.app('other')) === undefined ? true : undefined), 30_000);
});
