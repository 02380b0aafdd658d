import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactSecrets } from './redact.ts';

test('credentials are masked in any message', () => {
  const cases: Array<{ input: string; secretValues?: boolean; want: string }> = [
    { input: 'header Authorization: Bearer eyJhbGciOi.abc-def_123', want: 'header Authorization: Bearer [redacted]' },
    { input: 'basic dXNlcjpwYXNz failed', want: 'basic [redacted] failed' },
    { input: '{"kind":"ExecCredential","status":{"token":"s3cr3t"}}', want: '{"kind":"ExecCredential","status":{"token":"[redacted]"}}' },
    { input: 'https://x/?token=abc&x=1', want: 'https://x/?token=[redacted]&x=1' },
    { input: 'connect ECONNREFUSED 127.0.0.1:6443', want: 'connect ECONNREFUSED 127.0.0.1:6443' },
    { input: 'data[k]: Invalid value: "v": bad', want: 'data[k]: Invalid value: "v": bad' },
    { input: 'data[k]: Invalid value: "v\\"q": bad', secretValues: true, want: 'data[k]: Invalid value: [redacted]: bad' },
    { input: 'spec: Invalid value: 12: too big', secretValues: true, want: 'spec: Invalid value: [redacted]: too big' },
  ];
  for (const c of cases) {
    assert.equal(redactSecrets(c.input, c.secretValues === undefined ? {} : { secretValues: c.secretValues }), c.want, c.input);
  }
});
