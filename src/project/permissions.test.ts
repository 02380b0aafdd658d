import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultAppProject, type AppProjectSpec, type ApplicationDestination } from '../api/app-project.ts';
import { normalizeGitUrl } from './git-url.ts';
import { globMatch } from './glob.ts';
import { pathMatch } from './path-match.ts';
import {
  isAppNamespacePermitted, isDestinationPermitted, isGroupKindPermitted, isLiveResourcePermitted, isSourcePermitted,
} from './permissions.ts';

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

test("path match: Go's filepath.Match, malformed patterns match nothing", () => {
  const cases: Array<[string, string, boolean]> = [
    ['*', 'Deployment', true], ['*', '', true], ['', '', true], ['', 'apps', false],
    ['Deploy*', 'Deployment', true], ['*.k8s.io', 'rbac.authorization.k8s.io', true], ['*', 'a/b', false],
    ['Con?igMap', 'ConfigMap', true], ['[CS]ecret', 'Secret', true], ['[^CS]ecret', 'Secret', false], ['[a-c]pps', 'apps', true],
    ['\\*', '*', true], ['\\*', 'x', false], ['{apps,batch}', 'apps', false], ['[!a]pps', '!pps', true],
    ['[', 'x', false], ['[]', 'x', false], ['a\\', 'a', false], ['[a-]', 'a', false], ['*[', 'x', false],
  ];
  for (const [p, v, want] of cases) assert.equal(pathMatch(p, v), want, `${p} ~ ${v}`);
});

test('git URLs normalize as Argo CD compares them', () => {
  const cases: Array<[string, string]> = [
    ['https://GitHub.com/Org/App.git', 'https://github.com/org/app'],
    ['  https://github.com/org/app  ', 'https://github.com/org/app'],
    ['https://github.com/org/app/', 'https://github.com/org/app/'],
    ['git@github.com:org/app.git', 'git@github.com/org/app'],
    ['ssh://git@github.com/org/app.git', 'git@github.com/org/app'],
    ['ssh://git@github.com:22/org/app', 'git@github.com:22/org/app'],
    ['ssh://git@GITHUB.com:argoproj/test', ''],
    ['cnoe://helm-envs', 'cnoe://helm-envs'],
    ['/tmp/repos/a', '/tmp/repos/a'],
  ];
  for (const [url, want] of cases) assert.equal(normalizeGitUrl(url), want, url);
});

// Argo CD's TestAppProject_IsSourcePermitted and TestAppProject_IsNegatedSourcePermitted.
test('source repos: globs, `/` separators, deny entries in order', () => {
  const cases: Array<{ repos: string[]; source: string; want: boolean }> = [
    { repos: ['*'], source: 'https://github.com/argoproj/test.git', want: true },
    { repos: ['https://github.com/argoproj/test.git'], source: 'https://github.com/argoproj/test.git', want: true },
    { repos: ['ssh://git@GITHUB.com:argoproj/test'], source: 'ssh://git@github.com:argoproj/test', want: true },
    { repos: ['https://github.com/argoproj/*'], source: 'https://github.com/argoproj/argoproj.git', want: true },
    { repos: ['https://github.com/test1/test.git', 'https://github.com/test2/test.git'], source: 'https://github.com/test2/test.git', want: true },
    { repos: ['https://github.com/argoproj/test1.git', 'https://github.com/argoproj/test2.git'], source: 'https://github.com/argoproj/test3.git', want: false },
    { repos: ['https://github.com/argoproj/foo*'], source: 'https://github.com/argoproj/foo1', want: true },
    { repos: ['https://github.com/argoproj/foo'], source: 'https://github.com/argoproj/foo1', want: false },
    { repos: ['https://gitlab.com/group/*'], source: 'https://gitlab.com/group/repo/owner', want: false },
    { repos: ['https://gitlab.com/group/*/*'], source: 'https://gitlab.com/group/repo/owner', want: true },
    { repos: ['https://gitlab.com/group/*/*/*'], source: 'https://gitlab.com/group/sub-group/repo/owner', want: true },
    { repos: ['https://gitlab.com/group/**'], source: 'https://gitlab.com/group/sub-group/repo/owner', want: true },
    { repos: ['!https://github.com/argoproj/test.git'], source: 'https://github.com/argoproj/test.git', want: false },
    { repos: ['!ssh://git@GITHUB.com:argoproj/test'], source: 'ssh://git@github.com:argoproj/test', want: false },
    { repos: ['!https://github.com/argoproj/*'], source: 'https://github.com/argoproj/argoproj.git', want: false },
    { repos: ['https://github.com/test1/test.git', '!https://github.com/test2/test.git'], source: 'https://github.com/test2/test.git', want: false },
    { repos: ['!https://github.com/argoproj/foo*'], source: 'https://github.com/argoproj/foo1', want: false },
    { repos: ['!https://gitlab.com/group/*/*'], source: 'https://gitlab.com/group/repo/owner', want: false },
    { repos: ['!https://gitlab.com/group/**'], source: 'https://gitlab.com/group/sub-group/repo/owner', want: false },
    { repos: ['https://github.com/argoproj/test1.git', '*'], source: 'https://github.com/argoproj/test2.git', want: true },
    { repos: ['!https://github.com/argoproj/*.git', '*'], source: 'https://github.com/argoproj1/test2.git', want: true },
    { repos: ['!https://github.com/org/secret', '*'], source: 'https://github.com/org/secret.git', want: false },
    // The projects documentation's example.
    { repos: ['!ssh://git@GITHUB.com:argoproj/test', '!https://gitlab.com/group/**', '*'], source: 'https://gitlab.com/group/a/b', want: false },
    { repos: ['!ssh://git@GITHUB.com:argoproj/test', '!https://gitlab.com/group/**', '*'], source: 'https://github.com/org/app', want: true },
    // Argo CD's loop: a deny entry that does not match counts as a match, so a deny-only list permits other repos.
    { repos: ['!https://bad.example/*'], source: 'https://good.example/x', want: true },
    { repos: [], source: 'https://x', want: false },
    { repos: ['https://github.com/org/app'], source: 'https://github.com/org/app/', want: false },
  ];
  for (const c of cases) assert.equal(isSourcePermitted({ sourceRepos: c.repos }, c.source), c.want, `${c.repos.join(',')} ~ ${c.source}`);
  assert.equal(isSourcePermitted(defaultAppProject('argocd').spec, 'cnoe://anything'), true);
});

