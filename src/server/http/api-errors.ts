// The one place where errors become HTTP responses, in the shape Argo CD's
// grpc-gateway writes them: `{"error": msg, "code": <gRPC code>, "message":
// msg}` with the HTTP status grpc-gateway's HTTPStatusFromCode gives that
// code. Domain errors (CapstanError codes, Kubernetes API errors) are mapped
// to gRPC codes here, so handlers only throw what went wrong.
import { CapstanError, describeError } from '../../errors.ts';
import { KubeApiError } from '../../kube/api-error.ts';

export const grpcCodes = {
  OK: 0, Canceled: 1, Unknown: 2, InvalidArgument: 3, DeadlineExceeded: 4, NotFound: 5, AlreadyExists: 6,
  PermissionDenied: 7, ResourceExhausted: 8, FailedPrecondition: 9, Aborted: 10, OutOfRange: 11,
  Unimplemented: 12, Internal: 13, Unavailable: 14, DataLoss: 15, Unauthenticated: 16,
} as const;

export type GrpcCodeName = keyof typeof grpcCodes;

/** grpc-gateway (v1 runtime) HTTPStatusFromCode. */
const httpStatusOf: Record<GrpcCodeName, number> = {
  OK: 200, Canceled: 408, Unknown: 500, InvalidArgument: 400, DeadlineExceeded: 504, NotFound: 404, AlreadyExists: 409,
  PermissionDenied: 403, ResourceExhausted: 429, FailedPrecondition: 400, Aborted: 409, OutOfRange: 400,
  Unimplemented: 501, Internal: 500, Unavailable: 503, DataLoss: 500, Unauthenticated: 401,
};

export function httpStatusFromCode(code: GrpcCodeName): number {
  return httpStatusOf[code];
}

/** An error meant for the API's caller: a gRPC code and a message (an HTTP status only for transport-level refusals). */
export class ApiError extends CapstanError {
  override readonly name = 'ApiError';

  constructor(readonly grpc: GrpcCodeName, message: string, readonly httpStatus?: number) {
    super(grpc, message);
  }
}

export const permissionDenied = (): ApiError => new ApiError('PermissionDenied', 'permission denied');

/** CapstanError codes the engine throws, as gRPC codes. */
const codeOfDomain: Record<string, GrpcCodeName> = {
  NotFound: 'NotFound', InvalidArgument: 'InvalidArgument', InvalidSpec: 'InvalidArgument', InvalidSpecError: 'InvalidArgument',
  InvalidObject: 'InvalidArgument', Usage: 'InvalidArgument', NoOperation: 'InvalidArgument',
  PermissionDenied: 'PermissionDenied', Unauthenticated: 'Unauthenticated',
  OperationInProgress: 'FailedPrecondition', FailedPrecondition: 'FailedPrecondition',
  AlreadyExists: 'AlreadyExists', Conflict: 'Aborted', Timeout: 'DeadlineExceeded', Unavailable: 'Unavailable',
  UnknownKind: 'NotFound', CacheSyncTimeout: 'Unavailable',
};

function codeOfKubeStatus(status: number): GrpcCodeName {
  if (status === 0 || status >= 500) return 'Unavailable';
  switch (status) {
    case 400: case 422: return 'InvalidArgument';
    case 403: return 'PermissionDenied';
    case 404: return 'NotFound';
    case 409: return 'AlreadyExists';
    case 429: return 'ResourceExhausted';
    // The server's own credentials were refused by the API server: not the caller's fault.
    case 401: return 'Unavailable';
    default: return 'Unknown';
  }
}

export interface ErrorResponse {
  readonly status: number;
  readonly body: { readonly error: string; readonly code: number; readonly message: string };
}

export function errorResponse(err: unknown): ErrorResponse {
  let grpc: GrpcCodeName;
  let status: number | undefined;
  if (err instanceof ApiError) { grpc = err.grpc; status = err.httpStatus; }
  else if (err instanceof KubeApiError) grpc = codeOfKubeStatus(err.status);
  else if (err instanceof CapstanError) grpc = codeOfDomain[err.code] ?? 'Unknown';
  else grpc = 'Unknown';
  const message = describeError(err);
  return { status: status ?? httpStatusOf[grpc], body: { error: message, code: grpcCodes[grpc], message } };
}
