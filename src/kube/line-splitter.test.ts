import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineSplitter } from './line-splitter.ts';

test('lines are split on newlines whatever the chunking, multi-byte characters intact', () => {
  const text = '{"a":"é€"}\n\n{"b":2}\r\n{"c":"😀"}\n{"tail":1}';
  const bytes = Buffer.from(text, 'utf8');
  const want = ['{"a":"é€"}', '{"b":2}', '{"c":"😀"}'];
  for (const size of [1, 2, 3, 5, 7, bytes.length]) {
    const s = new LineSplitter();
    const got: string[] = [];
    for (let i = 0; i < bytes.length; i += size) got.push(...s.push(bytes.subarray(i, i + size)));
    assert.deepEqual(got, want, `chunks of ${size}`);
    assert.equal(s.flush(), '{"tail":1}');
    assert.equal(s.flush(), undefined);
  }
});
