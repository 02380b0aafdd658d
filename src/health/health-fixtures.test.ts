import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { KubeObject } from '../api/kube-object.ts';
import { assessHealth } from './assess-health.ts';

// Fixtures are named <group>_<Kind>-<expected status>[-what].yaml; a first
// line `# want-message: ...` gives the expected message.
const dir = path.join(import.meta.dirname, 'testdata');

test('built-in health of every fixture', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  assert.ok(files.length >= 30);
  for (const file of files) {
    const text = readFileSync(path.join(dir, file), 'utf8');
    const want = /-(healthy|progressing|degraded|suspended|missing|unknown)(-|\.yaml)/.exec(file)![1]!;
    const wantMessage = /^# want-message: ?(.*)$/m.exec(text)?.[1] ?? '';
    const h = assessHealth(parse(text) as KubeObject);
    assert.equal(h?.status.toLowerCase(), want, file);
    assert.equal(h?.message ?? '', wantMessage, `${file} message`);
  }
});
