// Waves and hooks on a real cluster: a wave waits until the Deployment of the
// previous one is healthy (kwok runs its pod once the node is labelled), with
// the wave delay in between; hook delete policies (HookSucceeded,
// BeforeHookCreation by default, HookFailed); Helm hook annotations mapped to
// Argo CD's phases, weights and delete policies, Helm test hooks never run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AppHarness, cmYaml, gatedDeploymentYaml, openGate } from '../harness/app-harness.ts';
import { eventually } from '../harness/eventually.ts';

let h: AppHarness;
const gates: string[] = [];
const waveDelayMs = 1500;

before(async () => { h = await AppHarness.start('waves', { waveDelayMs }); });
after(async () => {
  for (const g of gates) await openGate(h.client, g, false).catch(() => undefined);
  await h.close();
});

test('a wave waits until the Deployment of the previous wave is healthy', { timeout: 120_000 }, async () => {
  const dest = h.dest('wave-gate');
  const gate = `capstan.dev/wave-${process.pid}`;
  gates.push(gate);
  await h.createApp('gated', { repo: h.repo({ 'app/web.yaml': gatedDeploymentYaml('web', gate),
    'app/after.yaml': cmYaml('after', { k: 'v' }, { 'argocd.argoproj.io/sync-wave': '1' }) }), dest,
  syncPolicy: { syncOptions: ['CreateNamespace=true'] }, operation: { sync: {} } });
  await h.waitApp('gated', 'waiting on the Deployment', (a) =>
    (a.status?.operationState?.message === 'waiting for healthy state of apps/Deployment/web' ? a : undefined));
  await new Promise((r) => setTimeout(r, 2 * waveDelayMs));
  assert.equal(await h.get('v1', 'ConfigMap', dest, 'after'), undefined, 'wave 1 waits while wave 0 is Progressing');
  await openGate(h.client, gate);
  const done = await h.finished('gated', 90_000);
  assert.equal(done.status?.operationState?.phase, 'Succeeded');
  const web = await h.get('apps/v1', 'Deployment', dest, 'web');
  assert.equal((web?.['status'] as { availableReplicas?: number }).availableReplicas, 1);
  const after = await h.get('v1', 'ConfigMap', dest, 'after');
  const availableAt = (web?.['status'] as { conditions: Array<{ type: string; lastTransitionTime: string }> }).conditions
    .find((c) => c.type === 'Available')!.lastTransitionTime;
  assert.ok(Date.parse(after!.metadata.creationTimestamp!) >= Date.parse(availableAt), 'wave 1 was created once wave 0 was available');
});

test('the wave delay follows each applied wave but the last (Argo CD: 2 s, ARGOCD_SYNC_WAVE_DELAY)', async () => {
  const dest = h.dest('wave-delay');
  await h.createApp('delayed', { repo: h.repo({ 'app/a.yaml': cmYaml('first'),
    'app/b.yaml': cmYaml('second', { k: 'v' }, { 'argocd.argoproj.io/sync-wave': '1' }) }), dest,
  syncPolicy: { syncOptions: ['CreateNamespace=true'] }, operation: { sync: {} } });
  const first = await eventually('wave 0 applied', async () => ((await h.get('v1', 'ConfigMap', dest, 'first')) ? Date.now() : undefined), 30_000, undefined, 20);
  const second = await eventually('wave 1 applied', async () => ((await h.get('v1', 'ConfigMap', dest, 'second')) ? Date.now() : undefined), 30_000, undefined, 20);
  assert.ok(second - first >= waveDelayMs - 300, `wave 1 came ${second - first} ms after wave 0`);
  const done = await h.finished('delayed');
  assert.ok(Date.parse(done.status!.operationState!.finishedAt!) - second < waveDelayMs, 'no delay after the last wave');
});

const hookCm = (name: string, annotations: Record<string, string>): string => cmYaml(name, { k: 'v' }, annotations);

