import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/kube-object.ts';
import { aggregateAppHealth } from './app-health.ts';
import { assessBuiltinHealth } from './builtin-health.ts';

const o = (apiVersion: string, kind: string, spec: unknown, status: unknown, meta: Record<string, unknown> = {}): KubeObject =>
  ({ apiVersion, kind, metadata: { name: 'x', generation: 1, ...meta }, spec, status } as KubeObject);

test('built-in health checks', () => {
  const cases: Array<{ name: string; obj: KubeObject; want: string | undefined; message?: RegExp }> = [
    { name: 'deployment available', want: 'Healthy', obj: o('apps/v1', 'Deployment', { replicas: 2 }, { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2 }) },
    { name: 'deployment rolling', want: 'Progressing', message: /1 of 2 updated replicas are available/, obj: o('apps/v1', 'Deployment', { replicas: 2 }, { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 1 }) },
    { name: 'deployment not observed', want: 'Progressing', message: /observed deployment generation/, obj: o('apps/v1', 'Deployment', {}, {}, { generation: 2 }) },
    { name: 'deployment paused', want: 'Suspended', obj: o('apps/v1', 'Deployment', { paused: true }, {}) },
    { name: 'deployment deadline', want: 'Degraded', message: /exceeded its progress deadline/, obj: o('apps/v1', 'Deployment', {}, { observedGeneration: 1, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] }) },
    { name: 'statefulset ready', want: 'Healthy', obj: o('apps/v1', 'StatefulSet', { replicas: 1 }, { observedGeneration: 1, readyReplicas: 1, currentRevision: 'a', updateRevision: 'a' }) },
    { name: 'statefulset waiting', want: 'Progressing', obj: o('apps/v1', 'StatefulSet', { replicas: 2 }, { observedGeneration: 1, readyReplicas: 1 }) },
    { name: 'daemonset', want: 'Healthy', obj: o('apps/v1', 'DaemonSet', {}, { observedGeneration: 1, desiredNumberScheduled: 2, updatedNumberScheduled: 2, numberAvailable: 2 }) },
    { name: 'replicaset failure', want: 'Degraded', obj: o('apps/v1', 'ReplicaSet', {}, { conditions: [{ type: 'ReplicaFailure', status: 'True', message: 'quota' }] }) },
    { name: 'pod running ready', want: 'Healthy', obj: o('v1', 'Pod', {}, { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] }) },
    { name: 'pod crashloop', want: 'Degraded', obj: o('v1', 'Pod', {}, { phase: 'Running', containerStatuses: [{ state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off' } } }] }) },
    { name: 'pod pending', want: 'Progressing', obj: o('v1', 'Pod', {}, { phase: 'Pending' }) },
    { name: 'pod failed', want: 'Degraded', obj: o('v1', 'Pod', {}, { phase: 'Failed', message: 'evicted' }) },
    { name: 'job complete', want: 'Healthy', obj: o('batch/v1', 'Job', {}, { conditions: [{ type: 'Complete', status: 'True' }] }) },
    { name: 'job failed', want: 'Degraded', message: /backoff/, obj: o('batch/v1', 'Job', {}, { conditions: [{ type: 'Failed', status: 'True', message: 'reached backoff limit' }] }) },
    { name: 'job running', want: 'Progressing', obj: o('batch/v1', 'Job', {}, {}) },
    { name: 'pvc bound', want: 'Healthy', obj: o('v1', 'PersistentVolumeClaim', {}, { phase: 'Bound' }) },
    { name: 'lb pending', want: 'Progressing', obj: o('v1', 'Service', { type: 'LoadBalancer' }, {}) },
    { name: 'cluster ip', want: 'Healthy', obj: o('v1', 'Service', { type: 'ClusterIP' }, {}) },
    { name: 'ingress without address', want: 'Progressing', obj: o('networking.k8s.io/v1', 'Ingress', {}, {}) },
    { name: 'hpa', want: 'Healthy', obj: o('autoscaling/v2', 'HorizontalPodAutoscaler', {}, { conditions: [{ type: 'AbleToScale', status: 'True' }] }) },
    { name: 'child app', want: 'Degraded', obj: o('argoproj.io/v1alpha1', 'Application', {}, { health: { status: 'Degraded' } }) },
    { name: 'child app without health yet', want: 'Progressing', obj: o('argoproj.io/v1alpha1', 'Application', {}, {}) },
    { name: 'child app syncing', want: 'Progressing', obj: o('argoproj.io/v1alpha1', 'Application', {},
      { health: { status: 'Healthy' }, operationState: { phase: 'Running' } }) },
    { name: 'child app compared to an older source', want: 'Progressing', obj: o('argoproj.io/v1alpha1', 'Application',
      { source: { repoURL: 'r', targetRevision: 'v2' }, destination: { namespace: 'n' } },
      { health: { status: 'Healthy' }, sync: { comparedTo: { source: { repoURL: 'r', targetRevision: 'v1' }, destination: { namespace: 'n' } } } }) },
    { name: 'child app up to date', want: 'Healthy', obj: o('argoproj.io/v1alpha1', 'Application',
      { source: { targetRevision: 'v2', repoURL: 'r' }, destination: { namespace: 'n' } },
      { health: { status: 'Healthy' }, sync: { comparedTo: { source: { repoURL: 'r', targetRevision: 'v2' }, destination: { namespace: 'n' } } } }) },
    { name: 'configmap has none', want: undefined, obj: o('v1', 'ConfigMap', undefined, undefined) },
    { name: 'deleting', want: 'Progressing', message: /Pending deletion/, obj: o('v1', 'ConfigMap', undefined, undefined, { deletionTimestamp: 'now' }) },
  ];
  for (const c of cases) {
    const h = assessBuiltinHealth(c.obj);
    assert.equal(h?.status, c.want, c.name);
    if (c.message) assert.match(h?.message ?? '', c.message, c.name);
  }
});

test('app health is the worst counted resource; Missing only when nothing exists', () => {
  const r = (status: 'Healthy' | 'Progressing' | 'Degraded' | 'Unknown', extra: Partial<Parameters<typeof aggregateAppHealth>[0][number]> = {}) =>
    ({ kind: 'Deployment', group: 'apps', hook: false, live: true, health: { status }, ...extra });
  assert.equal(aggregateAppHealth([r('Healthy'), r('Progressing')]).status, 'Progressing');
  assert.equal(aggregateAppHealth([r('Healthy'), r('Degraded', { hook: true })]).status, 'Healthy');
  assert.equal(aggregateAppHealth([r('Healthy'), r('Degraded', { live: false })]).status, 'Healthy', 'a resource not yet live does not count');
  assert.equal(aggregateAppHealth([r('Healthy', { live: false })]).status, 'Missing');
  assert.equal(aggregateAppHealth([r('Unknown', { kind: 'Application', group: 'argoproj.io' })]).status, 'Healthy');
  assert.equal(aggregateAppHealth([]).status, 'Healthy');
});
