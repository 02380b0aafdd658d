import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KubeApiError, UnknownKindError, isConflict, isGone, isNotFound, retryClassOf } from './api-error.ts';

test('retry class follows the HTTP status', () => {
  const cases: Array<[number, string]> = [
    [0, 'transient'], [408, 'transient'], [429, 'transient'], [500, 'transient'], [503, 'transient'], [504, 'transient'],
    [404, 'wait'], [409, 'wait'], [410, 'wait'],
    [400, 'terminal'], [401, 'terminal'], [403, 'terminal'], [405, 'terminal'], [415, 'terminal'], [422, 'terminal'],
  ];
  for (const [status, want] of cases) assert.equal(retryClassOf(status), want, `HTTP ${status}`);
});

test('KubeApiError names the verb and object, carries status, reason and the server message', () => {
  const cases = [
    { name: 'conflict', init: { verb: 'apply', target: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'ns', name: 'web' }, status: 409,
      body: { reason: 'Conflict', message: 'Apply failed with 1 conflict' } },
      want: { message: 'apply apps/v1 Deployment ns/web: Apply failed with 1 conflict', code: 'Conflict', retry: 'wait', reason: 'Conflict' } },
    { name: 'no answer', init: { verb: 'get', target: { apiVersion: 'v1', kind: 'Namespace', name: 'x' }, status: 0 },
      want: { message: 'get v1 Namespace x: connection failed', code: 'ConnectionFailed', retry: 'transient', reason: '' } },
    { name: 'no body', init: { verb: 'discover API groups', status: 503 },
      want: { message: 'discover API groups: HTTP 503', code: 'Http503', retry: 'transient', reason: '' } },
    { name: 'invalid', init: { verb: 'create', target: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'n', name: 'c' }, status: 422,
      body: { reason: 'Invalid', message: 'ConfigMap "c" is invalid: data[x y]: Invalid value: "x y": a valid config key' } },
      want: { message: 'create v1 ConfigMap n/c: ConfigMap "c" is invalid: data[x y]: Invalid value: "x y": a valid config key',
        code: 'Invalid', retry: 'terminal', reason: 'Invalid' } },
    { name: 'secret values are masked', init: { verb: 'apply', target: { apiVersion: 'v1', kind: 'Secret', namespace: 'n', name: 's' }, status: 422,
      body: { reason: 'Invalid', message: 'Secret "s" is invalid: data[k]: Invalid value: "hunter2": bad' } },
      want: { message: 'apply v1 Secret n/s: Secret "s" is invalid: data[k]: Invalid value: [redacted]: bad', code: 'Invalid', retry: 'terminal', reason: 'Invalid' } },
  ];
  for (const c of cases) {
    const err = new KubeApiError(c.init);
    assert.deepEqual({ message: err.message, code: err.code, retry: err.retry, reason: err.reason }, c.want, c.name);
    assert.equal(err.status, c.init.status);
    assert.equal(err.verb, c.init.verb);
  }
});

test('predicates and the unknown-kind error', () => {
  const of = (status: number) => new KubeApiError({ verb: 'get', status });
  assert.deepEqual([isNotFound(of(404)), isConflict(of(409)), isGone(of(410)), isNotFound(new Error('x'))], [true, true, true, false]);
  const unknown = new UnknownKindError('example.com/v1', 'Widget');
  assert.deepEqual([unknown.code, unknown.retry, unknown.group, unknown.version, unknown.kind], ['UnknownKind', 'wait', 'example.com', 'v1', 'Widget']);
  assert.match(unknown.message, /kind Widget in group "example.com" version "v1"/);
  assert.match(new UnknownKindError('v1', 'Gizmo').message, /group "" version "v1"/);
});