const k8s = 'https://kubernetes.default.svc';

// Argo CD's TestAppProject_IsDestinationPermitted and TestAppProject_IsNegatedDestinationPermitted.
test('destinations: server or name, and namespace; deny fields', () => {
  const cases: Array<{ project: ApplicationDestination[]; dest: ApplicationDestination; want: boolean }> = [
    { project: [{ server: k8s, namespace: 'default' }], dest: { server: k8s, namespace: 'default' }, want: true },
    { project: [{ server: k8s, namespace: 'default' }], dest: { server: k8s, namespace: 'kube-system' }, want: false },
    { project: [{ server: 'https://my-cluster', namespace: 'default' }], dest: { server: k8s, namespace: 'default' }, want: false },
    { project: [{ server: k8s, namespace: '*' }], dest: { server: k8s, namespace: 'kube-system' }, want: true },
    { project: [{ server: 'https://*.default.svc', namespace: 'default' }], dest: { server: k8s, namespace: 'default' }, want: true },
    { project: [{ server: 'https://team1-*', namespace: 'default' }], dest: { server: 'https://test2-dev-cluster', namespace: 'default' }, want: false },
    { project: [{ server: k8s, namespace: 'test-*' }], dest: { server: k8s, namespace: 'test-foo' }, want: true },
    { project: [{ server: k8s, namespace: 'test-*' }], dest: { server: k8s, namespace: 'test' }, want: false },
    { project: [{ server: '*', namespace: '*' }], dest: { server: k8s, namespace: 'test' }, want: true },
    { project: [{ server: '', namespace: '*', name: 'test' }], dest: { name: 'test', namespace: 'test' }, want: true },
    { project: [{ server: '', namespace: '*', name: 'test2' }], dest: { name: 'test', namespace: 'test' }, want: false },
    { project: [{ server: `!${k8s}`, namespace: 'default' }], dest: { server: k8s, namespace: 'default' }, want: false },
    { project: [{ server: k8s, namespace: '!default' }], dest: { server: k8s, namespace: 'kube-system' }, want: true },
    { project: [{ server: '!https://my-cluster', namespace: 'default' }], dest: { server: k8s, namespace: 'default' }, want: true },
    { project: [{ server: `!${k8s}`, namespace: '*' }], dest: { server: k8s, namespace: 'kube-system' }, want: false },
    { project: [{ server: '!https://*.default.svc', namespace: 'default' }], dest: { server: k8s, namespace: 'default' }, want: false },
    { project: [{ server: '!https://team1-*', namespace: 'default' }], dest: { server: 'https://test2-dev-cluster', namespace: 'default' }, want: true },
    { project: [{ server: k8s, namespace: '!test-*' }], dest: { server: k8s, namespace: 'test-foo' }, want: false },
    { project: [{ server: k8s, namespace: '!test-*' }], dest: { server: k8s, namespace: 'test' }, want: true },
    { project: [{ server: '', namespace: '*', name: '!test' }], dest: { name: 'test', namespace: 'test' }, want: false },
    { project: [{ server: '', namespace: '*', name: '!test2' }], dest: { name: 'test', namespace: 'test' }, want: true },
    { project: [{ server: '*', namespace: 'kube-system' }, { server: '*', namespace: '!kube-system' }], dest: { server: k8s, namespace: 'kube-system' }, want: false },
    { project: [{ server: '*', namespace: '*' }, { server: '*', namespace: '!kube-system' }], dest: { server: k8s, namespace: 'kube-system' }, want: false },
    { project: [{ server: k8s, namespace: '*' }, { server: `!${k8s}`, namespace: '*' }], dest: { server: k8s, namespace: 'kube-system' }, want: false },
    { project: [{ server: '*', namespace: '*' }, { server: `!${k8s}`, namespace: 'kube-system' }], dest: { server: k8s, namespace: 'kube-system' }, want: false },
    // A deny server entry denies every destination it does not let through, whatever its namespace says.
    { project: [{ server: '*', namespace: '*' }, { server: `!${k8s}`, namespace: 'kube-system' }, { server: '*', namespace: '!kube-system' }],
      dest: { server: k8s, namespace: 'default' }, want: false },
    { project: [{ server: '*', namespace: '*' }, { server: `!${k8s}`, namespace: 'kube-system' }, { server: '*', namespace: '!kube-system' }],
      dest: { server: 'https://test-dev-cluster', namespace: 'kube-system' }, want: false },
    { project: [{ server: '', namespace: '*', name: 'test' }, { server: '', namespace: '*', name: '!test' }], dest: { name: 'test', namespace: 'test' }, want: false },
    // The seed platform's project (examples/helm-envs/argocd/projects/schedule.yaml).
    { project: [{ server: k8s, namespace: 'schedule-*' }], dest: { server: k8s, name: 'in-cluster', namespace: 'schedule-dev' }, want: true },
    { project: [{ server: k8s, namespace: 'schedule-*' }], dest: { server: k8s, name: 'in-cluster', namespace: 'kube-system' }, want: false },
    { project: [], dest: { server: k8s, namespace: 'default' }, want: false },
  ];
  for (const c of cases) {
    assert.equal(isDestinationPermitted({ destinations: c.project }, c.dest), c.want, `${JSON.stringify(c.project)} ~ ${JSON.stringify(c.dest)}`);
  }
});

