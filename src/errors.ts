// CapstanError: the one error type the engine throws. The code says what went
// wrong, the retry class says what a controller should do about it (STYLE.md):
// 'transient' retry soon, 'wait' retry after the world changes, 'terminal'
// needs a person.

export type RetryClass = 'transient' | 'wait' | 'terminal';

export interface CapstanErrorOptions {
  readonly retry?: RetryClass;
  readonly cause?: unknown;
}

export class CapstanError extends Error {
  override readonly name: string = 'CapstanError';
  readonly code: string;
  readonly retry: RetryClass;

  constructor(code: string, message: string, options: CapstanErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retry = options.retry ?? 'terminal';
  }
}

/** True when `err` is a CapstanError with the given code. */
export function hasErrorCode(err: unknown, code: string): err is CapstanError {
  return err instanceof CapstanError && err.code === code;
}

/** A readable one-line message for any thrown value. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
