// AppProjects enforced on a real cluster, with Argo CD's conditions and
// messages: a destination namespace the project forbids (InvalidSpecError,
// nothing created, nothing pruned when a project narrows under a running
// app), a cluster-scoped kind the project does not whitelist (that resource's
// sync fails, the sync applies nothing; a tracked live object of a kind the
// project stops permitting is left alone), a deny sync window (automated and
// manual syncs held, manualSync lets a manual one through, syncing resumes
// when the window goes), and a project that does not exist (reported, then
// picked up once it is created).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Application } from '../../src/api/application.ts';
import type { AppProjectSpec } from '../../src/api/app-project.ts';
import { assertManualSyncAllowed, windowLines } from '../../src/cli/commands/app-client.ts';
import { AppHarness, cmYaml } from '../harness/app-harness.ts';

let h: AppHarness;
const clusterRoles: string[] = [];
const k8s = 'https://kubernetes.default.svc';

before(async () => { h = await AppHarness.start('proj'); });
after(async () => {
  for (const name of clusterRoles) {
    await h.client.delete({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name } }).catch(() => undefined);
  }
  await h.close();
});

async function project(name: string, spec: AppProjectSpec): Promise<void> {
  await h.client.apply({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name, namespace: h.ns }, spec } as never,
    { fieldManager: 'test', force: true });
}

const conditionsOf = (a: Application): Array<[string, string]> => (a.status?.conditions ?? []).map((c) => [c.type, c.message]);
const clusterRoleYaml = (name: string): string =>
  `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: ${name}\nrules: []\n`;

test('a destination namespace the project forbids: InvalidSpecError, nothing created, and nothing pruned when the project narrows', async () => {
  const allowed = h.dest('team-ok');
  const forbidden = h.dest('other');
  await project('team', { sourceRepos: ['*'], destinations: [{ server: k8s, namespace: 'team-*' }],
    clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }] });
  const repo = h.repo({ 'app/c.yaml': cmYaml('c') });
  const automated = { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] };
  await h.createApp('forbidden-dest', { repo, dest: forbidden, project: 'team', syncPolicy: automated });
  const message = `application destination server '${k8s}' and namespace '${forbidden}' do not match any of the allowed destinations in project 'team'`;
  const invalid = await h.waitApp('forbidden-dest', 'InvalidSpecError', (a) =>
    (a.status?.conditions ?? []).some((c) => c.type === 'InvalidSpecError') ? a : undefined);
  assert.deepEqual(conditionsOf(invalid), [['InvalidSpecError', message]]);
  assert.deepEqual([invalid.status?.sync?.status, invalid.status?.health?.status], ['Unknown', 'Unknown']);
  await h.sync('forbidden-dest');
  const refused = await h.finished('forbidden-dest');
  assert.deepEqual([refused.status?.operationState?.phase, refused.status?.operationState?.message], ['Error', `InvalidSpecError: ${message}`]);
  assert.equal(await h.get('v1', 'Namespace', undefined, forbidden), undefined, 'the forbidden namespace is not created');

  // An app running in a permitted namespace, then the project stops permitting it: reported, and nothing is pruned.
  await h.createApp('narrowed', { repo, dest: allowed, project: 'team', syncPolicy: automated });
  await h.waitApp('narrowed', 'Synced', (a) => (a.status?.sync?.status === 'Synced' ? a : undefined));
  assert.ok(await h.get('v1', 'ConfigMap', allowed, 'c'));
  await project('team', { sourceRepos: ['*'], destinations: [{ server: k8s, namespace: 'nothing-*' }],
    clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }] });
  repo.commit({ 'app/c.yaml': undefined, 'app/d.yaml': cmYaml('d') });
  await h.refresh('narrowed');
  const narrowed = await h.waitApp('narrowed', 'InvalidSpecError after the project changed', (a) =>
    (a.status?.conditions ?? []).some((c) => c.type === 'InvalidSpecError') ? a : undefined);
  assert.equal(narrowed.status?.sync?.status, 'Unknown');
  await new Promise((r) => setTimeout(r, 1500));
  assert.ok(await h.get('v1', 'ConfigMap', allowed, 'c'), 'nothing is pruned because of the spec error');
  assert.equal(await h.get('v1', 'ConfigMap', allowed, 'd'), undefined, 'nothing is synced either');
});

