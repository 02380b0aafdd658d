// The error mapping: gRPC codes to HTTP statuses as grpc-gateway maps them,
// domain and Kubernetes errors to gRPC codes, and Argo CD's body shape.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CapstanError } from '../../errors.ts';
import { KubeApiError } from '../../kube/api-error.ts';
import { ApiError, errorResponse, grpcCodes, httpStatusFromCode, type GrpcCodeName } from './api-errors.ts';

test('gRPC codes map to grpc-gateway HTTP statuses', () => {
  const want: Array<[GrpcCodeName, number]> = [
    ['OK', 200], ['Canceled', 408], ['Unknown', 500], ['InvalidArgument', 400], ['DeadlineExceeded', 504], ['NotFound', 404],
    ['AlreadyExists', 409], ['PermissionDenied', 403], ['ResourceExhausted', 429], ['FailedPrecondition', 400], ['Aborted', 409],
    ['OutOfRange', 400], ['Unimplemented', 501], ['Internal', 500], ['Unavailable', 503], ['DataLoss', 500], ['Unauthenticated', 401],
  ];
  for (const [code, status] of want) assert.equal(httpStatusFromCode(code), status, code);
  assert.equal(Object.keys(grpcCodes).length, 17);
});

test('errors become Argo CD-shaped bodies', () => {
  const cases: Array<[string, unknown, number, number]> = [
    ['permission denied', new ApiError('PermissionDenied', 'permission denied'), 403, 7],
    ['unauthenticated', new CapstanError('Unauthenticated', 'no session information'), 401, 16],
    ['not found', new CapstanError('NotFound', 'application "x" not found'), 404, 5],
    ['invalid spec', new CapstanError('InvalidSpec', 'bad'), 400, 3],
    ['operation in progress', new CapstanError('OperationInProgress', 'another operation is already in progress'), 400, 9],
    ['timeout', new CapstanError('Timeout', 'late'), 504, 4],
    ['unknown domain code', new CapstanError('Weird', 'huh'), 500, 2],
    ['plain error', new Error('boom'), 500, 2],
    ['kube 404', new KubeApiError({ verb: 'get', status: 404, body: { message: 'gone', reason: 'NotFound' } }), 404, 5],
    ['kube 409', new KubeApiError({ verb: 'patch', status: 409, body: { message: 'conflict', reason: 'Conflict' } }), 409, 6],
    ['kube 422', new KubeApiError({ verb: 'patch', status: 422, body: { message: 'invalid', reason: 'Invalid' } }), 400, 3],
    ['kube unreachable', new KubeApiError({ verb: 'get', status: 0 }), 503, 14],
    ['explicit HTTP status', new ApiError('ResourceExhausted', 'request body too large', 413), 413, 8],
  ];
  for (const [name, err, status, code] of cases) {
    const r = errorResponse(err);
    assert.equal(r.status, status, name);
    assert.equal(r.body.code, code, name);
    assert.equal(r.body.error, r.body.message, name);
    assert.equal(r.body.message, (err as Error).message, name);
  }
});
