// How the CLI reports failure: one readable message on stderr and a non-zero
// exit code (2 for usage errors, 1 otherwise).
import { CapstanError } from '../errors.ts';

export function reportAndExit(err: unknown): never {
  const message = err instanceof Error ? err.message : String(err);
  const prefix = err instanceof CapstanError ? `capstan: ${err.code}: ` : 'capstan: ';
  process.stderr.write(`${prefix}${message}\n`);
  process.exit(err instanceof CapstanError && err.code === 'Usage' ? 2 : 1);
}
