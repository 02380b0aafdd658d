// Errors from the Kubernetes API as one typed error: the HTTP status, the
// Status reason, the server's own message, and what was being done to which
// object. The retry class follows the status: 429/5xx and connection failures
// are transient, 404/409 wait for the world to change, the rest is terminal.
import { CapstanError, type RetryClass } from '../errors.ts';

export interface KubeStatusBody {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: unknown;
}

export class KubeApiError extends CapstanError {
  override readonly name = 'KubeApiError';
  readonly status: number;
  readonly reason: string;
  readonly serverMessage: string;

  constructor(what: string, status: number, body: KubeStatusBody | undefined, cause?: unknown) {
    const serverMessage = body?.message ?? (status === 0 ? 'connection failed' : `HTTP ${status}`);
    super(codeOf(status, body?.reason), `${what}: ${serverMessage}`, { retry: retryOf(status), cause });
    this.status = status;
    this.reason = body?.reason ?? '';
    this.serverMessage = serverMessage;
  }

  get notFound(): boolean { return this.status === 404; }
  get conflict(): boolean { return this.status === 409; }
  get gone(): boolean { return this.status === 410; }
}

function codeOf(status: number, reason: string | undefined): string {
  if (reason) return reason;
  if (status === 0) return 'ConnectionFailed';
  return `Http${status}`;
}

function retryOf(status: number): RetryClass {
  if (status === 0 || status === 429 || status >= 500) return 'transient';
  if (status === 404 || status === 409 || status === 410) return 'wait';
  return 'terminal';
}

export function isNotFound(err: unknown): boolean {
  return err instanceof KubeApiError && err.status === 404;
}

export function isConflict(err: unknown): boolean {
  return err instanceof KubeApiError && err.status === 409;
}
