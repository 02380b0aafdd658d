import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { folderFingerprint } from './folder-fingerprint.ts';

test('a fingerprint changes with a file\'s content, name or time, not with skipped folders', (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'capstan-print-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(path.join(dir, 'config'));
  mkdirSync(path.join(dir, 'dist'));
  mkdirSync(path.join(dir, 'node_modules', 'x'), { recursive: true });
  writeFileSync(path.join(dir, 'config', 'apps.ts'), 'export const a = 1;\n');
  const first = folderFingerprint(dir, ['dist']);
  assert.equal(folderFingerprint(dir, ['dist']), first, 'stable');
  writeFileSync(path.join(dir, 'dist', 'web.yaml'), 'x');
  writeFileSync(path.join(dir, 'node_modules', 'x', 'index.js'), 'x');
  mkdirSync(path.join(dir, '.git'));
  writeFileSync(path.join(dir, '.git', 'HEAD'), 'x');
  assert.equal(folderFingerprint(dir, ['dist']), first, 'dist/, node_modules/ and .git/ are skipped');
  assert.notEqual(folderFingerprint(dir), first, 'dist/ counts when not skipped');
  writeFileSync(path.join(dir, 'config', 'apps.ts'), 'export const a = 22;\n');
  const second = folderFingerprint(dir, ['dist']);
  assert.notEqual(second, first, 'a change of size');
  utimesSync(path.join(dir, 'config', 'apps.ts'), new Date(2000, 1, 1), new Date(2000, 1, 1));
  assert.notEqual(folderFingerprint(dir, ['dist']), second, 'a change of time');
  assert.notEqual(folderFingerprint(path.join(dir, 'absent')), folderFingerprint(dir), 'a missing folder has its own fingerprint');
});
