import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppProject, AppProjectSpec } from '../api/app-project.ts';
import type { Application } from '../api/application.ts';
import type { KubeObject } from '../api/kube-object.ts';
import { isLiveResourcePermitted } from '../project/permissions.ts';
import { resolveAppDestination } from './app-destination.ts';
import type { Comparison } from './compare-app-state.ts';
import { permittedLive, syncWindowDecision, windowRecheckDelay, withUnpermittedUnknown } from './project-scope.ts';

const k8s = 'https://kubernetes.default.svc';
const proj = (spec: AppProjectSpec): AppProject => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'p' }, spec });
const obj = (apiVersion: string, kind: string, name: string, namespace?: string): KubeObject =>
  ({ apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } });

test("the live filter answers as IsLiveResourcePermitted, object by object, while remembering kinds and namespaces", () => {
  const spec: AppProjectSpec = { destinations: [{ server: k8s, namespace: 'team-*' }],
    clusterResourceWhitelist: [{ group: '', kind: 'Namespace', name: 'team-*' }], namespaceResourceBlacklist: [{ group: '', kind: 'Secret' }] };
  const dest = { server: k8s, name: 'in-cluster' };
  const objects = [
    obj('v1', 'ConfigMap', 'a', 'team-a'), obj('v1', 'ConfigMap', 'b', 'team-a'), obj('v1', 'ConfigMap', 'c', 'other'),
    obj('v1', 'Secret', 's', 'team-a'), obj('v1', 'Namespace', 'team-a'), obj('v1', 'Namespace', 'kube-system'),
    obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'r'), obj('apps/v1', 'Deployment', 'd', 'team-b'), obj('v1', 'ConfigMap', 'e', 'other'),
  ];
  const keep = permittedLive(proj(spec), dest);
  const want = objects.map((o) => isLiveResourcePermitted(spec, { group: o.apiVersion.includes('/') ? o.apiVersion.split('/')[0]! : '', kind: o.kind,
    name: o.metadata.name!, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) }, dest));
  assert.deepEqual(objects.map(keep), want);
  assert.deepEqual(want, [true, true, false, false, true, false, false, true, false]);
  assert.equal(permittedLive(undefined, dest)(objects[2]!), true, 'without a project (spec error) nothing is filtered here');
});

test('desired objects of kinds the project does not permit are Unknown; hooks keep no status', () => {
  const comparison: Comparison = { syncStatus: 'OutOfSync', pairs: [], resources: [
    { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'a', name: 'c', status: 'OutOfSync' },
    { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole', name: 'r', status: 'OutOfSync' },
    { group: 'example.com', version: 'v1', kind: 'Widget', namespace: 'a', name: 'w', status: 'OutOfSync' },
    { group: 'batch', version: 'v1', kind: 'Job', namespace: 'a', name: 'hook', hook: true },
  ] };
  const served = (v: string, k: string): boolean | undefined => ({ 'v1/ConfigMap': true, 'rbac.authorization.k8s.io/v1/ClusterRole': false,
    'batch/v1/Job': true } as Record<string, boolean>)[`${v}/${k}`];
  const out = withUnpermittedUnknown(comparison, proj({ clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }] }), served);
  assert.deepEqual(out.resources.map((r) => r.status), ['OutOfSync', 'Unknown', 'Unknown', undefined],
    'a kind discovery does not know is checked as cluster-scoped');
  assert.equal(out.syncStatus, 'OutOfSync');
  assert.equal(withUnpermittedUnknown(comparison, proj({ clusterResourceWhitelist: [{ group: '*', kind: '*' }] }), served), comparison);
});

test('sync windows for an app, and when to look again', () => {
  const app = { metadata: { name: 'shop', namespace: 'argocd' },
    spec: { project: 'p', destination: { server: k8s, namespace: 'shop' } } } as unknown as Application;
  const now = Date.parse('2026-01-15T21:30:00Z');
  const p = proj({ syncWindows: [{ kind: 'deny', schedule: '0 22 * * *', duration: '1h', timeZone: 'Europe/Amsterdam', namespaces: ['shop'], manualSync: true }] });
  const auto = syncWindowDecision(p, app, false, now);
  assert.equal(auto.allowed, false);
  assert.equal(syncWindowDecision(p, app, true, now).allowed, true);
  assert.equal(windowRecheckDelay(auto, now), 300_000, 'the window closes in 30 min: looked at again within 5 min');
  assert.equal(windowRecheckDelay({ allowed: false, recheckAtMs: now + 10 }, now), 1000);
  assert.equal(windowRecheckDelay({ allowed: false, error: 'x' }, now), 60_000);
  assert.equal(syncWindowDecision(undefined, app, false, now).allowed, true);
});

test('destinations resolve to server and name (without cluster Secrets, only the in-cluster one)', () => {
  const app = (destination: Record<string, string>): Application => ({ metadata: { name: 'a' }, spec: { project: 'p', destination } }) as unknown as Application;
  const local = { server: k8s, name: 'in-cluster' };
  assert.deepEqual(resolveAppDestination(app({ server: k8s, namespace: 'x' })).resolved, local);
  assert.deepEqual(resolveAppDestination(app({ name: 'in-cluster' })).resolved, local);
  assert.deepEqual(resolveAppDestination(app({ namespace: 'x' })), { error: 'Destination server missing from app spec' });
  assert.deepEqual(resolveAppDestination(app({ name: 'in-cluster', server: k8s })),
    { error: `application destination can't have both name and server defined: in-cluster ${k8s}` });
  assert.equal(resolveAppDestination(app({ server: 'https://elsewhere' })).error,
    'error getting cluster by server "https://elsewhere": rpc error: code = NotFound desc = cluster "https://elsewhere" not found');
});
