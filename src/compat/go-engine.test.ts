// The Go side's own unit tests (compat/engine/*_test.go), run with the Go
// toolchain the build uses; cached by Go when nothing changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

test('go test ./... in compat/', () => {
  const cwd = fileURLToPath(new URL('../../compat/', import.meta.url));
  const run = spawnSync('go', ['test', './...'], { cwd, encoding: 'utf8', env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=readonly' } });
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
});
