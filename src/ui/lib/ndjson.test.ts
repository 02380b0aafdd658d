import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineBuffer, parseWatchLine } from './ndjson.ts';

describe('LineBuffer', () => {
  const cases = [
    { name: 'whole lines', chunks: ['{"a":1}\n{"b":2}\n'], want: ['{"a":1}', '{"b":2}'] },
    { name: 'a line split across chunks', chunks: ['{"a"', ':1}\n{"b":', '2}\n'], want: ['{"a":1}', '{"b":2}'] },
    { name: 'a last line without a newline', chunks: ['{"a":1}\n{"b":2}'], want: ['{"a":1}', '{"b":2}'] },
    { name: 'blank lines and CRLF', chunks: ['\n{"a":1}\r\n\n'], want: ['{"a":1}'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const buf = new LineBuffer();
      const got = c.chunks.flatMap((ch) => buf.push(ch));
      assert.deepEqual([...got, ...buf.flush()], c.want);
    });
  }
});

describe('parseWatchLine', () => {
  const app = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'guestbook' }, spec: {} };
  const cases = [
    { name: 'an event', line: JSON.stringify({ result: { type: 'MODIFIED', application: app } }), want: 'event:MODIFIED:guestbook' },
    { name: 'a gateway error object', line: '{"error":{"grpc_code":16,"message":"invalid session"}}', want: 'error:invalid session' },
    { name: 'an error string', line: '{"error":"stream closed"}', want: 'error:stream closed' },
    { name: 'not JSON', line: 'hello', want: 'invalid' },
    { name: 'an event without an app name', line: '{"result":{"type":"ADDED","application":{"metadata":{}}}}', want: 'invalid' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = parseWatchLine(c.line);
      const text = got.kind === 'event' ? `event:${got.event.type}:${got.event.application.metadata.name}` : got.kind === 'error' ? `error:${got.message}` : 'invalid';
      assert.equal(text, c.want);
    });
  }
});
