import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import type { KubeObject } from '../api/kube-object.ts';
import { InvalidPackageError } from './authoring-errors.ts';
import { layoutPackage } from './package-layout.ts';

const obj = (apiVersion: string, kind: string, name: string, extra: Partial<KubeObject> = {}): KubeObject =>
  ({ apiVersion, kind, ...extra, metadata: { name, ...extra.metadata } });
const app = obj('argoproj.io/v1alpha1', 'Application', 'web');

const waveOf = (content: string): string | undefined => (parse(content) as KubeObject).metadata.annotations?.['argocd.argoproj.io/sync-wave'];

test('manifests get their kind\'s wave unless they set one, and are listed in wave order', () => {
  const files = layoutPackage({ name: 'web', application: app, manifests: [
    obj('networking.k8s.io/v1', 'Ingress', 'web'),
    obj('v1', 'Service', 'web'),
    obj('apps/v1', 'Deployment', 'web'),
    obj('v1', 'ConfigMap', 'web-config'),
    obj('v1', 'Secret', 'web-secret'),
    obj('v1', 'ServiceAccount', 'web'),
    obj('v1', 'Namespace', 'web'),
    obj('batch/v1', 'Job', 'migrate', { metadata: { name: 'migrate', annotations: { 'argocd.argoproj.io/sync-wave': '-5' } } }),
    obj('policy/v1', 'PodDisruptionBudget', 'web'),
  ] });
  assert.deepEqual(files.map((f) => [f.path, f.path.endsWith('kustomization.yaml') || f.path === 'web.yaml' ? undefined : waveOf(f.content)]), [
    ['web.yaml', undefined],
    ['web/manifests/Namespace.web.k8s.yaml', '-100'],
    ['web/manifests/ServiceAccount.web.k8s.yaml', '-90'],
    ['web/manifests/Secret.web-secret.k8s.yaml', '-80'],
    ['web/manifests/ConfigMap.web-config.k8s.yaml', '-70'],
    ['web/manifests/Job.migrate.k8s.yaml', '-5'],
    ['web/manifests/Deployment.web.k8s.yaml', '0'],
    ['web/manifests/PodDisruptionBudget.web.k8s.yaml', undefined],
    ['web/manifests/Service.web.k8s.yaml', '10'],
    ['web/manifests/Ingress.web.k8s.yaml', '20'],
    ['web/manifests/kustomization.yaml', undefined],
  ]);
  const kustomization = parse(files.at(-1)!.content) as { kind: string; resources: string[] };
  assert.equal(kustomization.kind, 'Kustomization');
  assert.deepEqual(kustomization.resources, files.slice(1, -1).map((f) => f.path.slice('web/manifests/'.length)));
});

test('kind waves can be replaced', () => {
  const files = layoutPackage({ name: 'p', application: app, manifests: [obj('v1', 'ConfigMap', 'c'), obj('v1', 'Service', 's')] },
    { kindWaves: { Service: -1 } });
  assert.deepEqual(files.slice(1, -1).map((f) => [f.path, waveOf(f.content)]), [['p/manifests/Service.s.k8s.yaml', '-1'], ['p/manifests/ConfigMap.c.k8s.yaml', undefined]]);
});

test('objects that would share a file name get their namespace, then their group, in it', () => {
  const files = layoutPackage({ name: 'p', application: app, manifests: [
    obj('v1', 'ConfigMap', 'settings', { metadata: { name: 'settings', namespace: 'a' } }),
    obj('v1', 'ConfigMap', 'settings', { metadata: { name: 'settings', namespace: 'b' } }),
    obj('cert-manager.io/v1', 'Certificate', 'web'),
    obj('example.com/v1', 'Certificate', 'web'),
    obj('v1', 'Service', 'only:one'),
  ] });
  assert.deepEqual(files.slice(1, -1).map((f) => f.path), [
    'p/manifests/ConfigMap.a.settings.k8s.yaml',
    'p/manifests/ConfigMap.b.settings.k8s.yaml',
    'p/manifests/Certificate.cert-manager.io._.web.k8s.yaml',
    'p/manifests/Certificate.example.com._.web.k8s.yaml',
    'p/manifests/Service.onlyone.k8s.yaml',
  ]);
});

test('the same object twice, or an object without a name, is an error naming the package', () => {
  assert.throws(() => layoutPackage({ name: 'p', application: app, manifests: [obj('v1', 'ConfigMap', 'c'), obj('v1', 'ConfigMap', 'c')] }),
    (err: unknown) => err instanceof InvalidPackageError && err.message === 'package "p": two objects are ConfigMap c (v1 and v1)');
  assert.throws(() => layoutPackage({ name: 'p', application: app, manifests: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }] }),
    (err: unknown) => err instanceof InvalidPackageError && err.message === 'package "p": a ConfigMap has no metadata.name');
});

test('built-in cluster-scoped kinds lose a namespace a chart gave them; namespaced kinds keep it', () => {
  const files = layoutPackage({ name: 'p', application: app, manifests: [
    obj('v1', 'Namespace', 'web', { metadata: { name: 'web', namespace: 'web' } }),
    obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'reader', { metadata: { name: 'reader', namespace: 'web' } }),
    obj('v1', 'ConfigMap', 'c', { metadata: { name: 'c', namespace: 'web' } }),
  ] });
  assert.deepEqual(files.slice(1, -1).map((f) => [(parse(f.content) as KubeObject).kind, (parse(f.content) as KubeObject).metadata.namespace]),
    [['Namespace', undefined], ['ConfigMap', 'web'], ['ClusterRole', undefined]]);
});
