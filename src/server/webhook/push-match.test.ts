import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApplicationSet } from '../../api/application-set.ts';
import type { Application } from '../../api/application.ts';
import type { PushEvent } from './push-event.ts';
import { appSetsToRefresh, appsToRefresh, filesConcernApp, refreshPaths, revisionMatches, webURLPattern } from './push-match.ts';

const push = (extra: Partial<PushEvent> = {}): PushEvent => ({ provider: 'github', webURLs: ['https://github.com/acme/platform'], revision: 'main',
  touchedHead: true, changedFiles: [], ...extra });
const app = (name: string, source: Record<string, unknown>, annotations?: Record<string, string>): Application => ({
  apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace: 'argocd', ...(annotations ? { annotations } : {}) },
  spec: { project: 'default', destination: {}, source: { repoURL: 'https://github.com/acme/platform.git', ...source } },
}) as unknown as Application;

test('every URL form of the pushed repository matches, other repositories do not', () => {
  const re = webURLPattern('https://github.com/acme/platform')!;
  for (const url of ['https://github.com/acme/platform', 'https://github.com/acme/platform.git', 'git@github.com:acme/platform.git',
    'ssh://git@github.com/acme/platform.git', 'ssh://git@ssh.github.com:443/acme/platform', 'HTTPS://GitHub.com/Acme/Platform', 'http://user@github.com/acme/platform']) {
    assert.equal(re.test(url), true, url);
  }
  for (const url of ['https://github.com/acme/platform-two', 'https://github.com/acme/platform/sub', 'https://gitlab.com/acme/platform', 'https://github.com/acme']) {
    assert.equal(re.test(url), false, url);
  }
  assert.equal(webURLPattern('not a url'), undefined);
});

test('targetRevision: HEAD and none follow the default branch; a branch, tag or full ref must be the pushed one', () => {
  assert.equal(revisionMatches('HEAD', push()), true);
  assert.equal(revisionMatches(undefined, push({ touchedHead: false })), false);
  assert.equal(revisionMatches('main', push()), true);
  assert.equal(revisionMatches('refs/heads/main', push()), true);
  assert.equal(revisionMatches('dev', push()), false);
  assert.equal(revisionMatches('v1.0.0', push({ revision: 'v1.0.0', touchedHead: false })), true);
  assert.equal(revisionMatches('1.0.*', push({ revision: 'v1.0.1' })), false, 'a constraint is not a pushed name');
});

test('manifest-generate-paths: relative to each source path, absolute from the root; files outside them skip the app', () => {
  const a = app('a', { path: 'apps/web/envs/dev' }, { 'argocd.argoproj.io/manifest-generate-paths': '.;../../base;/shared/*.yaml' });
  assert.deepEqual(refreshPaths(a), ['apps/web/envs/dev', 'apps/web/base', 'shared/*.yaml']);
  const paths = refreshPaths(a);
  assert.equal(filesConcernApp(paths, ['apps/web/envs/dev/kustomization.yaml']), true);
  assert.equal(filesConcernApp(paths, ['apps/web/base/deploy.yaml']), true);
  assert.equal(filesConcernApp(paths, ['shared/common.yaml']), true, 'a glob');
  assert.equal(filesConcernApp(paths, ['apps/api/envs/dev/x.yaml', 'README.md']), false);
  assert.equal(filesConcernApp(paths, []), true, 'a payload without files refreshes');
  assert.equal(filesConcernApp([], ['README.md']), true, 'an app without the annotation always refreshes');
});

test('the Applications and ApplicationSets a push refreshes', () => {
  const apps = [
    app('head', { targetRevision: 'HEAD', path: 'a' }),
    app('dev-branch', { targetRevision: 'dev', path: 'a' }),
    app('other-repo', { repoURL: 'https://github.com/acme/other', path: 'a' }),
    app('paths', { path: 'apps/web' }, { 'argocd.argoproj.io/manifest-generate-paths': '.' }),
    { ...app('multi', {}), spec: { project: 'default', destination: {}, sources: [{ repoURL: 'https://example.com/x', targetRevision: 'HEAD' },
      { repoURL: 'git@github.com:acme/platform.git', targetRevision: 'main', ref: 'values' }] } } as unknown as Application,
  ];
  const names = (list: Application[]): string[] => list.map((a) => a.metadata.name!);
  assert.deepEqual(names(appsToRefresh(apps, push({ changedFiles: ['apps/api/x.yaml'] }))), ['head', 'multi']);
  assert.deepEqual(names(appsToRefresh(apps, push({ changedFiles: ['apps/web/x.yaml'] }))), ['head', 'paths', 'multi']);
  assert.deepEqual(names(appsToRefresh(apps, push({ revision: 'dev', touchedHead: false }))), ['dev-branch']);
  assert.deepEqual(appsToRefresh(apps, push({ webURLs: [] })), []);
  const set = (name: string, generators: unknown[]): ApplicationSet => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet',
    metadata: { name, namespace: 'argocd' }, spec: { generators, template: {} } }) as unknown as ApplicationSet;
  const sets = [
    set('dirs', [{ git: { repoURL: 'https://github.com/acme/platform.git', revision: 'HEAD', directories: [{ path: '*' }] } }]),
    set('nested', [{ matrix: { generators: [{ list: { elements: [] } }, { git: { repoURL: 'https://github.com/acme/platform', revision: 'main', files: [] } }] } }]),
    set('list', [{ list: { elements: [] } }]),
    set('elsewhere', [{ git: { repoURL: 'https://github.com/acme/other', revision: 'HEAD' } }]),
  ];
  assert.deepEqual(appSetsToRefresh(sets, push()).map((s) => s.metadata.name), ['dirs', 'nested']);
});
