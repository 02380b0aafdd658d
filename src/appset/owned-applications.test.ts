import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Application } from '../api/application.ts';
import type { ApplicationSet } from '../api/application-set.ts';
import { loadCompat } from '../compat/load-compat.ts';
import type { EvalJq } from '../diff/jq.ts';
import { applicationToCreate, mergePatch, normalizeApplicationSpec, planApplicationUpdate, withControllerReference } from './owned-applications.ts';

let evalJq: EvalJq;
before(async () => { evalJq = (await loadCompat()).evalJqProgram; });

const set = (spec: Partial<ApplicationSet['spec']> = {}): ApplicationSet => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet',
  metadata: { name: 'set', namespace: 'argocd', uid: 'uid-1' }, spec: { generators: [], template: { metadata: {}, spec: { project: 'default', destination: {} } }, ...spec } });

const generated = (extra: Partial<Application['spec']> = {}, meta: Partial<Application['metadata']> = {}): Application => ({
  apiVersion: 'argoproj.io/v1alpha1', kind: 'Application',
  metadata: { name: 'app', namespace: 'argocd', labels: { team: 'a' }, finalizers: ['resources-finalizer.argocd.argoproj.io'], ...meta },
  spec: { project: 'default', source: { repoURL: 'r', path: 'p' }, destination: { server: 'https://kubernetes.default.svc', namespace: 'ns' },
    syncPolicy: { automated: { prune: true } }, ...extra },
});

const live = (app: Application): Application => ({ ...applicationToCreate(app, set()), metadata: { ...applicationToCreate(app, set()).metadata, uid: 'u', resourceVersion: '7' },
  status: { sync: { status: 'Synced' } } });

test('a new Application is owned by the ApplicationSet, with a normalized spec', () => {
  const app = applicationToCreate(generated({ project: '', source: { repoURL: 'r', path: 'p', helm: {} }, syncPolicy: {} }), set());
  assert.deepEqual(app.metadata.ownerReferences, [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', name: 'set', uid: 'uid-1', controller: true, blockOwnerDeletion: true }]);
  assert.equal(app.spec.project, 'default');
  assert.deepEqual(app.spec.source, { repoURL: 'r', path: 'p' });
  assert.equal(app.spec.syncPolicy, undefined);
});

test('an unchanged Application needs no write; a changed one a merge patch of what changed', () => {
  const current = live(generated());
  assert.deepEqual(planApplicationUpdate(generated(), current, set()), { action: 'none' });
  const write = planApplicationUpdate(generated({ destination: { server: 'https://kubernetes.default.svc', namespace: 'other' } }, { labels: {} }), current, set());
  assert.deepEqual(write, { action: 'patch', patch: { metadata: { labels: null }, spec: { destination: { namespace: 'other' } } } });
});

test('preserved annotations and labels, the refresh annotation and post-delete finalizers survive an update', () => {
  const current = live(generated());
  current.metadata.annotations = { 'argocd.argoproj.io/refresh': 'normal', 'keep.me/x': '1', 'drop.me/y': '2', 'notified.notifications.argoproj.io': '{}' };
  current.metadata.labels = { team: 'a', 'owner.label': 'z' };
  current.metadata.finalizers = ['resources-finalizer.argocd.argoproj.io', 'post-delete-finalizer.argocd.argoproj.io/cleanup'];
  const write = planApplicationUpdate(generated(), current, set({ preservedFields: { annotations: ['keep.me/x'], labels: ['owner.label'] } }));
  assert.deepEqual(write, { action: 'patch', patch: { metadata: { annotations: { 'drop.me/y': null } } } });
});

test('ignoreApplicationDifferences: the ignored fields keep their live values (pointers and jq, per name)', () => {
  const current = live(generated());
  current.spec.syncPolicy = { automated: { prune: false, selfHeal: true } };
  current.spec.source!.targetRevision = 'hand-set';
  const rules = (entries: NonNullable<ApplicationSet['spec']['ignoreApplicationDifferences']>) => set({ ignoreApplicationDifferences: entries });
  assert.deepEqual(planApplicationUpdate(generated(), current, rules([{ jsonPointers: ['/spec/syncPolicy'] }])),
    { action: 'patch', patch: { spec: { source: { targetRevision: null } } } });
  assert.deepEqual(planApplicationUpdate(generated(), current, rules([{ jsonPointers: ['/spec/syncPolicy', '/spec/source/targetRevision'] }])), { action: 'none' });
  assert.deepEqual(planApplicationUpdate(generated(), current, rules([{ jqPathExpressions: ['.spec.syncPolicy', '.spec.source.targetRevision'] }]), { evalJq }),
    { action: 'none' });
  assert.notDeepEqual(planApplicationUpdate(generated(), current, rules([{ name: 'other', jsonPointers: ['/spec/syncPolicy', '/spec/source/targetRevision'] }])),
    { action: 'none' }, 'a rule for another Application does not apply');
});

test('an Application owned by another controller is an error; an unowned one is adopted', () => {
  const other = live(generated());
  other.metadata.ownerReferences = [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', name: 'other', uid: 'x', controller: true }];
  assert.throws(() => planApplicationUpdate(generated(), other, set()), /Application argocd\/app is already owned by another controller: ApplicationSet other/);
  const unowned = live(generated());
  delete unowned.metadata.ownerReferences;
  const write = planApplicationUpdate(generated(), unowned, set());
  assert.equal(write.action, 'patch');
  assert.deepEqual((write as unknown as { patch: { metadata: { ownerReferences: unknown } } }).patch.metadata.ownerReferences, withControllerReference(unowned, set()));
});

test('nulls in the desired spec (Helm valuesObject) mean a full update, not a merge patch', () => {
  const current = live(generated());
  const write = planApplicationUpdate(generated({ source: { repoURL: 'r', path: 'p', helm: { valuesObject: { unset: null } } } }), current, set());
  assert.equal(write.action, 'replace');
  assert.equal((write as { object: Application }).object.metadata.resourceVersion, '7', 'the update carries the live resourceVersion');
});

test('merge patches: objects recursively, lists whole, removed keys null', () => {
  assert.equal(mergePatch({ a: 1, b: [1, 2] }, { a: 1, b: [1, 2] }), undefined);
  assert.deepEqual(mergePatch({ a: 1, b: [1, 2], c: { d: 1, e: 2 } }, { a: 2, b: [1], c: { d: 1 } }), { a: 2, b: [1], c: { e: null } });
  assert.deepEqual(normalizeApplicationSpec({ project: '', destination: {}, sources: [{ repoURL: 'r', kustomize: {} }] }),
    { project: 'default', destination: {}, sources: [{ repoURL: 'r' }] });
});
