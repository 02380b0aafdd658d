import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergePatchFor } from './status-patch.ts';

test('merge patches null what went away, recurse into objects, replace arrays', () => {
  const cases: Array<{ name: string; before: unknown; after: unknown; want: unknown }> = [
    { name: 'unchanged', before: { a: 1, b: { c: 2 } }, after: { a: 1, b: { c: 2 } }, want: {} },
    { name: 'removed field', before: { op: { phase: 'Failed', finishedAt: 't', syncResult: { r: 1 } } },
      after: { op: { phase: 'Running' } }, want: { op: { phase: 'Running', finishedAt: null, syncResult: null } } },
    { name: 'array replaced whole', before: { c: [{ t: 'A' }, { t: 'B' }] }, after: { c: [{ t: 'B' }] }, want: { c: [{ t: 'B' }] } },
    { name: 'new nested object', before: {}, after: { h: { s: 'Healthy' } }, want: { h: { s: 'Healthy' } } },
    { name: 'from nothing', before: undefined, after: { a: 1 }, want: { a: 1 } },
  ];
  for (const c of cases) assert.deepEqual(mergePatchFor(c.before, c.after), c.want, c.name);
});
