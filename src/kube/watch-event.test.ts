import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasErrorCode } from '../errors.ts';
import { parseWatchEvent, type WatchEvent } from './watch-event.ts';

const obj = (rv?: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', ...(rv ? { resourceVersion: rv } : {}) } });

test('watch events are classified', () => {
  const cases: Array<{ name: string; line: unknown; want: WatchEvent }> = [
    { name: 'added', line: { type: 'ADDED', object: obj('5') }, want: { type: 'ADDED', object: obj('5'), resourceVersion: '5' } },
    { name: 'modified', line: { type: 'MODIFIED', object: obj('6') }, want: { type: 'MODIFIED', object: obj('6'), resourceVersion: '6' } },
    { name: 'deleted without rv', line: { type: 'DELETED', object: obj() }, want: { type: 'DELETED', object: obj(), resourceVersion: undefined } },
    { name: 'bookmark', line: { type: 'BOOKMARK', object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: '99' } } },
      want: { type: 'BOOKMARK', resourceVersion: '99' } },
    { name: '410 expired', line: { type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version: 1 (5)' } },
      want: { type: 'GONE', status: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version: 1 (5)' } } },
    { name: 'gone without code', line: { type: 'ERROR', object: { kind: 'Status', reason: 'Gone', message: 'x' } },
      want: { type: 'GONE', status: { kind: 'Status', reason: 'Gone', message: 'x' } } },
    { name: 'other error', line: { type: 'ERROR', object: { kind: 'Status', code: 500, reason: 'InternalError', message: 'boom' } },
      want: { type: 'ERROR', status: { kind: 'Status', code: 500, reason: 'InternalError', message: 'boom' } } },
  ];
  for (const c of cases) assert.deepEqual(parseWatchEvent(JSON.stringify(c.line)), c.want, c.name);
});

test('unreadable lines are a transient InvalidWatchEvent error', () => {
  for (const line of ['not json', '[]', '{"type":"ADDED"}', '{"type":"WHAT","object":{}}', '{"type":"BOOKMARK","object":{"metadata":{}}}']) {
    assert.throws(() => parseWatchEvent(line), (err: unknown) => hasErrorCode(err, 'InvalidWatchEvent') && err.retry === 'transient', line);
  }
});
