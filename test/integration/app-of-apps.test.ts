// App of apps on a real cluster: a parent Application renders three child
// Applications in waves 0, 1 and 2; each child syncs itself (automated), and
// the parent's next wave waits for the child's health (Argo CD's documented
// Application health check) — the first child's Deployment only becomes
// healthy once kwok may run its pod, and until then the second child does not
// even exist. Cascade deletion of the parent removes the children and, through
// their finalizers, their resources.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Application } from '../../src/api/application.ts';
import { AppHarness, cmYaml, gatedDeploymentYaml, openGate } from '../harness/app-harness.ts';
import { eventually } from '../harness/eventually.ts';

let h: AppHarness;
const gate = `capstan.dev/aoa-${process.pid}`;

before(async () => { h = await AppHarness.start('aoa'); });
after(async () => {
  await openGate(h.client, gate, false).catch(() => undefined);
  await h.close();
});

test('a parent syncs three child Applications wave by wave, each gated by the previous child\'s health', { timeout: 180_000 }, async () => {
  const dests = [0, 1, 2].map((i) => h.dest(`aoa-child-${i}`));
  const child = (i: number, repoDir: string): string => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: child-${i}
  namespace: ${h.ns}
  annotations:
    argocd.argoproj.io/sync-wave: "${i}"
  finalizers: [resources-finalizer.argocd.argoproj.io]
spec:
  project: default
  source: {repoURL: ${repoDir}, targetRevision: HEAD, path: c${i}}
  destination: {server: https://kubernetes.default.svc, namespace: ${dests[i]}}
  syncPolicy:
    automated: {prune: true, selfHeal: true}
    syncOptions: [CreateNamespace=true]
`;
  const children = h.repo({ 'c0/web.yaml': gatedDeploymentYaml('web', gate), 'c1/c.yaml': cmYaml('one'), 'c2/c.yaml': cmYaml('two') });
  const parentRepo = h.repo({ 'apps/child-0.yaml': child(0, children.dir), 'apps/child-1.yaml': child(1, children.dir),
    'apps/child-2.yaml': child(2, children.dir) });
  await h.createApp('parent', { repo: parentRepo, path: 'apps', dest: h.ns, finalizers: ['resources-finalizer.argocd.argoproj.io'],
    syncPolicy: { automated: { prune: true, selfHeal: true } } });

  const first = await h.waitApp('parent', 'waiting on child-0', (a) =>
    (/waiting for healthy state of argoproj.io\/Application\/child-0/.test(a.status?.operationState?.message ?? '') ? a : undefined), 60_000);
  assert.ok(first);
  await h.waitApp('child-0', 'child-0 syncing its gated Deployment', (a) =>
    (a.status?.operationState !== undefined && a.status.health?.status !== 'Healthy' ? a : undefined));
  await new Promise((r) => setTimeout(r, 3000));
  assert.equal(await h.app('child-1'), undefined, 'wave 1 waits while child-0 is not healthy');

  await openGate(h.client, gate);
  const created: Record<string, number> = {};
  await eventually('every child Synced and Healthy', async () => {
    const all = await Promise.all([0, 1, 2].map((i) => h.app(`child-${i}`)));
    all.forEach((a, i) => { if (a && created[`child-${i}`] === undefined) created[`child-${i}`] = Date.now(); });
    return all.every((a: Application | undefined) => a?.status?.sync?.status === 'Synced' && a.status.health?.status === 'Healthy') ? all : undefined;
  }, 120_000);
  assert.ok(created['child-1']! <= created['child-2']!, 'child-2 came after child-1');
  const c0 = await h.app('child-0');
  const c1 = await h.app('child-1');
  const c2 = await h.app('child-2');
  const c0Healthy = Date.parse(c0.status!.health!.lastTransitionTime!);
  assert.ok(Date.parse(c1.metadata.creationTimestamp!) >= c0Healthy - 1000, 'child-1 was created once child-0 was healthy');
  assert.ok(Date.parse(c2.metadata.creationTimestamp!) >= Date.parse(c1.metadata.creationTimestamp!), 'child-2 after child-1');
  const parent = await h.waitApp('parent', 'parent Synced and Healthy', (a) =>
    (a.status?.sync?.status === 'Synced' && a.status.health?.status === 'Healthy' && a.operation === undefined ? a : undefined));
  assert.deepEqual(parent.status?.resources?.map((r) => `${r.kind}/${r.name}:${r.health?.status}`),
    ['Application/child-0:Healthy', 'Application/child-1:Healthy', 'Application/child-2:Healthy']);
  assert.ok(await h.get('v1', 'ConfigMap', dests[2], 'two'));

  await h.client.delete(h.ref('parent'));
  await eventually('children and their resources gone', async () => {
    const left = await Promise.all([h.app('parent'), h.app('child-0'), h.app('child-1'), h.app('child-2'),
      h.get('v1', 'ConfigMap', dests[1]!, 'one'), h.get('apps/v1', 'Deployment', dests[0]!, 'web')]);
    return left.every((x) => x === undefined) ? true : undefined;
  }, 90_000);
});
