// Deleting Applications on a real cluster: with the resources finalizer
// (background form here) every object the app tracks goes — except those
// annotated Delete=false, and never an object the app does not track (an
// untracked one, or one carrying a copy of the app's tracking id); app-level
// Delete=false keeps everything; a controller that starts while an app is
// being deleted still finds and deletes the app's objects.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AppHarness, cmYaml, deploymentYaml } from '../harness/app-harness.ts';
import { eventually } from '../harness/eventually.ts';

let h: AppHarness;

before(async () => { h = await AppHarness.start('del'); });
after(async () => { await h.close(); });

const gone = (name: string) => eventually(`${name} deleted`, async () => ((await h.app(name)) === undefined ? true : undefined), 60_000);

test('cascade deletion removes what the app tracks, keeps Delete=false, and never touches what it does not track', async () => {
  const dest = h.dest('del-cascade');
  await h.createApp('cascade', { repo: h.repo({ 'app/a.yaml': cmYaml('a'), 'app/keep.yaml': cmYaml('keep', { k: 'v' }, { 'argocd.argoproj.io/sync-options': 'Delete=false' }),
    'app/web.yaml': deploymentYaml('web') }),
  dest, finalizers: ['resources-finalizer.argocd.argoproj.io/background'], syncPolicy: { syncOptions: ['CreateNamespace=true'] }, operation: { sync: {} } });
  await h.finished('cascade');
  await h.client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'untracked', namespace: dest }, data: {} });
  await h.client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'copied', namespace: dest,
    annotations: { 'argocd.argoproj.io/tracking-id': `cascade:/ConfigMap:${dest}/a` } }, data: {} });
  await h.client.delete(h.ref('cascade'));
  await gone('cascade');
  await eventually('the tracked objects deleted', async () => ((await h.get('v1', 'ConfigMap', dest, 'a')) === undefined
    && (await h.get('apps/v1', 'Deployment', dest, 'web')) === undefined ? true : undefined));
  for (const name of ['keep', 'untracked', 'copied']) assert.ok(await h.get('v1', 'ConfigMap', dest, name), `${name} stays`);
});

test('app-level Delete=false keeps every resource when the app is deleted', async () => {
  const dest = h.dest('del-keepall');
  await h.createApp('keep-all', { repo: h.repo({ 'app/a.yaml': cmYaml('a'), 'app/b.yaml': cmYaml('b') }), dest,
    finalizers: ['resources-finalizer.argocd.argoproj.io'], syncPolicy: { syncOptions: ['CreateNamespace=true', 'Delete=false'] }, operation: { sync: {} } });
  await h.finished('keep-all');
  await h.client.delete(h.ref('keep-all'));
  await gone('keep-all');
  for (const name of ['a', 'b']) assert.ok(await h.get('v1', 'ConfigMap', dest, name));
});

test('a controller that starts while an app is being deleted still deletes its resources', async () => {
  const dest = h.dest('del-restart');
  await h.createApp('restarted', { repo: h.repo({ 'app/a.yaml': cmYaml('a') }), dest,
    finalizers: ['resources-finalizer.argocd.argoproj.io'], syncPolicy: { syncOptions: ['CreateNamespace=true'] }, operation: { sync: {} } });
  await h.finished('restarted');
  await h.waitApp('restarted', 'resources in status', (a) => (a.status?.resources?.length ? a : undefined));
  await h.restartController(async () => { await h.client.delete(h.ref('restarted')); });
  await gone('restarted');
  assert.equal(await h.get('v1', 'ConfigMap', dest, 'a'), undefined);
});
