import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultAppProject } from '../api/app-project.ts';
import { globMatch } from './glob.ts';
import { isDestinationPermitted, isGroupKindPermitted, isSourcePermitted } from './permissions.ts';

test('glob: * stops at separators, ** does not, classes and alternatives', () => {
  const cases: Array<[string, string, string, boolean]> = [
    ['https://github.com/org/*', 'https://github.com/org/repo', '/', true],
    ['https://github.com/org/*', 'https://github.com/org/sub/repo', '/', false],
    ['https://github.com/org/**', 'https://github.com/org/sub/repo', '/', true],
    ['team-*', 'team-a/b', '', true],
    ['dev-?', 'dev-1', '', true],
    ['dev-[0-9]', 'dev-x', '', false],
    ['{dev,staging}-*', 'staging-eu', '', true],
    ['a.b', 'axb', '', false],
  ];
  for (const [p, v, sep, want] of cases) assert.equal(globMatch(p, v, { separators: sep }), want, `${p} ~ ${v}`);
});

test('source repos: globs, deny entries, normalisation', () => {
  const spec = { sourceRepos: ['https://github.com/org/*', '!https://github.com/org/secret'] };
  assert.equal(isSourcePermitted(spec, 'https://github.com/org/app.git'), true);
  assert.equal(isSourcePermitted(spec, 'https://GitHub.com/org/app/'), true);
  assert.equal(isSourcePermitted(spec, 'https://github.com/org/secret'), false);
  assert.equal(isSourcePermitted(spec, 'https://gitlab.com/org/app'), false);
  assert.equal(isSourcePermitted({ sourceRepos: ['!https://bad/*'] }, 'https://good/x'), false, 'a deny-only list allows nothing');
  assert.equal(isSourcePermitted({ sourceRepos: ['!https://bad/*', '*'] }, 'https://bad/x'), false);
  assert.equal(isSourcePermitted({ sourceRepos: ['!https://bad/*', '*'] }, 'https://good'), true);
  assert.equal(isSourcePermitted({}, 'https://x'), false);
  assert.equal(isSourcePermitted(defaultAppProject('argocd').spec, 'cnoe://anything'), true);
});

test('destinations: server or name, and namespace; deny entries', () => {
  const spec = { destinations: [
    { server: 'https://kubernetes.default.svc', namespace: 'schedule-*' },
    { name: 'dev-vcluster', namespace: '*' },
    { server: '*', namespace: '!kube-system' },
  ] };
  assert.equal(isDestinationPermitted(spec, { server: 'https://kubernetes.default.svc', namespace: 'schedule-dev' }), true);
  assert.equal(isDestinationPermitted(spec, { name: 'dev-vcluster', namespace: 'x' }), true);
  assert.equal(isDestinationPermitted(spec, { server: 'https://kubernetes.default.svc', namespace: 'kube-system' }), false);
  assert.equal(isDestinationPermitted({ destinations: [{ server: 'https://a', namespace: 'ns' }] }, { server: 'https://b', namespace: 'ns' }), false);
});

test('resource kinds: namespaced allowed unless blacklisted, cluster-scoped only when whitelisted', () => {
  assert.equal(isGroupKindPermitted({}, 'apps', 'Deployment', true), true);
  assert.equal(isGroupKindPermitted({}, '', 'Namespace', false), false);
  assert.equal(isGroupKindPermitted({ clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }] }, '', 'Namespace', false), true);
  assert.equal(isGroupKindPermitted({ namespaceResourceBlacklist: [{ group: '', kind: 'Secret' }] }, '', 'Secret', true), false);
  assert.equal(isGroupKindPermitted({ namespaceResourceWhitelist: [{ group: 'apps', kind: '*' }] }, '', 'ConfigMap', true), false);
  assert.equal(isGroupKindPermitted(defaultAppProject('argocd').spec, 'rbac.authorization.k8s.io', 'ClusterRole', false), true);
});