// Argo CD's TestAppProject_IsDestinationPermitted_PermitOnlyProjectScopedClusters.
test('permitOnlyProjectScopedClusters: only the clusters registered for the project', () => {
  const spec = (d: ApplicationDestination): AppProjectSpec => ({ permitOnlyProjectScopedClusters: true, destinations: [d] });
  assert.equal(isDestinationPermitted(spec({ server: 'https://team1-*', namespace: 'default' }), { server: 'https://team1-something.com', namespace: 'default' }, []), false);
  assert.equal(isDestinationPermitted(spec({ server: 'https://my-cluster.123.com', namespace: 'default' }),
    { server: 'https://my-cluster.123.com', namespace: 'default' }, [{ server: 'https://my-cluster.123.com' }]), true);
  assert.equal(isDestinationPermitted(spec({ server: 'https://my-cluster.123.com', namespace: 'default' }),
    { server: 'https://some-other-cluster.example.com', namespace: 'default' }, [{ server: 'https://my-cluster.123.com' }]), false);
  assert.equal(isDestinationPermitted(spec({ name: 'some-other-server', namespace: 'default' }),
    { name: 'some-other-server', namespace: 'default' }, [{ name: 'some-other-server' }]), true);
  assert.equal(isDestinationPermitted(spec({ name: 'some-server', namespace: 'default' }), { name: 'some-server', namespace: 'default' }), false);
});

