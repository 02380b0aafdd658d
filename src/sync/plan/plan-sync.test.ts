import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/kube-object.ts';
import { planSync, type PlanInput } from './plan-sync.ts';
import { decideApplyMode, decidePrune } from './task-actions.ts';
import { isPruneTask, taskObject, type SyncTask } from './sync-task.ts';
import { cm, deploy, job, obj } from './test-objects.ts';

const base = { namespace: 'app', revision: '0123456789abcdef', startedAtUnix: 1700000000 } as const;
const targets = (...objects: KubeObject[]) => objects.map((target) => ({ target }));
const label = (t: SyncTask): string => {
  const o = taskObject(t);
  return `${t.phase}/${t.wave}/${isPruneTask(t) ? 'prune:' : ''}${o.kind}/${o.metadata.name}`;
};
const plan = (input: Partial<PlanInput> & Pick<PlanInput, 'resources'>): string[] =>
  planSync({ ...base, ...input }).tasks.map(label);

test('order is phase, then wave, then kind, then name', () => {
  const got = plan({ resources: targets(
    deploy('web'), obj('v1', 'Service', 'web', {}, 'app'), cm('b'), cm('a'),
    obj('example.com/v1', 'Widget', 'w', {}, 'app'), obj('v1', 'ServiceAccount', 'sa', {}, 'app'),
    deploy('late', { 'argocd.argoproj.io/sync-wave': '2' }), cm('early', { 'argocd.argoproj.io/sync-wave': '-1' }),
    job('pre', { 'argocd.argoproj.io/hook': 'PreSync' }), job('post', { 'argocd.argoproj.io/hook': 'PostSync' }),
    job('fail', { 'argocd.argoproj.io/hook': 'SyncFail' }),
  ) });
  assert.deepEqual(got, [
    'PreSync/0/Job/pre',
    'Sync/-1/ConfigMap/early',
    'Sync/0/ServiceAccount/sa', 'Sync/0/ConfigMap/a', 'Sync/0/ConfigMap/b', 'Sync/0/Service/web',
    'Sync/0/Deployment/web', 'Sync/0/Widget/w',
    'Sync/2/Deployment/late',
    'PostSync/0/Job/post',
    'SyncFail/0/Job/fail',
  ]);
});

test('a namespace and a CRD move before their first dependent and take its phase and wave', () => {
  const crd = obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com',
    { 'argocd.argoproj.io/sync-wave': '5' }, undefined, { spec: { group: 'example.com', names: { kind: 'Widget' } } });
  const ns = obj('v1', 'Namespace', 'other', { 'argocd.argoproj.io/sync-wave': '3' });
  const got = plan({
    resources: targets(crd, ns, obj('example.com/v1', 'Widget', 'w', {}, 'app'), obj('v1', 'ConfigMap', 'c', {}, 'other')),
    isNamespaced: (o) => !['Namespace', 'CustomResourceDefinition'].includes(o.kind),
  });
  assert.deepEqual(got, ['Sync/0/Namespace/other', 'Sync/0/ConfigMap/c', 'Sync/0/CustomResourceDefinition/widgets.example.com', 'Sync/0/Widget/w']);
});

test('targets without a namespace get the destination namespace unless cluster-scoped', () => {
  const tasks = planSync({ ...base, resources: targets(obj('v1', 'ConfigMap', 'c'), obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'r')),
    isNamespaced: (o) => o.kind !== 'ClusterRole' }).tasks;
  const namespaces = Object.fromEntries(tasks.map((t) => [t.target?.kind, t.target?.metadata.namespace]));
  assert.deepEqual(namespaces, { ConfigMap: 'app', ClusterRole: undefined });
});

test('hooks get generated names and the hook finalizer; skipHooks leaves them out; Skip is never applied', () => {
  const resources = targets(
    { ...job('', { 'argocd.argoproj.io/hook': 'PreSync,PostSync' }), metadata: { generateName: 'migrate-', annotations: { 'argocd.argoproj.io/hook': 'PreSync,PostSync' } } },
    cm('skipped', { 'argocd.argoproj.io/hook': 'Skip' }), cm('kept'));
  const tasks = planSync({ ...base, resources }).tasks;
  assert.deepEqual(tasks.map(label), ['PreSync/0/Job/migrate-0123456-presync-1700000000', 'Sync/0/ConfigMap/kept',
    'PostSync/0/Job/migrate-0123456-postsync-1700000000']);
  assert.deepEqual(tasks[0]!.target?.metadata.finalizers, ['argocd.argoproj.io/hook-finalizer']);
  const tracked = planSync({ ...base, resources: [{ target: { apiVersion: 'batch/v1', kind: 'Job', metadata: { generateName: 'm-', namespace: 'app',
    annotations: { 'argocd.argoproj.io/hook': 'Sync', 'argocd.argoproj.io/tracking-id': 'shop:batch/Job:app/' } } } }] }).tasks[0]!;
  assert.equal(tracked.target?.metadata.annotations?.['argocd.argoproj.io/tracking-id'], 'shop:batch/Job:app/m-0123456-sync-1700000000');
  assert.equal(tasks[0]!.hook, true);
  assert.deepEqual(planSync({ ...base, resources, skipHooks: true }).tasks.map(label), ['Sync/0/ConfigMap/kept']);
});

