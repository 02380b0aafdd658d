// Operations requested through `operation`, on a real cluster: terminate a
// sync that waits on a running hook (`capstan app terminate-op`); a dry run
// changes nothing and records no history; a selective sync (resources) and
// the apply strategy skip hooks, and a selective sync records no history; a
// manual sync with `retry` backs off and gives up after its limit; a sync of
// an app whose project does not exist, or whose destination the project
// denies, is refused with InvalidSpecError; orphaned resources raise
// OrphanedResourceWarning when the project asks for it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { AppHarness, cmYaml } from '../harness/app-harness.ts';
import { eventually } from '../harness/eventually.ts';

let h: AppHarness;
const run = promisify(execFile);

before(async () => { h = await AppHarness.start('ops'); });
after(async () => { await h.close(); });

async function capstan(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [path.resolve('bin/capstan.js'), ...args, '--kubeconfig', h.cluster.kubeconfigPath, '-n', h.ns], { timeout: 60_000 });
    return { code: 0, ...r };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const hookJob = `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: forever\n  annotations:\n    argocd.argoproj.io/hook: PreSync\nspec:
  template:\n    spec:\n      restartPolicy: Never\n      nodeSelector: {capstan.dev/nowhere: "true"}\n      containers: [{name: w, image: "example/wait:1"}]\n`;

// The hook's pod can never be scheduled, so the Job runs until it is stopped.
test('terminate-op stops a sync waiting on a running hook: the hook is deleted and the operation fails', { timeout: 120_000 }, async () => {
  const dest = h.dest('ops-terminate');
  await h.createApp('terminate', { repo: h.repo({ 'app/hook.yaml': hookJob, 'app/cm.yaml': cmYaml('after-hook') }), dest,
    syncPolicy: { syncOptions: ['CreateNamespace=true'] }, operation: { sync: {} } });
  await h.waitApp('terminate', 'waiting on the hook', (a) =>
    (/waiting for completion of hook batch\/Job\/forever/.test(a.status?.operationState?.message ?? '') ? a : undefined));
  const out = await capstan('app', 'terminate-op', 'terminate');
  assert.equal(out.code, 0, out.stderr);
  const done = await h.finished('terminate');
  assert.deepEqual([done.status?.operationState?.phase, done.status?.operationState?.message], ['Failed', 'Operation terminated']);
  const hook = done.status?.operationState?.syncResult?.resources?.find((r) => r.name === 'forever');
  assert.deepEqual([hook?.hookPhase, hook?.message], ['Succeeded', 'Deleted']);
  await eventually('the hook Job deleted', async () => ((await h.get('batch/v1', 'Job', dest, 'forever')) === undefined ? true : undefined));
  assert.equal(await h.get('v1', 'ConfigMap', dest, 'after-hook'), undefined, 'nothing after the hook ran');
  assert.equal((await capstan('app', 'terminate-op', 'terminate')).code, 1, 'nothing left to terminate');
});

test('a dry run changes nothing and records no history', async () => {
  const dest = h.dest('ops-dry');
  await h.createApp('dry', { repo: h.repo({ 'app/a.yaml': cmYaml('a') }), dest,
    syncPolicy: { syncOptions: ['CreateNamespace=true'] }, operation: { sync: { dryRun: true } } });
  const done = await h.finished('dry');
  assert.equal(done.status?.operationState?.phase, 'Succeeded');
  assert.deepEqual(done.status?.operationState?.syncResult?.resources?.map((r) => `${r.kind}/${r.name}:${r.hookPhase}`),
    [`Namespace/${dest}:Succeeded`, 'ConfigMap/a:Succeeded']);
  assert.equal(await h.get('v1', 'Namespace', undefined, dest), undefined, 'not even the namespace is created');
  assert.equal(done.status?.history, undefined);
  assert.equal(await h.get('v1', 'ConfigMap', dest, 'a'), undefined);
});

test('a selective sync and the apply strategy skip hooks; only a full sync is history', async () => {
  const dest = h.dest('ops-select');
  const repo = h.repo({ 'app/a.yaml': cmYaml('a'), 'app/b.yaml': cmYaml('b'),
    'app/hook.yaml': cmYaml('hook', { k: 'v' }, { 'argocd.argoproj.io/hook': 'PostSync' }) });
  await h.createApp('select', { repo, dest, syncPolicy: { syncOptions: ['CreateNamespace=true'] },
    operation: { sync: { resources: [{ group: '', kind: 'ConfigMap', name: 'a' }] } } });
  const selective = await h.finished('select');
  assert.deepEqual(selective.status?.operationState?.syncResult?.resources?.filter((r) => r.kind === 'ConfigMap').map((r) => r.name), ['a']);
  assert.equal(selective.status?.history, undefined, 'a selective sync is not history');
  assert.equal(await h.get('v1', 'ConfigMap', dest, 'b'), undefined);
  await h.sync('select', { syncStrategy: { apply: { force: false } } });
  const applied = await h.waitApp('select', 'the apply-strategy sync', (a) => (a.operation === undefined && a.status?.history?.length === 1 ? a : undefined));
  assert.ok(await h.get('v1', 'ConfigMap', dest, 'b'));
  assert.equal(applied.status?.operationState?.syncResult?.resources?.some((r) => r.hookType), false);
  assert.equal(await h.get('v1', 'ConfigMap', dest, 'hook'), undefined, 'no hook with the apply strategy');
  await h.sync('select');
  await h.waitApp('select', 'the hook sync', (a) => (a.operation === undefined && a.status?.history?.length === 2 ? a : undefined));
  assert.ok(await h.get('v1', 'ConfigMap', dest, 'hook'), 'the default hook strategy runs hooks');
});

