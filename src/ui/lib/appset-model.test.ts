import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Application } from '../../api/application.ts';
import type { ApplicationSet } from '../../api/application-set.ts';
import { conditionsOf, generatedApps, generatorSummary } from './appset-model.ts';

function set(generators: unknown[], status?: ApplicationSet['status']): ApplicationSet {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name: 'teams' },
    spec: { generators: generators as ApplicationSet['spec']['generators'], template: { metadata: {}, spec: { project: 'default', destination: {} } } },
    ...(status ? { status } : {}) };
}

describe('ApplicationSet facts', () => {
  const cases = [
    { generators: [{ list: { elements: [] } }], want: 'list' },
    { generators: [{ git: { repoURL: 'r', revision: 'HEAD', directories: [{ path: '*' }] } }, { clusters: {} }], want: 'git directories, clusters' },
    { generators: [{ matrix: { generators: [{ git: { repoURL: 'r', revision: 'HEAD', files: [{ path: 'x.json' }] } }, { list: { elements: [] } }] } }], want: 'matrix(git files, list)' },
  ];
  for (const c of cases) it(c.want, () => assert.equal(generatorSummary(set(c.generators)), c.want));
  it('puts problem conditions first', () => {
    const s = set([], { conditions: [
      { type: 'ParametersGenerated', status: 'True', reason: 'ParametersGenerated', message: '' },
      { type: 'ErrorOccurred', status: 'True', reason: 'ApplicationGenerationFromParamsError', message: 'boom' },
    ] });
    assert.deepEqual(conditionsOf(s).map((c) => c.type), ['ErrorOccurred', 'ParametersGenerated']);
  });
  it('lists generated apps from status.resources, else from owner references', () => {
    const owned = { metadata: { name: 'b', ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', name: 'teams', uid: 'u' }] } } as Application;
    const other = { metadata: { name: 'c' } } as Application;
    assert.deepEqual(generatedApps(set([]), [other, owned]), ['b']);
    assert.deepEqual(generatedApps(set([], { resources: [{ group: 'argoproj.io', version: 'v1alpha1', kind: 'Application', name: 'z', namespace: 'argocd' }] }), [owned]), ['z']);
  });
});