test('a hook of a resumed operation finds its live object by its generated name', () => {
  const hook = { ...job('', { 'argocd.argoproj.io/hook': 'PreSync' }), metadata: { generateName: 'm-', annotations: { 'argocd.argoproj.io/hook': 'PreSync' } } };
  const live = { ...job('m-0123456-presync-1700000000', { 'argocd.argoproj.io/hook': 'PreSync' }) };
  const tasks = planSync({ ...base, resources: [{ target: hook }, { live }] }).tasks;
  assert.equal(tasks.length, 1, 'the live hook is not a prune candidate');
  assert.equal(tasks[0]!.live, live);
});

test('prune waves are mirrored so the last created goes first; PruneLast goes after the last Sync wave', () => {
  const live = (name: string, wave: string, extra: Record<string, string> = {}) => ({ live: cm(name, { 'argocd.argoproj.io/sync-wave': wave, ...extra }) });
  const resources = [live('w1', '1'), live('w2', '2'), live('w5', '5'), { target: deploy('keep', { 'argocd.argoproj.io/sync-wave': '3' }) },
    live('last', '0', { 'argocd.argoproj.io/sync-options': 'PruneLast=true' })];
  assert.deepEqual(plan({ resources }), ['Sync/0/prune:ConfigMap/w5', 'Sync/1/prune:ConfigMap/w2', 'Sync/2/prune:ConfigMap/w1',
    'Sync/3/Deployment/keep', 'Sync/6/prune:ConfigMap/last']);
  // The last Sync wave is taken after mirroring and counts prune tasks too ("last" mirrored to 5).
  assert.deepEqual(plan({ resources, syncOptions: ['PruneLast=true'] }),
    ['Sync/3/Deployment/keep', 'Sync/6/prune:ConfigMap/last', 'Sync/6/prune:ConfigMap/w1', 'Sync/6/prune:ConfigMap/w2', 'Sync/6/prune:ConfigMap/w5']);
});

test('CreateNamespace adds a PreSync Namespace task with managed metadata unless declared or up to date', () => {
  const options = ['CreateNamespace=true'];
  const meta = { labels: { team: 'a' } };
  const tasks = planSync({ ...base, resources: targets(cm('c')), syncOptions: options, managedNamespaceMetadata: meta }).tasks;
  assert.deepEqual(tasks.map(label), ['PreSync/0/Namespace/app', 'Sync/0/ConfigMap/c']);
  assert.deepEqual(tasks[0]!.target?.metadata.labels, { team: 'a' });
  const upToDate = obj('v1', 'Namespace', 'app');
  upToDate.metadata.labels = { team: 'a', other: 'x' };
  assert.deepEqual(plan({ resources: targets(cm('c')), syncOptions: options, managedNamespaceMetadata: meta, liveNamespace: upToDate }),
    ['Sync/0/ConfigMap/c']);
  assert.deepEqual(plan({ resources: targets(cm('c'), obj('v1', 'Namespace', 'app')), syncOptions: options }),
    ['Sync/0/Namespace/app', 'Sync/0/ConfigMap/c']);
  // A label the last sync set and the spec no longer has is removed by applying the namespace again.
  assert.deepEqual(plan({ resources: targets(cm('c')), syncOptions: options, managedNamespaceMetadata: { labels: { other: 'x' } },
    previousManagedNamespaceMetadata: { labels: { team: 'a', other: 'x' } }, liveNamespace: upToDate }),
  ['PreSync/0/Namespace/app', 'Sync/0/ConfigMap/c']);
});

test('a project that denies an object makes the plan invalid', () => {
  const denied = planSync({ ...base, resources: targets(cm('ok'), obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'r')),
    permissionError: (o) => (o.kind === 'ClusterRole' ? 'resource rbac.authorization.k8s.io:ClusterRole is not permitted in project p' : undefined) });
  assert.deepEqual(denied.errors.map((e) => e.message), ['resource rbac.authorization.k8s.io:ClusterRole is not permitted in project p']);
});

test('ApplyOutOfSyncOnly skips unchanged resources but keeps hooks and prunes', () => {
  const resources = [
    { target: cm('same'), live: cm('same'), modified: false }, { target: cm('changed'), live: cm('changed'), modified: true },
    { target: cm('new') }, { live: cm('gone') }, { target: job('h', { 'argocd.argoproj.io/hook': 'Sync' }) },
  ];
  assert.deepEqual(plan({ resources, syncOptions: ['ApplyOutOfSyncOnly=true'] }),
    ['Sync/0/ConfigMap/changed', 'Sync/0/prune:ConfigMap/gone', 'Sync/0/ConfigMap/new', 'Sync/0/Job/h']);
});