test('a cluster-scoped kind the project does not whitelist fails that resource, the sync applies nothing, and a live one it stops permitting is left alone', async () => {
  const dest = h.dest('kinds');
  const role = `proj-role-${process.pid}`;
  const kept = `proj-kept-${process.pid}`;
  clusterRoles.push(role, kept);
  await project('kinds', { sourceRepos: ['*'], destinations: [{ server: '*', namespace: '*' }],
    clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }] });
  const repo = h.repo({ 'app/c.yaml': cmYaml('c'), 'app/role.yaml': clusterRoleYaml(role) });
  await h.createApp('kinds', { repo, dest, project: 'kinds', syncPolicy: { syncOptions: ['CreateNamespace=true'] }, operation: { sync: {} } });
  const done = await h.finished('kinds');
  assert.deepEqual([done.status?.operationState?.phase, done.status?.operationState?.message], ['Failed', 'one or more synchronization tasks are not valid']);
  const result = done.status?.operationState?.syncResult?.resources?.find((r) => r.kind === 'ClusterRole');
  assert.deepEqual([result?.status, result?.message], ['SyncFailed', `resource rbac.authorization.k8s.io:ClusterRole is not permitted in project kinds`]);
  assert.equal(await h.get('rbac.authorization.k8s.io/v1', 'ClusterRole', undefined, role), undefined);
  assert.equal(await h.get('v1', 'ConfigMap', dest, 'c'), undefined, 'the sync fails before any change');
  const status = await h.waitApp('kinds', 'the ClusterRole Unknown', (a) =>
    a.status?.resources?.find((r) => r.kind === 'ClusterRole')?.status === 'Unknown' ? a : undefined);
  assert.equal(status.status?.resources?.find((r) => r.kind === 'ConfigMap')?.status, 'OutOfSync');

  // Permitted, synced; then no longer permitted and gone from git: the live ClusterRole is not the app's, so it is not pruned.
  await project('kinds', { sourceRepos: ['*'], destinations: [{ server: '*', namespace: '*' }], clusterResourceWhitelist: [{ group: '*', kind: '*' }] });
  repo.commit({ 'app/role.yaml': undefined, 'app/kept.yaml': clusterRoleYaml(kept) });
  await h.refresh('kinds');
  await h.waitApp('kinds', 'the new commit compared', (a) => a.status?.resources?.some((r) => r.name === kept) ? a : undefined);
  await h.sync('kinds', { prune: true });
  assert.equal((await h.finished('kinds')).status?.operationState?.phase, 'Succeeded');
  assert.ok(await h.get('rbac.authorization.k8s.io/v1', 'ClusterRole', undefined, kept));
  await project('kinds', { sourceRepos: ['*'], destinations: [{ server: '*', namespace: '*' }],
    clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }] });
  repo.commit({ 'app/kept.yaml': undefined });
  await h.refresh('kinds');
  const after = await h.waitApp('kinds', 'the ClusterRole no longer part of the app', (a) =>
    a.status?.sync?.status === 'Synced' && !a.status.resources?.some((r) => r.kind === 'ClusterRole') ? a : undefined);
  assert.equal(after.status?.sync?.status, 'Synced');
  await h.sync('kinds', { prune: true });
  assert.equal((await h.finished('kinds')).status?.operationState?.phase, 'Succeeded');
  assert.ok(await h.get('rbac.authorization.k8s.io/v1', 'ClusterRole', undefined, kept), 'a live object the project does not permit is never pruned');
});