// Argo CD's TestAppProject_IsGroupKindPermitted, and the projects documentation.
test('resource kinds: namespaced allowed unless listed out, cluster-scoped only when whitelisted', () => {
  const cases: Array<{ spec: AppProjectSpec; group: string; kind: string; namespaced: boolean; name?: string; want: boolean }> = [
    { spec: { namespaceResourceWhitelist: [], namespaceResourceBlacklist: [{ group: 'apps', kind: 'Deployment' }] }, group: 'apps', kind: 'ReplicaSet', namespaced: true, want: false },
    { spec: { namespaceResourceWhitelist: [], namespaceResourceBlacklist: [{ group: 'apps', kind: 'Deployment' }] }, group: 'apps', kind: 'Deployment', namespaced: true, want: false },
    { spec: { namespaceResourceWhitelist: [{ group: 'apps', kind: 'ReplicaSet' }], namespaceResourceBlacklist: [{ group: 'apps', kind: 'Deployment' }] }, group: 'apps', kind: 'ReplicaSet', namespaced: true, want: true },
    { spec: { namespaceResourceWhitelist: [{ group: 'apps', kind: 'ReplicaSet' }] }, group: 'apps', kind: 'Action', namespaced: true, want: false },
    { spec: { clusterResourceBlacklist: [{ group: '', kind: 'Namespace' }] }, group: '', kind: 'Namespace', namespaced: false, want: false },
    { spec: { clusterResourceWhitelist: [{ group: '*', kind: '*' }], clusterResourceBlacklist: [{ group: '*', kind: '*' }] }, group: '', kind: 'Namespace', namespaced: false, want: false },
    { spec: { clusterResourceWhitelist: [{ group: '*', kind: '*' }], clusterResourceBlacklist: [{ group: '*', kind: '*' }] }, group: 'apps', kind: 'Action', namespaced: true, want: true },
    { spec: { clusterResourceWhitelist: [], namespaceResourceWhitelist: [{ group: '*', kind: '*' }] }, group: '', kind: 'Namespace', namespaced: false, want: false },
    { spec: { clusterResourceWhitelist: [], namespaceResourceWhitelist: [{ group: '*', kind: '*' }] }, group: 'apps', kind: 'Action', namespaced: true, want: true },
    { spec: {}, group: '', kind: 'Namespace', namespaced: false, want: false },
    { spec: {}, group: 'apps', kind: 'Action', namespaced: true, want: true },
    { spec: { clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }] }, group: '', kind: 'Namespace', namespaced: false, want: true },
    { spec: { namespaceResourceBlacklist: [{ group: '', kind: 'ResourceQuota' }, { group: '', kind: 'LimitRange' }] }, group: '', kind: 'LimitRange', namespaced: true, want: false },
    { spec: { clusterResourceWhitelist: [{ group: 'rbac.authorization.k8s.io', kind: '*' }] }, group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', namespaced: false, want: true },
    { spec: { clusterResourceWhitelist: [{ group: '*.k8s.io', kind: 'Cluster*' }] }, group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding', namespaced: false, want: true },
    // Cluster-scoped entries narrowed by name.
    { spec: { clusterResourceWhitelist: [{ group: '', kind: 'Namespace', name: 'team-*' }] }, group: '', kind: 'Namespace', namespaced: false, name: 'team-a', want: true },
    { spec: { clusterResourceWhitelist: [{ group: '', kind: 'Namespace', name: 'team-*' }] }, group: '', kind: 'Namespace', namespaced: false, name: 'kube-system', want: false },
    { spec: { clusterResourceWhitelist: [{ group: '*', kind: '*' }], clusterResourceBlacklist: [{ group: '', kind: 'Namespace', name: 'kube-*' }] }, group: '', kind: 'Namespace', namespaced: false, name: 'kube-public', want: false },
    { spec: { clusterResourceWhitelist: [{ group: '*', kind: '*' }], clusterResourceBlacklist: [{ group: '', kind: 'Namespace', name: 'kube-*' }] }, group: '', kind: 'Namespace', namespaced: false, name: 'apps', want: true },
    { spec: defaultAppProject('argocd').spec, group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', namespaced: false, want: true },
  ];
  for (const c of cases) {
    assert.equal(isGroupKindPermitted(c.spec, c.group, c.kind, c.namespaced, c.name), c.want, `${JSON.stringify(c.spec)} ${c.group}/${c.kind} ${c.namespaced}`);
  }
});

test('live objects: the kind, and the namespace as a destination', () => {
  const spec: AppProjectSpec = { destinations: [{ server: k8s, namespace: 'team-*' }], clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
    namespaceResourceBlacklist: [{ group: '', kind: 'Secret' }] };
  const dest = { server: k8s, name: 'in-cluster' };
  const cases: Array<[{ group: string; kind: string; name?: string; namespace?: string }, boolean]> = [
    [{ group: '', kind: 'ConfigMap', namespace: 'team-a' }, true],
    [{ group: '', kind: 'ConfigMap', namespace: 'kube-system' }, false],
    [{ group: '', kind: 'Secret', namespace: 'team-a' }, false],
    [{ group: '', kind: 'Namespace', name: 'team-a' }, true],
    [{ group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'x' }, false],
  ];
  for (const [obj, want] of cases) assert.equal(isLiveResourcePermitted(spec, obj, dest), want, JSON.stringify(obj));
});

test('sourceNamespaces: apps outside the control namespace need a matching entry', () => {
  const spec: AppProjectSpec = { sourceNamespaces: ['team-*', '/^ops-[0-9]+$/'] };
  const cases: Array<[string | undefined, boolean]> = [
    [undefined, true], ['argocd', true], ['team-a', true], ['ops-12', true], ['ops-x', false], ['other', false],
  ];
  for (const [ns, want] of cases) assert.equal(isAppNamespacePermitted(spec, ns, 'argocd'), want, String(ns));
  assert.equal(isAppNamespacePermitted({}, 'team-a', 'argocd'), false);
});
