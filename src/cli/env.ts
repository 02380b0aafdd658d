// The environment variables the CLI reads (config lives at the edge).
import { defaultCapstanHome } from '../platform/cluster-state.ts';

export function capstanHome(): string {
  return process.env['CAPSTAN_HOME'] ?? defaultCapstanHome();
}
