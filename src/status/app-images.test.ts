import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/kube-object.ts';
import { treeImages } from './app-images.ts';

const obj = (apiVersion: string, kind: string, uid: string, owner?: string, spec?: Record<string, unknown>): KubeObject => ({
  apiVersion, kind, metadata: { name: uid, namespace: 'n', uid, ...(owner ? { ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: owner, uid: owner }] } : {}) },
  ...(spec ? { spec } : {}),
});
const podSpec = (...images: string[]) => ({ containers: images.map((image, i) => ({ name: `c${i}`, image })) });
const template = (image: string) => ({ replicas: 1, template: { spec: podSpec(image) } });

const deployment = obj('apps/v1', 'Deployment', 'web', undefined, template('web:2'));
const replicaSets = [obj('apps/v1', 'ReplicaSet', 'rs1', 'web', template('web:1')), obj('apps/v1', 'ReplicaSet', 'rs2', 'web', template('web:2'))];
const pods = [
  obj('v1', 'Pod', 'p1', 'rs1', { initContainers: [{ name: 'i', image: 'init:1' }], ...podSpec('web:1', 'sidecar:1') }),
  obj('v1', 'Pod', 'p2', 'rs2', podSpec('web:2', 'sidecar:1')),
  obj('v1', 'Pod', 'orphan', 'elsewhere', podSpec('orphan:1')),
];
const cronJob = obj('batch/v1', 'CronJob', 'cron', undefined, { jobTemplate: { spec: { template: { spec: podSpec('cron:1') } } } });
const job = obj('batch/v1', 'Job', 'job', 'cron', { template: { spec: podSpec('cron:1') } });
const jobPod = obj('v1', 'Pod', 'jp', 'job', podSpec('cron:1'));
const all = [deployment, ...replicaSets, ...pods, cronJob, job, jobPod];
const childrenOf = (uid: string): KubeObject[] => all.filter((o) => o.metadata.ownerReferences?.some((r) => r.uid === uid));

test('summary images come from the Pods under the managed objects, as Argo CD collects them', () => {
  const cases: Array<{ name: string; managed: KubeObject[]; want: string[] }> = [
    { name: 'a rollout: both ReplicaSets\' pods, init containers included, sorted and unique', managed: [deployment],
      want: ['init:1', 'sidecar:1', 'web:1', 'web:2'] },
    { name: 'a CronJob through its Job', managed: [cronJob], want: ['cron:1'] },
    { name: 'a managed Pod itself', managed: [pods[2]!], want: ['orphan:1'] },
    { name: 'templates alone add nothing (no pods yet, or scaled to zero)', managed: [obj('apps/v1', 'Deployment', 'idle', undefined, template('idle:1'))], want: [] },
    { name: 'pods no managed object owns are not the app\'s', managed: [cronJob, deployment], want: ['cron:1', 'init:1', 'sidecar:1', 'web:1', 'web:2'] },
    { name: 'nothing managed', managed: [], want: [] },
  ];
  for (const c of cases) assert.deepEqual(treeImages(c.managed, childrenOf), c.want, c.name);
});

test('an ownership cycle is walked once', () => {
  const a = obj('v1', 'Pod', 'a', 'b', podSpec('a:1'));
  const b = obj('v1', 'Pod', 'b', 'a', podSpec('b:1'));
  assert.deepEqual(treeImages([a], (uid) => [a, b].filter((o) => o.metadata.ownerReferences?.[0]?.uid === uid)), ['a:1', 'b:1']);
});
