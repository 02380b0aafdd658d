import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Application } from '../api/application.ts';
import type { KubeObject } from '../api/kube-object.ts';
import { ServerSideDiffer } from '../diff/server-side-diff.ts';
import { parseArgoCdConfigMap } from '../settings/argocd-cm.ts';
import { resourceChecks } from './resource-checks.ts';

const app = (ignoreDifferences?: Application['spec']['ignoreDifferences']): Application => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application',
  metadata: { name: 'a' }, spec: { project: 'default', destination: {}, ...(ignoreDifferences ? { ignoreDifferences } : {}) } });
// The dry run answers with the object it was given, as a server without defaults would.
const echo = () => new ServerSideDiffer(async (d) => d);

test('aggregated ClusterRoles: their rules are ignored when resource.compareoptions says so', async () => {
  const desired: KubeObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'view-all' },
    aggregationRule: { clusterRoleSelectors: [{ matchLabels: { agg: 'true' } }] } };
  const live: KubeObject = { ...desired, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] };
  const plain = resourceChecks(app(), parseArgoCdConfigMap({}).settings, echo());
  assert.equal((await plain.diff(desired, live)).modified, true);
  const aggregated = resourceChecks(app(), parseArgoCdConfigMap({ 'resource.compareoptions': 'ignoreAggregatedRoles: true' }).settings, echo());
  assert.equal((await aggregated.diff(desired, live)).modified, false);
});

test('RespectIgnoreDifferences keeps live values of ignored fields in the objects to apply', async () => {
  const checks = resourceChecks(app([{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }]), parseArgoCdConfigMap({}).settings, echo());
  const target: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'w', namespace: 'n' }, spec: { replicas: 1, paused: false } };
  const live: KubeObject = { ...target, metadata: { ...target.metadata, resourceVersion: '3', uid: 'u' }, spec: { replicas: 5, paused: true }, status: { replicas: 5 } };
  const [pair] = await checks.respectIgnoreDifferences([{ target, live }]);
  assert.deepEqual(pair!.target, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'w', namespace: 'n' }, spec: { replicas: 5, paused: false } });
});