test('a deny sync window holds automated and manual syncs, manualSync lets a manual one through, and syncing resumes when the window goes', async () => {
  const dest = h.dest('window');
  const deny = { kind: 'deny', schedule: '* * * * *', duration: '1h', applications: ['windowed'] };
  const spec = (windows: AppProjectSpec['syncWindows']): AppProjectSpec => ({ sourceRepos: ['*'], destinations: [{ server: '*', namespace: '*' }],
    clusterResourceWhitelist: [{ group: '*', kind: '*' }], ...(windows ? { syncWindows: windows } : {}) });
  await project('windows', spec([deny]));
  const repo = h.repo({ 'app/c.yaml': cmYaml('c') });
  await h.createApp('windowed', { repo, dest, project: 'windows',
    syncPolicy: { automated: { prune: true }, syncOptions: ['CreateNamespace=true'] } });
  const held = await h.waitApp('windowed', 'compared', (a) => (a.status?.sync?.status === 'OutOfSync' ? a : undefined));
  await new Promise((r) => setTimeout(r, 1500));
  const still = await h.app('windowed');
  assert.equal(still.operation, undefined, 'no automated sync inside a deny window');
  assert.equal(still.status?.operationState, undefined);
  assert.equal(await h.get('v1', 'ConfigMap', dest, 'c'), undefined);
  assert.equal(held.status?.sync?.status, 'OutOfSync');

  await assert.rejects(assertManualSyncAllowed(h.client, still), { message: 'cannot sync: blocked by sync window' });
  assert.deepEqual(await windowLines(h.client, still), { state: 'Sync Denied', assigned: ['deny:* * * * *:1h'] }, 'as capstan app get shows it');
  await h.sync('windowed');
  const blocked = await h.waitApp('windowed', 'the manual sync held', (a) =>
    a.status?.operationState?.message === 'Sync operation blocked by sync window' ? a : undefined);
  assert.equal(blocked.status?.operationState?.phase, 'Running');
  assert.ok(blocked.operation, 'the operation waits');
  assert.equal(await h.get('v1', 'ConfigMap', dest, 'c'), undefined);

  await project('windows', spec([{ ...deny, manualSync: true }]));
  const manual = await h.finished('windowed');
  assert.equal(manual.status?.operationState?.phase, 'Succeeded', manual.status?.operationState?.message);
  assert.ok(await h.get('v1', 'ConfigMap', dest, 'c'));
  await assertManualSyncAllowed(h.client, manual);
  assert.deepEqual(await windowLines(h.client, manual), { state: 'Manual Allowed', assigned: ['deny:* * * * *:1h'] });

  repo.commit({ 'app/c.yaml': cmYaml('c', { k: 'v2' }) });
  await h.refresh('windowed');
  await h.waitApp('windowed', 'OutOfSync at the new commit', (a) => (a.status?.sync?.status === 'OutOfSync' ? a : undefined));
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal((await h.get('v1', 'ConfigMap', dest, 'c'))?.['data']?.['k' as never], 'v', 'manualSync does not let automated syncs through');

  await project('windows', spec(undefined));
  await h.waitApp('windowed', 'synced once the window is gone', (a) => (a.status?.sync?.status === 'Synced' ? a : undefined));
  assert.deepEqual((await h.get('v1', 'ConfigMap', dest, 'c'))?.['data'], { k: 'v2' });
  assert.equal(await windowLines(h.client, await h.app('windowed')), undefined);
});

test('an app referencing a project that does not exist is reported, and picked up once the project is created', async () => {
  const dest = h.dest('noproj');
  await h.createApp('orphan-app', { repo: h.repo({ 'app/c.yaml': cmYaml('c') }), dest, project: `missing-${process.pid}`,
    syncPolicy: { automated: {}, syncOptions: ['CreateNamespace=true'] } });
  const missing = await h.waitApp('orphan-app', 'InvalidSpecError', (a) =>
    (a.status?.conditions ?? []).some((c) => c.type === 'InvalidSpecError') ? a : undefined);
  assert.deepEqual(conditionsOf(missing), [['InvalidSpecError', `Application referencing project missing-${process.pid} which does not exist`]]);
  assert.deepEqual([missing.status?.sync?.status, missing.status?.health?.status], ['Unknown', 'Unknown']);
  await assert.rejects(assertManualSyncAllowed(h.client, missing), { message: `application references project missing-${process.pid} which does not exist` });
  await project(`missing-${process.pid}`, { sourceRepos: ['*'], destinations: [{ server: '*', namespace: '*' }],
    clusterResourceWhitelist: [{ group: '*', kind: '*' }] });
  const synced = await h.waitApp('orphan-app', 'Synced once the project exists', (a) => (a.status?.sync?.status === 'Synced' ? a : undefined));
  assert.deepEqual(conditionsOf(synced), []);
});