test('kinds the server does not serve: skip dry-run when the CRD is in the sync or allowed, else a plan error', () => {
  const widget = obj('example.com/v1', 'Widget', 'w', {}, 'app');
  const isServed = (o: KubeObject) => o.kind !== 'Widget';
  const bad = planSync({ ...base, resources: targets(widget), isServed });
  assert.equal(bad.errors.length, 1);
  assert.match(bad.errors[0]!.message, /no matches for kind "Widget" in version "example.com\/v1"/);
  const allowed = planSync({ ...base, resources: targets(widget), isServed, syncOptions: ['SkipDryRunOnMissingResource=true'] });
  assert.deepEqual([allowed.errors.length, allowed.tasks[0]!.skipDryRun], [0, true]);
  const crd = obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com', {}, undefined,
    { spec: { group: 'example.com', names: { kind: 'Widget' } } });
  const withCrd = planSync({ ...base, resources: targets(crd, widget), isServed });
  assert.deepEqual(withCrd.errors, []);
  assert.equal(withCrd.tasks.find((t) => t.target?.kind === 'Widget')!.skipDryRun, true);
});

test('selective sync includes only the chosen objects', () => {
  assert.deepEqual(plan({ resources: targets(cm('a'), cm('b')), include: (o) => o.metadata.name === 'b' }), ['Sync/0/ConfigMap/b']);
});

test('prune decisions: the operation flag, then Prune=false on the object or, when it says nothing, on the app', () => {
  const skipNoPrune = { action: 'skip', code: 'PruneSkipped', message: 'ignored (no prune)' };
  const cases: Array<{ name: string; live: KubeObject; prune: boolean; app?: string[]; want: unknown }> = [
    { name: 'prune off', live: cm('x'), prune: false, want: { action: 'skip', code: 'PruneSkipped', message: 'ignored (requires pruning)' } },
    { name: 'resource Prune=false', live: cm('x', { 'argocd.argoproj.io/sync-options': 'Prune=false' }), prune: true, want: skipNoPrune },
    { name: 'app Prune=false', live: cm('x'), prune: true, app: ['Prune=false'], want: skipNoPrune },
    { name: 'resource Prune=true overrides the app', live: cm('x', { 'argocd.argoproj.io/sync-options': 'Prune=true' }), prune: true,
      app: ['Prune=false'], want: { action: 'delete', dryRun: false } },
    { name: 'plain prune', live: cm('x'), prune: true, want: { action: 'delete', dryRun: false } },
  ];
  for (const c of cases) assert.deepEqual(decidePrune(c.live, c.prune, false, c.app), c.want, c.name);
  assert.deepEqual(decidePrune(cm('x'), true, true), { action: 'delete', dryRun: true });
});

test('apply modes: replace, force, validation, and the field manager ServerSideApply picks', () => {
  const mode = decideApplyMode(cm('x', { 'argocd.argoproj.io/sync-options': 'Replace=true, ServerSideApply=false' }),
    { appOptions: ['ServerSideApply=true', 'Validate=false'] });
  assert.deepEqual(mode, { replace: true, force: false, serverSideApplyOption: false, validate: false, fieldManager: 'capstan',
    migrateFrom: ['argocd-controller'] });
  assert.deepEqual(decideApplyMode(cm('x'), { appOptions: ['ServerSideApply=true'] }),
    { replace: false, force: false, serverSideApplyOption: true, validate: true, fieldManager: 'argocd-controller',
      migrateFrom: ['kubectl-client-side-apply', 'capstan'] });
  assert.deepEqual(decideApplyMode(cm('x', { 'argocd.argoproj.io/sync-options': 'ServerSideApply=true' }),
    { appOptions: ['ClientSideApplyMigration=false'] }).migrateFrom, []);
  assert.deepEqual(decideApplyMode(cm('x'), { appOptions: ['ServerSideApply=true'], clientSideApplyMigrationManager: 'my-tool' }).migrateFrom,
    ['my-tool', 'capstan']);
  assert.equal(decideApplyMode(cm('x', { 'argocd.argoproj.io/sync-options': 'Force=true' })).force, true);
  assert.equal(decideApplyMode(cm('x'), { strategyForce: true }).force, true);
});

test('objects in a namespace the sync creates skip the server dry run, except in the destination (created before it)', () => {
  const tasks = planSync({ ...base, resources: targets(obj('v1', 'Namespace', 'fresh'), obj('v1', 'ConfigMap', 'c', {}, 'fresh'), cm('elsewhere')) }).tasks;
  assert.deepEqual(tasks.map((t) => [t.target?.metadata.name, t.skipDryRun]), [['fresh', false], ['c', true], ['elsewhere', false]]);
  const dest = planSync({ ...base, resources: targets(cm('in-dest')), syncOptions: ['CreateNamespace=true'] }).tasks;
  assert.deepEqual(dest.map((t) => [t.target?.metadata.name, t.skipDryRun]), [['app', false], ['in-dest', false]]);
});
