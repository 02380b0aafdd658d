// The cdk8s-platform example as its team runs it, without a cluster: it
// type-checks, its own unit tests pass, and `npm run synth` writes packages
// that `capstan up --package` (and idpbuilder) read: one Application per app,
// each cnoe:// URL naming a folder of the output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { readPackageDirs } from '../../src/platform/cnoe-packages.ts';

const run = promisify(execFile);
const example = path.resolve('examples/cdk8s-platform');

test('the example type-checks and its unit tests pass', { timeout: 120_000 }, async () => {
  await run('npx', ['tsc', '--noEmit', '-p', path.join(example, 'tsconfig.json')]);
  // Its own test runner, not a child of this one (which would take over its report).
  const { NODE_TEST_CONTEXT: _ctx, ...env } = process.env;
  const { stdout } = await run('npm', ['test', '--silent'], { cwd: example, env });
  assert.match(stdout, /# pass 3\n# fail 0/);
});

test('npm run synth writes idpbuilder packages capstan up reads', { timeout: 120_000 }, async (t) => {
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'capstan-cdk8s-dist-'));
  t.after(() => rmSync(outdir, { recursive: true, force: true }));
  await run('npm', ['run', '--silent', 'synth'], { cwd: example, env: { ...process.env, CDK8S_OUTDIR: outdir } });
  const set = readPackageDirs([outdir]);
  assert.deepEqual(set.apps.map((a) => [a.object.metadata.name, a.wave, a.urls]), [
    ['portal-project', 0, ['cnoe://portal-project/manifests']],
    ['postgres-dev', 10, ['cnoe://postgres-dev/manifests']],
    ['postgres-staging', 10, ['cnoe://postgres-staging/manifests']],
    ['backstage-dev', 20, ['cnoe://backstage-dev/manifests']],
    ['backstage-staging', 20, ['cnoe://backstage-staging/manifests']],
  ]);
  assert.deepEqual(set.repos.map((r) => [path.relative(outdir, r.folder), r.name]), set.apps.map((a) =>
    [`${a.object.metadata.name}/manifests`, `idpbuilder-localdev-${a.object.metadata.name}-manifests`]));
  assert.deepEqual(set.warnings, []);
});
