// Prune=confirm and Delete=confirm on a real cluster, as Argo CD: a sync that
// would prune a Prune=confirm object stays Running with "Waiting for pruning
// confirmation of …" and deletes nothing until the app's
// argocd.argoproj.io/deletion-approved annotation is newer than the operation;
// deleting an app that tracks a Delete=confirm object deletes nothing, and
// keeps the app, until the annotation is newer than its deletion.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AppHarness, cmYaml } from '../harness/app-harness.ts';
import { eventually } from '../harness/eventually.ts';
import { confirmDeletion } from '../../src/controller/app-operations.ts';

let h: AppHarness;

before(async () => { h = await AppHarness.start('confirm'); });
after(async () => { await h.close(); });

// As `capstan app confirm-deletion NAME` (and `argocd app confirm-deletion`): the annotation set to now.
const approve = async (name: string) => { await confirmDeletion(h.client, await h.app(name)); };

test('a prune of a Prune=confirm object waits for the deletion-approved annotation; nothing is pruned before', async () => {
  const dest = h.dest('confirm-prune');
  const repo = h.repo({ 'app/guarded.yaml': cmYaml('guarded', {}, { 'argocd.argoproj.io/sync-options': 'Prune=confirm' }), 'app/plain.yaml': cmYaml('plain'),
    'app/stays.yaml': cmYaml('stays') });
  await h.createApp('prune', { repo, dest, syncPolicy: { syncOptions: ['CreateNamespace=true'] }, operation: { sync: {} } });
  await h.finished('prune');
  repo.commit({ 'app/guarded.yaml': undefined, 'app/plain.yaml': undefined });
  await h.refresh('prune');
  await h.waitApp('prune', 'OutOfSync', (a) => (a.status?.sync?.status === 'OutOfSync' ? a : undefined));
  await h.sync('prune', { prune: true });
  const waiting = await h.waitApp('prune', 'waiting for confirmation', (a) => (a.status?.operationState?.message?.startsWith('Waiting') ? a : undefined));
  assert.equal(waiting.status?.operationState?.phase, 'Running');
  assert.equal(waiting.status?.operationState?.message, 'Waiting for pruning confirmation of v1/ConfigMap/guarded');
  await h.controller.idle();
  for (const name of ['guarded', 'plain']) assert.ok(await h.get('v1', 'ConfigMap', dest, name), `${name} is still there`);
  await approve('prune');
  const done = await h.finished('prune');
  assert.equal(done.status?.operationState?.phase, 'Succeeded');
  for (const name of ['guarded', 'plain']) assert.equal(await h.get('v1', 'ConfigMap', dest, name), undefined, `${name} pruned`);
  assert.ok(await h.get('v1', 'ConfigMap', dest, 'stays'));
});

test('deleting an app that tracks a Delete=confirm object waits for the approval, then deletes everything', async () => {
  const dest = h.dest('confirm-delete');
  await h.createApp('guarded-app', { repo: h.repo({ 'app/db.yaml': cmYaml('db', {}, { 'argocd.argoproj.io/sync-options': 'Delete=confirm' }), 'app/web.yaml': cmYaml('web') }),
    dest, finalizers: ['resources-finalizer.argocd.argoproj.io'], syncPolicy: { syncOptions: ['CreateNamespace=true'] }, operation: { sync: {} } });
  await h.finished('guarded-app');
  const synced = await h.waitApp('guarded-app', 'resources in status', (a) => (a.status?.resources?.length === 2 ? a : undefined));
  assert.deepEqual(synced.status?.resources?.map((r) => [r.name, r.requiresDeletionConfirmation ?? false]), [['db', true], ['web', false]],
    'status marks what needs a confirmation');
  await h.client.delete(h.ref('guarded-app'));
  await h.waitApp('guarded-app', 'being deleted', (a) => (a.metadata.deletionTimestamp ? a : undefined));
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await h.controller.idle();
  assert.ok(await h.app('guarded-app'), 'the app waits');
  for (const name of ['db', 'web']) assert.ok(await h.get('v1', 'ConfigMap', dest, name), `${name} is not deleted before the approval`);
  await approve('guarded-app');
  await eventually('the app gone', async () => ((await h.app('guarded-app')) === undefined ? true : undefined), 30_000);
  for (const name of ['db', 'web']) assert.equal(await h.get('v1', 'ConfigMap', dest, name), undefined, `${name} deleted`);
});
