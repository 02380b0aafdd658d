// Automated sync as Argo CD runs it, on a real cluster: without `prune` an
// extra resource stays and no sync starts; with `allowEmpty: false` emptying
// git refuses the sync (SyncError) and keeps everything; a resource the API
// server rejects fails that app's sync with the server's message, retried as
// `retry` says and then never again for that revision (no loop), while another
// app syncs on, and a fixed commit recovers by itself; self-heal reverts a
// manual edit by syncing only what drifted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AppHarness, cmYaml } from '../harness/app-harness.ts';
import { eventually } from '../harness/eventually.ts';

let h: AppHarness;

before(async () => { h = await AppHarness.start('auto'); });
after(async () => { await h.close(); });

const settled = (name: string) => h.waitApp(name, 'Synced with no operation', (a) =>
  (a.status?.sync?.status === 'Synced' && a.operation === undefined && a.status.operationState?.phase === 'Succeeded' ? a : undefined));

test('without automated prune an extra resource stays and no sync starts', async () => {
  const dest = h.dest('auto-noprune');
  const repo = h.repo({ 'app/a.yaml': cmYaml('a'), 'app/b.yaml': cmYaml('b') });
  await h.createApp('no-prune', { repo, dest, syncPolicy: { automated: { prune: false }, syncOptions: ['CreateNamespace=true'] } });
  const synced = await settled('no-prune');
  repo.commit({ 'app/b.yaml': undefined });
  await h.refresh('no-prune');
  const drifted = await h.waitApp('no-prune', 'OutOfSync with b to prune', (a) =>
    (a.status?.resources?.some((r) => r.name === 'b' && r.requiresPruning) ? a : undefined));
  assert.equal(drifted.status?.sync?.status, 'OutOfSync');
  await new Promise((r) => setTimeout(r, 1500));
  const later = await h.app('no-prune');
  assert.equal(later.status?.operationState?.startedAt, synced.status?.operationState?.startedAt, 'no new sync');
  assert.ok(await h.get('v1', 'ConfigMap', dest, 'b'));
});

test('allowEmpty: false refuses a sync that would prune everything', async () => {
  const dest = h.dest('auto-empty');
  const repo = h.repo({ 'app/a.yaml': cmYaml('a') });
  await h.createApp('not-empty', { repo, dest, syncPolicy: { automated: { prune: true }, syncOptions: ['CreateNamespace=true'] } });
  await settled('not-empty');
  const empty = repo.commit({ 'app/a.yaml': undefined, 'app/README.md': 'nothing to deploy\n' });
  await h.refresh('not-empty');
  const refused = await h.waitApp('not-empty', 'a SyncError', (a) => a.status?.conditions?.find((c) => c.type === 'SyncError'));
  assert.equal(refused.message, `Skipping sync attempt to [${empty}]: auto-sync will wipe out all resources`);
  assert.ok(await h.get('v1', 'ConfigMap', dest, 'a'), 'nothing was pruned');
});

test('a rejected resource fails its app with the server\'s message, is retried as told, then left alone; other apps sync on', { timeout: 120_000 }, async () => {
  const dest = h.dest('auto-rejected');
  const bad = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Not_A_Valid_Name\ndata: {k: v}\n';
  const repo = h.repo({ 'app/good.yaml': cmYaml('good'), 'app/bad.yaml': bad });
  const brokenRev = repo.git('rev-parse', 'HEAD');
  await h.createApp('rejected', { repo, dest, syncPolicy: { automated: { prune: true }, syncOptions: ['CreateNamespace=true'],
    retry: { limit: 1, backoff: { duration: '1s', factor: 2 } } } });
  await h.createApp('bystander', { repo: h.repo({ 'app/c.yaml': cmYaml('fine') }), dest: h.dest('auto-bystander'),
    syncPolicy: { automated: { prune: true }, syncOptions: ['CreateNamespace=true'] } });
  const retrying = await h.waitApp('rejected', 'retrying', (a) => (a.status?.operationState?.retryCount === 1 ? a : undefined));
  assert.match(retrying.status?.operationState?.message ?? '', /^one or more objects failed to apply \(dry run\)\. Retrying attempt #1 at \d{1,2}:\d\d[AP]M\.$/);
  const failed = await h.waitApp('rejected', 'failed for good', (a) => (a.operation === undefined && a.status?.operationState?.phase === 'Failed' ? a : undefined));
  assert.equal(failed.status?.operationState?.message, 'one or more objects failed to apply (dry run) (retried 1 times).');
  const result = failed.status?.operationState?.syncResult?.resources?.find((r) => r.name === 'Not_A_Valid_Name');
  assert.match(result?.message ?? '', /a lowercase RFC 1123 subdomain must consist of/, 'the API server\'s own message');
  const syncError = await h.waitApp('rejected', 'a SyncError', (a) => a.status?.conditions?.find((c) => c.type === 'SyncError'));
  assert.equal(syncError.message, `Failed last sync attempt to [${brokenRev}]: one or more objects failed to apply (dry run) (retried 1 times).`);
  assert.equal(await h.get('v1', 'ConfigMap', dest, 'good'), undefined, 'the whole plan was refused before any change');
  await new Promise((r) => setTimeout(r, 3000));
  assert.equal((await h.app('rejected')).status?.operationState?.startedAt, failed.status?.operationState?.startedAt, 'no retry loop on the same revision');
  await settled('bystander');

  repo.commit({ 'app/bad.yaml': undefined });
  await h.refresh('rejected');
  const fixed = await settled('rejected');
  assert.equal(fixed.status?.conditions?.some((c) => c.type === 'SyncError'), false);
  assert.ok(await h.get('v1', 'ConfigMap', dest, 'good'));
});

test('self-heal reverts a manual edit by syncing only what drifted', async () => {
  const dest = h.dest('auto-heal');
  await h.createApp('healer', { repo: h.repo({ 'app/a.yaml': cmYaml('a', { v: 'git' }), 'app/b.yaml': cmYaml('b', { v: 'git' }) }), dest,
    syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] } });
  const first = await settled('healer');
  await h.client.patch({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: dest } }, { data: { v: 'by-hand' } }, 'merge');
  const healed = await h.waitApp('healer', 'a self-heal', (a) =>
    (a.status?.operationState?.startedAt !== first.status?.operationState?.startedAt && a.operation === undefined
      && a.status?.operationState?.phase === 'Succeeded' ? a : undefined));
  const op = healed.status!.operationState!.operation.sync!;
  assert.deepEqual([op.autoHealAttemptsCount, op.resources], [1, [{ group: '', kind: 'ConfigMap', name: 'b' }]]);
  assert.deepEqual(healed.status?.operationState?.syncResult?.resources?.map((r) => r.name), ['b']);
  await eventually('reverted', async () => (((await h.get('v1', 'ConfigMap', dest, 'b'))?.['data'] as { v: string }).v === 'git' ? true : undefined));
  assert.equal(healed.status?.history?.length, 1, 'a self-heal is a selective sync: no history entry');
});
