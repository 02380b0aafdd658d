// `capstan appset generate` as a user runs it: offline over the bundled
// examples (a working tree for the git generators, a file of cluster Secrets
// for the clusters generator), and a clear error for bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const capstan = (...args: string[]) => run(process.execPath, [path.resolve('bin/capstan.js'), 'appset', 'generate', ...args], { timeout: 120_000 });

test('generates the teams platform\'s Applications from a working tree', async () => {
  const { stdout } = await capstan('examples/teams/argocd/appsets/team-apps.yaml', '--repo-root', 'examples/teams', '-o', 'json');
  const apps = JSON.parse(stdout) as Array<{ metadata: { name: string }; spec: { project: string } }>;
  assert.deepEqual(apps.map((a) => [a.metadata.name, a.spec.project]), [['backend-api', 'team-backend'], ['backend-worker', 'team-backend'], ['frontend-web', 'team-frontend']]);
});

test('the clusters generator reads cluster Secrets from --clusters; errors name the ApplicationSet and the cause', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'capstan-appset-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'clusters.yaml'), [
    'apiVersion: v1\nkind: Secret\nmetadata:\n  name: c1\n  labels: {argocd.argoproj.io/secret-type: cluster, env: prod}\ndata:\n'
      + `  name: ${Buffer.from('prod-eu').toString('base64')}\n  server: ${Buffer.from('https://prod.example').toString('base64')}\n`,
    'apiVersion: v1\nkind: Secret\nmetadata:\n  name: c2\n  labels: {argocd.argoproj.io/secret-type: cluster, env: dev}\nstringData:\n  name: dev\n  server: https://dev.example\n',
  ].join('---\n'));
  writeFileSync(path.join(dir, 'set.yaml'), 'apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: fleet}\nspec:\n'
    + '  goTemplate: true\n  generators:\n  - clusters: {selector: {matchLabels: {env: prod}}}\n'
    + '  template:\n    metadata: {name: "guestbook-{{.name}}"}\n    spec: {project: default, source: {repoURL: r, path: guestbook}, destination: {server: "{{.server}}", namespace: guestbook}}\n');
  const { stdout } = await capstan(path.join(dir, 'set.yaml'), '--clusters', path.join(dir, 'clusters.yaml'));
  assert.match(stdout, /name: guestbook-prod-eu[\s\S]*server: https:\/\/prod\.example/);
  assert.doesNotMatch(stdout, /dev\.example/);
  writeFileSync(path.join(dir, 'bad.yaml'), 'apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: bad}\nspec:\n  goTemplate: true\n'
    + '  goTemplateOptions: ["missingkey=error"]\n  generators:\n  - list: {elements: [{a: x}]}\n'
    + '  template: {metadata: {name: "{{.b}}"}, spec: {project: default, destination: {}}}\n');
  await assert.rejects(capstan(path.join(dir, 'bad.yaml')), (err: { stderr: string; code: number }) => {
    assert.equal(err.code, 1);
    assert.match(err.stderr, /capstan: AppSetGeneratorError: ApplicationSet "bad" generators\[0\]\.list \(parameter set 1\): failed to render the template: .*map has no entry for key "b"/);
    return true;
  });
});
