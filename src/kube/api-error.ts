// Errors of the Kubernetes client layer. KubeApiError is one failed request:
// the HTTP status (0 when no answer came: connection failure or timeout), the
// Status reason, the server's own message, and the verb and object it was
// about ("apply apps/v1 Deployment ns/web: <server message>"). Its retry class
// follows the status: 429/5xx/408 and connection failures are transient,
// 404/409/410 wait for the world to change, the rest (400, 401, 403, 422, …)
// is terminal. Messages pass through redactSecrets: no tokens, no Secret data.
import { CapstanError, type RetryClass } from '../errors.ts';
import { redactSecrets } from './redact.ts';
import { describeTarget, splitApiVersion, type KubeTarget } from './resource-path.ts';

/** The fields of a metav1.Status that errors use. */
export interface KubeStatusBody {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: unknown;
}

export interface KubeApiErrorInit {
  /** get, list, watch, apply, create, replace, patch, delete, discover. */
  readonly verb: string;
  readonly target?: KubeTarget;
  /** HTTP status; 0 when the request got no answer. */
  readonly status: number;
  readonly body?: KubeStatusBody;
  /** Seconds from a Retry-After header (429, some 5xx). */
  readonly retryAfterSeconds?: number;
  readonly cause?: unknown;
}

export class KubeApiError extends CapstanError {
  override readonly name = 'KubeApiError';
  readonly status: number;
  /** The Status reason (NotFound, Conflict, AlreadyExists, Invalid, Expired, …), or ConnectionFailed/Timeout. */
  readonly reason: string;
  readonly serverMessage: string;
  readonly verb: string;
  readonly target: KubeTarget | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(init: KubeApiErrorInit) {
    const secret = init.target?.kind === 'Secret' && splitApiVersion(init.target.apiVersion).group === '';
    const raw = init.body?.message ?? (init.status === 0 ? 'connection failed' : `HTTP ${init.status}`);
    const serverMessage = redactSecrets(raw, { secretValues: secret });
    const about = init.target ? `${init.verb} ${describeTarget(init.target)}` : init.verb;
    super(codeOf(init.status, init.body?.reason), `${about}: ${serverMessage}`, { retry: retryClassOf(init.status), cause: init.cause });
    this.status = init.status;
    this.reason = init.body?.reason ?? '';
    this.serverMessage = serverMessage;
    this.verb = init.verb;
    this.target = init.target;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }

  get notFound(): boolean { return this.status === 404; }
  get conflict(): boolean { return this.status === 409; }
  get gone(): boolean { return this.status === 410; }
}

/** The server serves no such group/version/kind (after one rediscovery). */
export class UnknownKindError extends CapstanError {
  override readonly name = 'UnknownKindError';
  readonly group: string;
  readonly version: string;
  readonly kind: string;

  constructor(apiVersion: string, kind: string) {
    const { group, version } = splitApiVersion(apiVersion);
    super('UnknownKind', `the API server does not serve kind ${kind} in group "${group}" version "${version}"`
      + ' (is its CustomResourceDefinition installed?)', { retry: 'wait' });
    this.group = group;
    this.version = version;
    this.kind = kind;
  }
}

/** What a controller should do after a request failed with this HTTP status. */
export function retryClassOf(status: number): RetryClass {
  if (status === 0 || status === 408 || status === 429 || status >= 500) return 'transient';
  if (status === 404 || status === 409 || status === 410) return 'wait';
  return 'terminal';
}

function codeOf(status: number, reason: string | undefined): string {
  if (reason) return reason;
  if (status === 0) return 'ConnectionFailed';
  return `Http${status}`;
}

export function isNotFound(err: unknown): boolean {
  return err instanceof KubeApiError && err.status === 404;
}

export function isConflict(err: unknown): boolean {
  return err instanceof KubeApiError && err.status === 409;
}

/** 410 Gone: a resourceVersion or continue token too old; relist. */
export function isGone(err: unknown): boolean {
  return err instanceof KubeApiError && err.status === 410;
}