test('hook delete policies: HookSucceeded deletes after success, BeforeHookCreation recreates on the next sync', async () => {
  const dest = h.dest('hook-policies');
  await h.createApp('policies', { repo: h.repo({
    'app/pre.yaml': hookCm('pre-ok', { 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded' }),
    'app/each.yaml': hookCm('every-sync', { 'argocd.argoproj.io/hook': 'Sync' }),
    'app/cm.yaml': cmYaml('plain'),
  }), dest, syncPolicy: { syncOptions: ['CreateNamespace=true'] }, operation: { sync: {} } });
  const first = await h.finished('policies');
  assert.equal(first.status?.operationState?.phase, 'Succeeded', first.status?.operationState?.message);
  const hooks = Object.fromEntries((first.status?.operationState?.syncResult?.resources ?? []).filter((r) => r.hookType).map((r) => [r.name, `${r.hookType}:${r.hookPhase}`]));
  assert.deepEqual(hooks, { 'pre-ok': 'PreSync:Succeeded', 'every-sync': 'Sync:Succeeded' });
  await eventually('the HookSucceeded hook deleted', async () => ((await h.get('v1', 'ConfigMap', dest, 'pre-ok')) === undefined ? true : undefined));
  const before = await h.get('v1', 'ConfigMap', dest, 'every-sync');
  assert.deepEqual(before?.metadata.finalizers ?? [], [], 'the hook finalizer is removed once the hook completed');
  await h.sync('policies');
  await h.waitApp('policies', 'the second sync', (a) => (a.operation === undefined && a.status?.history?.length === 2 ? a : undefined));
  const afterSync = await h.get('v1', 'ConfigMap', dest, 'every-sync');
  assert.ok(afterSync && afterSync.metadata.uid !== before?.metadata.uid, 'deleted before being created again');
});

test('HookFailed deletes a failed hook once the operation failed', { timeout: 120_000 }, async () => {
  const dest = h.dest('hook-failed');
  const failingJob = `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: doomed\n  annotations:\n    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: HookFailed\nspec:\n  activeDeadlineSeconds: 2\n  backoffLimit: 0\n  template:\n    spec:
      restartPolicy: Never\n      nodeSelector: {capstan.dev/nowhere: "true"}\n      containers: [{name: m, image: "example/migrate:1"}]\n`;
  await h.createApp('hook-failed', { repo: h.repo({ 'app/job.yaml': failingJob, 'app/cm.yaml': cmYaml('never') }), dest,
    syncPolicy: { syncOptions: ['CreateNamespace=true'] }, operation: { sync: {} } });
  const failed = await h.finished('hook-failed', 90_000);
  assert.equal(failed.status?.operationState?.phase, 'Failed');
  assert.equal(failed.status?.operationState?.syncResult?.resources?.find((r) => r.name === 'doomed')?.hookPhase, 'Failed');
  await eventually('the failed hook deleted', async () => ((await h.get('batch/v1', 'Job', dest, 'doomed')) === undefined ? true : undefined));
  assert.equal(await h.get('v1', 'ConfigMap', dest, 'never'), undefined);
});

test('Helm hooks run in Argo CD\'s phases with their weights and delete policies; test hooks never run', async () => {
  const dest = h.dest('helm-hooks');
  const t = (name: string, annotations: Record<string, string>) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  annotations:\n${Object.entries(annotations)
    .map(([k, v]) => `    "${k}": "${v}"`).join('\n')}\ndata: {release: {{ .Release.Name | quote }}}\n`;
  await h.createApp('helm-hooks', { repo: h.repo({
    'app/Chart.yaml': 'apiVersion: v2\nname: hooks\nversion: 0.1.0\n',
    'app/templates/pre.yaml': t('pre-install', { 'helm.sh/hook': 'pre-install', 'helm.sh/hook-weight': '-1', 'helm.sh/hook-delete-policy': 'hook-succeeded' }),
    'app/templates/pre2.yaml': t('pre-upgrade', { 'helm.sh/hook': 'pre-upgrade' }),
    'app/templates/post.yaml': t('post-install', { 'helm.sh/hook': 'post-install,post-upgrade' }),
    'app/templates/test.yaml': t('helm-test', { 'helm.sh/hook': 'test' }),
    'app/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: main\ndata: {k: v}\n',
  }), dest, syncPolicy: { syncOptions: ['CreateNamespace=true'] }, operation: { sync: {} } });
  const done = await h.finished('helm-hooks');
  assert.equal(done.status?.operationState?.phase, 'Succeeded', done.status?.operationState?.message);
  const results = (done.status?.operationState?.syncResult?.resources ?? []).filter((r) => r.kind === 'ConfigMap').map((r) => `${r.syncPhase}:${r.name}`);
  assert.deepEqual(results, ['PreSync:pre-install', 'PreSync:pre-upgrade', 'Sync:main', 'PostSync:post-install'], 'phases, weight -1 first');
  await eventually('the hook-succeeded hook deleted', async () => ((await h.get('v1', 'ConfigMap', dest, 'pre-install')) === undefined ? true : undefined));
  assert.ok(await h.get('v1', 'ConfigMap', dest, 'post-install'));
  assert.equal(await h.get('v1', 'ConfigMap', dest, 'helm-test'), undefined);
});