test('a manual sync with retry backs off between attempts and gives up after its limit', { timeout: 60_000 }, async () => {
  const dest = h.dest('ops-retry');
  const bad = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\ndata: {k: v}\n';
  await h.createApp('retry', { repo: h.repo({ 'app/bad.yaml': bad }), dest, syncPolicy: { syncOptions: ['CreateNamespace=true'] },
    operation: { sync: {}, retry: { limit: 2, backoff: { duration: '1s', factor: 2 } } } });
  const seen: number[] = [];
  const done = await eventually('the retries used up', async () => {
    const a = await h.app('retry');
    const n = a.status?.operationState?.retryCount ?? 0;
    if (!seen.includes(n)) seen.push(n);
    return a.operation === undefined && a.status?.operationState?.phase === 'Failed' ? a : undefined;
  }, 30_000, undefined, 50);
  assert.deepEqual(seen.filter((n) => n > 0), [1, 2]);
  assert.match(done.status?.operationState?.message ?? '', /\(retried 2 times\)\.$/);
  const took = Date.parse(done.status!.operationState!.finishedAt!) - Date.parse(done.status!.operationState!.startedAt);
  assert.ok(took >= 2500, `two backoffs of 1 s and 2 s (took ${took} ms)`);
});

test('InvalidSpecError for a missing project or a destination the project denies; the operation is refused', async () => {
  const dest = h.dest('ops-project');
  await h.client.create({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'narrow', namespace: h.ns },
    spec: { sourceRepos: ['*'], destinations: [{ server: '*', namespace: 'only-this-one' }], orphanedResources: { warn: true } } });
  await h.createApp('no-project', { repo: h.repo({ 'app/a.yaml': cmYaml('a') }), dest, project: 'missing', operation: { sync: {} } });
  await h.createApp('denied', { repo: h.repo({ 'app/a.yaml': cmYaml('a') }), dest, project: 'narrow', operation: { sync: {} } });
  const missing = await h.finished('no-project');
  assert.deepEqual([missing.status?.operationState?.phase, missing.status?.operationState?.message],
    ['Error', 'InvalidSpecError: Application referencing project missing which does not exist']);
  assert.equal(missing.status?.conditions?.[0]?.type, 'InvalidSpecError');
  assert.deepEqual([missing.status?.sync?.status, missing.status?.health?.status], ['Unknown', 'Unknown']);
  const denied = await h.finished('denied');
  assert.equal(denied.status?.operationState?.phase, 'Error');
  assert.equal(denied.status?.conditions?.find((c) => c.type === 'InvalidSpecError')?.message,
    `application destination server 'https://kubernetes.default.svc' and namespace '${dest}' do not match any of the allowed destinations in project 'narrow'`);
  assert.equal(await h.get('v1', 'ConfigMap', dest, 'a'), undefined);
});

test('OrphanedResourceWarning counts untracked top-level objects in the destination when the project monitors them', async () => {
  const dest = h.dest('ops-orphans');
  await h.client.create({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'watchful', namespace: h.ns },
    spec: { sourceRepos: ['*'], destinations: [{ server: '*', namespace: '*' }], clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
      orphanedResources: { warn: true, ignore: [{ kind: 'ConfigMap', name: 'ignored-*' }] } } });
  await h.createApp('orphans', { repo: h.repo({ 'app/a.yaml': cmYaml('a') }), dest, project: 'watchful',
    syncPolicy: { automated: {}, syncOptions: ['CreateNamespace=true'] } });
  await h.waitApp('orphans', 'Synced', (a) => (a.status?.sync?.status === 'Synced' ? a : undefined));
  for (const name of ['stray-1', 'stray-2', 'ignored-x']) {
    await h.client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: dest }, data: {} });
  }
  await h.refresh('orphans');
  const warned = await h.waitApp('orphans', 'the warning', (a) => a.status?.conditions?.find((c) => c.type === 'OrphanedResourceWarning'));
  assert.equal(warned.message, 'Application has 2 orphaned resources', 'kube-root-ca.crt, the tracked object and the ignored one do not count');
});
