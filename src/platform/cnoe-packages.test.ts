import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PackageError, readPackageDirs } from './cnoe-packages.ts';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'capstan-cnoe-'));
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    if (!file.endsWith('/')) writeFileSync(path.join(root, file), content);
  }
  return root;
}

const app = (name: string, source: string, extra = ''): string => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: argocd
${extra}spec:
  project: default
  destination: {name: dev-vcluster, namespace: ${name}}
${source}`;

test('Applications and ApplicationSets of a package directory and the folders their cnoe:// URLs name', (t) => {
  const root = tree({
    'dist/web.yaml': app('web', '  source: {repoURL: cnoe://web/manifests, path: ., targetRevision: HEAD}\n', '  annotations: {argocd.argoproj.io/sync-wave: "20"}\n'),
    'dist/web/manifests/kustomization.yaml': 'resources: []\n',
    'dist/multi.yml': app('multi', '  sources:\n    - {repoURL: cnoe://values}\n    - {repoURL: "https://github.com/example/charts", chart: x}\n    - {repoURL: cnoe://../shared/base}\n'),
    'dist/values/values.yaml': 'a: 1\n',
    'shared/base/cm.yaml': 'kind: ConfigMap\n',
    'dist/set.yaml': `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: teams, namespace: argocd}
spec:
  generators:
    - git: {repoURL: cnoe://teams, revision: HEAD, files: [{path: "*.yaml"}]}
    - list: {elements: []}
  template:
    metadata: {name: "{{name}}"}
    spec: {project: default, destination: {name: in-cluster}, source: {repoURL: cnoe://web/manifests, path: .}}
`,
    'dist/teams/a.yaml': 'name: a\n',
    'dist/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: not-a-package}\n',
    'dist/notes.txt': 'not yaml',
    'dist/nested/ignored.yaml': app('nested', '  source: {repoURL: cnoe://nowhere}\n'),
  });
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const set = readPackageDirs([path.join(root, 'dist')]);
  assert.deepEqual(set.apps.map((a) => [a.object.kind, a.object.metadata.name, a.wave, a.urls, path.relative(root, a.file)]), [
    ['Application', 'multi', 0, ['cnoe://values', 'cnoe://../shared/base'], 'dist/multi.yml'],
    ['ApplicationSet', 'teams', 0, ['cnoe://teams', 'cnoe://web/manifests'], 'dist/set.yaml'],
    ['Application', 'web', 20, ['cnoe://web/manifests'], 'dist/web.yaml'],
  ]);
  assert.deepEqual(set.repos.map((r) => [r.url, path.relative(root, r.folder), r.name]), [
    ['cnoe://values', 'dist/values', 'idpbuilder-localdev-multi-values'],
    ['cnoe://../shared/base', 'shared/base', 'idpbuilder-localdev-multi-base'],
    ['cnoe://teams', 'dist/teams', 'idpbuilder-localdev-teams-teams'],
    ['cnoe://web/manifests', 'dist/web/manifests', 'idpbuilder-localdev-teams-manifests'],
  ]);
  assert.deepEqual(set.warnings, []);
});

test('a later package directory replaces an application of the same name, with a warning', (t) => {
  const root = tree({
    'a/web.yaml': app('web', '  source: {repoURL: cnoe://one}\n'), 'a/one/x.yaml': '',
    'b/web-override.yaml': app('web', '  source: {repoURL: cnoe://two}\n'), 'b/two/x.yaml': '',
  });
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const set = readPackageDirs([path.join(root, 'a'), path.join(root, 'b')]);
  assert.deepEqual(set.apps.map((a) => path.relative(root, a.file)), ['b/web-override.yaml']);
  assert.deepEqual(set.repos.map((r) => path.relative(root, r.folder)), ['b/two']);
  assert.equal(set.warnings.length, 1);
  assert.match(set.warnings[0]!, /Application web: .*b\/web-override\.yaml replaces .*a\/web\.yaml/);
});

test('only the first document of a file is a package, as idpbuilder reads it', (t) => {
  const root = tree({ 'd/two.yaml': `${app('first', '  source: {repoURL: cnoe://m}\n')}---\n${app('second', '  source: {repoURL: cnoe://m}\n')}`, 'd/m/x.yaml': '' });
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const set = readPackageDirs([path.join(root, 'd')]);
  assert.deepEqual(set.apps.map((a) => a.object.metadata.name), ['first']);
  assert.match(set.warnings[0]!, /two\.yaml: only the first document is a package .*1 more ignored/);
});

test('two folders reached by the same repository basename get distinct repository names', (t) => {
  const root = tree({ 'd/app.yaml': app('app', '  sources:\n    - {repoURL: cnoe://x/manifests}\n    - {repoURL: cnoe://y/manifests}\n'), 'd/x/manifests/a': '', 'd/y/manifests/b': '' });
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const names = readPackageDirs([path.join(root, 'd')]).repos.map((r) => r.name);
  assert.equal(names[0], 'idpbuilder-localdev-app-manifests');
  assert.match(names[1]!, /^idpbuilder-localdev-app-manifests-[0-9a-f]{8}$/);
});

test('bad packages are errors naming the file, the application and the cause', (t) => {
  const root = tree({
    'missing/app.yaml': app('web', '  source: {repoURL: cnoe://web/manifests}\n'),
    'file/app.yaml': app('web', '  source: {repoURL: cnoe://values.yaml}\n'), 'file/values.yaml': 'a: 1\n',
    'clash/a.yaml': app('a', '  source: {repoURL: cnoe://m}\n'), 'clash/m/x': '',
    'clash/sub/b.yaml': '', 'other/b.yaml': app('b', '  source: {repoURL: cnoe://m}\n'), 'other/m/y': '',
    'broken/app.yaml': 'kind: Application\n  bad: [indent\n',
    'noname/app.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {namespace: argocd}\nspec: {}\n',
  });
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const cases: Array<{ dirs: string[]; error: RegExp }> = [
    { dirs: ['missing'], error: /missing\/app\.yaml: Application web: cnoe:\/\/web\/manifests names .*missing\/web\/manifests, which does not exist \(a cnoe:\/\/ path is relative to the file's folder\)/ },
    { dirs: ['file'], error: /file\/app\.yaml: Application web: cnoe:\/\/values\.yaml names .*file\/values\.yaml, which is not a directory/ },
    { dirs: ['clash', 'other'], error: /cnoe:\/\/m names two folders: .*clash\/m \(Application a in .*\) and .*other\/m \(Application b in .*\)/ },
    { dirs: ['broken'], error: /broken\/app\.yaml: not valid YAML/ },
    { dirs: ['noname'], error: /noname\/app\.yaml: the Application has no metadata\.name/ },
    { dirs: ['absent'], error: /package directory .*absent does not exist/ },
  ];
  for (const c of cases) {
    assert.throws(() => readPackageDirs(c.dirs.map((d) => path.join(root, d))), (err: unknown) => err instanceof PackageError && c.error.test(err.message), c.error.source);
  }
});
