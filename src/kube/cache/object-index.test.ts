import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/kube-object.ts';
import { ObjectIndex } from './object-index.ts';
import { formatTrackingId, parseTrackingId, trackedAppOf } from './tracking.ts';

function obj(kind: string, name: string, extra: Partial<KubeObject['metadata']> = {}, apiVersion = 'apps/v1'): KubeObject {
  return { apiVersion, kind, metadata: { name, namespace: 'ns', uid: `uid-${name}`, ...extra } };
}
const tracked = (app: string, o: KubeObject): KubeObject =>
  ({ ...o, metadata: { ...o.metadata, annotations: { ...o.metadata.annotations, 'argocd.argoproj.io/tracking-id': formatTrackingId(app, o) } } });

test('tracking ids: format, parse, and only self-referencing ids count', () => {
  const d = obj('Deployment', 'web');
  assert.equal(formatTrackingId('shop', d), 'shop:apps/Deployment:ns/web');
  assert.equal(formatTrackingId('a', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } }), 'a:/Namespace:/x');
  assert.deepEqual(parseTrackingId('a:/ConfigMap:ns/cm'), { appName: 'a', group: '', kind: 'ConfigMap', namespace: 'ns', name: 'cm' });
  assert.equal(trackedAppOf(tracked('shop', d)), 'shop');
  const copied = { ...d, metadata: { ...d.metadata, name: 'web-copy', annotations: { 'argocd.argoproj.io/tracking-id': 'shop:apps/Deployment:ns/web' } } };
  assert.equal(trackedAppOf(copied), undefined);
  const clusterScoped = { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g',
    annotations: { 'argocd.argoproj.io/tracking-id': 'shop:example.com/Gadget:dest/g' } } };
  assert.equal(trackedAppOf(clusterScoped), 'shop', 'a cluster-scoped object matches whatever namespace the id names');
  const movedNamespace = { ...d, metadata: { ...d.metadata, namespace: 'other', annotations: { 'argocd.argoproj.io/tracking-id': 'shop:apps/Deployment:ns/web' } } };
  assert.equal(trackedAppOf(movedNamespace), undefined);
  const labelled = { ...d, metadata: { ...d.metadata, labels: { 'app.kubernetes.io/instance': 'shop' } } };
  assert.equal(trackedAppOf(labelled, { method: 'label' }), 'shop');
  assert.equal(trackedAppOf(labelled), undefined);
});

test('the index finds an app\'s objects and their children, and follows updates', () => {
  const index = new ObjectIndex();
  const deploy = tracked('shop', obj('Deployment', 'web'));
  const rs = obj('ReplicaSet', 'web-1', { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'uid-web' }] });
  index.upsert(deploy);
  index.upsert(rs);
  index.upsert(tracked('other', obj('Deployment', 'db')));
  assert.deepEqual(index.managedBy('shop').map((o) => o.metadata.name), ['web']);
  assert.deepEqual(index.childrenOf('uid-web').map((o) => o.metadata.name), ['web-1']);
  assert.deepEqual(index.apps().sort(), ['other', 'shop']);
  const pod = obj('Pod', 'web-1-x', { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'uid-web-1' }] }, 'v1');
  index.upsert(pod);
  assert.equal(index.appOwning(pod), 'shop', 'a pod belongs to the app of its Deployment');
  index.upsert(obj('Deployment', 'web'));
  assert.deepEqual(index.managedBy('shop'), [], 'an update that drops tracking moves it out of the app');
  index.remove(rs);
  assert.deepEqual(index.childrenOf('uid-web'), []);
  index.replaceGroupKind('apps/Deployment', [tracked('shop', obj('Deployment', 'api'))]);
  assert.deepEqual(index.managedBy('shop').map((o) => o.metadata.name), ['api']);
  assert.deepEqual(index.managedBy('other'), []);
});

test('objects no app tracks are slimmed', () => {
  const index = new ObjectIndex();
  index.upsert(obj('Pod', 'p', { managedFields: [{ manager: 'kubelet' }],
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"big":true}', keep: 'me' } }, 'v1'));
  const stored = index.get('/Pod/ns/p')!;
  assert.equal(stored.metadata.managedFields, undefined);
  assert.deepEqual(stored.metadata.annotations, { keep: 'me' });
  const managed = tracked('shop', obj('Deployment', 'web', { managedFields: [{ manager: 'capstan' }] }));
  index.upsert(managed);
  assert.equal(index.get('apps/Deployment/ns/web')!.metadata.managedFields?.length, 1, 'managed objects keep managedFields for diffs');
});

test('a new tracking method re-attributes every object; big annotations of unmanaged objects are dropped', () => {
  const index = new ObjectIndex();
  const labelled = { ...obj('Deployment', 'web', { labels: { 'argocd.argoproj.io/instance': 'shop' } }) };
  const annotated = tracked('other', obj('Deployment', 'api'));
  index.upsert(labelled);
  index.upsert(annotated);
  assert.deepEqual(index.apps(), ['other']);
  index.setTracking({ method: 'label', instanceLabelKey: 'argocd.argoproj.io/instance' });
  assert.deepEqual(index.apps(), ['shop']);
  assert.deepEqual(index.managedBy('shop').map((o) => o.metadata.name), ['web']);
  index.setTracking({ method: 'annotation+label' });
  assert.deepEqual(index.apps(), ['other']);
  index.upsert(obj('ConfigMap', 'big', { annotations: { huge: 'x'.repeat(5000), small: 'y' } }, 'v1'));
  assert.deepEqual(index.get('/ConfigMap/ns/big')!.metadata.annotations, { small: 'y' });
});
