import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResourceStatus } from '../../api/application-status.ts';
import type { ApplicationTree, ResourceNode } from '../api/api-types.ts';
import { buildResourceTree, flattenTree, kindAbbreviation, type TreeItem } from './resource-tree.ts';

function node(kind: string, name: string, uid: string, parents: Array<Partial<ResourceNode>> = [], group = ''): ResourceNode {
  return { group, version: 'v1', kind, namespace: 'web', name, uid, parentRefs: parents.map((p) => ({ kind: p.kind!, name: p.name!, namespace: 'web', ...p })),
    health: { status: 'Healthy' } };
}

function shape(items: readonly TreeItem[]): unknown[] {
  return items.map((i) => (i.children.length > 0 ? { [`${i.ref.kind}/${i.ref.name}`]: shape(i.children) } : `${i.ref.kind}/${i.ref.name}`));
}

const deploy = node('Deployment', 'web', 'u-deploy', [], 'apps');
const rs = node('ReplicaSet', 'web-5d4', 'u-rs', [{ group: 'apps', kind: 'Deployment', name: 'web', uid: 'u-deploy' }], 'apps');
const pod2 = node('Pod', 'web-5d4-b', 'u-pod2', [{ kind: 'ReplicaSet', group: 'apps', name: 'web-5d4', uid: 'u-rs' }]);
const pod1 = node('Pod', 'web-5d4-a', 'u-pod1', [{ kind: 'ReplicaSet', group: 'apps', name: 'web-5d4', uid: 'u-rs' }]);
const svc = node('Service', 'web', 'u-svc');
const ep = node('Endpoints', 'web', 'u-ep', [{ kind: 'Service', name: 'web' }]);
const cm = node('ConfigMap', 'settings', 'u-cm');

describe('buildResourceTree', () => {
  const statuses: ResourceStatus[] = [
    { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'web', name: 'web', status: 'Synced' },
    { version: 'v1', kind: 'Service', namespace: 'web', name: 'web', status: 'OutOfSync' },
    { version: 'v1', kind: 'ConfigMap', namespace: 'web', name: 'settings', status: 'Synced' },
    { version: 'v1', kind: 'Secret', namespace: 'web', name: 'creds', status: 'OutOfSync' },
  ];
  const cases: Array<{ name: string; tree: ApplicationTree; want: unknown[]; orphans?: unknown[] }> = [
    { name: 'parents by uid, siblings by kind order then name, missing managed resources as roots', tree: { nodes: [pod2, svc, rs, ep, deploy, pod1, cm] },
      want: ['Secret/creds', 'ConfigMap/settings', { 'Service/web': ['Endpoints/web'] }, { 'Deployment/web': [{ 'ReplicaSet/web-5d4': ['Pod/web-5d4-a', 'Pod/web-5d4-b'] }] }] },
    { name: 'a node whose parent is not in the tree is a root', tree: { nodes: [pod1] }, want: ['Secret/creds', 'ConfigMap/settings', 'Service/web', 'Deployment/web', 'Pod/web-5d4-a'] },
    { name: 'orphaned nodes apart', tree: { nodes: [deploy, svc, cm], orphanedNodes: [node('ConfigMap', 'stray', 'u-stray')] },
      want: ['Secret/creds', 'ConfigMap/settings', 'Service/web', 'Deployment/web'], orphans: ['ConfigMap/stray'] },
    { name: 'null lists (Go nil slices)', tree: { nodes: null, orphanedNodes: null }, want: ['Secret/creds', 'ConfigMap/settings', 'Service/web', 'Deployment/web'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = buildResourceTree(c.tree, statuses);
      assert.deepEqual(shape(got.roots), c.want);
      assert.deepEqual(shape(got.orphans), c.orphans ?? []);
    });
  }
  it('merges sync status and keeps node health; a missing resource is Missing', () => {
    const { roots } = buildResourceTree({ nodes: [svc, deploy] }, statuses);
    const byName = new Map(flattenTree(roots).map((i) => [`${i.ref.kind}/${i.ref.name}`, i]));
    assert.equal(byName.get('Service/web')?.status?.status, 'OutOfSync');
    assert.equal(byName.get('Service/web')?.health, 'Healthy');
    assert.equal(byName.get('Secret/creds')?.health, 'Missing');
    assert.equal(byName.get('Secret/creds')?.node, undefined);
  });
});

describe('kindAbbreviation', () => {
  const cases = [['Deployment', 'deploy'], ['Service', 'svc'], ['ConfigMap', 'cm'], ['Secret', 'secret'], ['VirtualService', 'vs'], ['Widget', 'widget']];
  for (const [kind, want] of cases) it(kind!, () => assert.equal(kindAbbreviation(kind!), want));
});
