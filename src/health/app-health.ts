// An application's health from its resources, as Argo CD aggregates it: the
// worst resource health, where hooks, resources without a health check,
// resources not (yet) live, and child Applications that are Missing or
// Unknown do not count; the app is Missing only when it has resources and
// none of them exists.
import type { HealthStatusCode } from './builtin-health.ts';
import { isWorse } from './builtin-health.ts';

export interface ResourceHealthInput {
  readonly kind: string;
  readonly group: string;
  readonly hook: boolean;
  readonly live: boolean;
  readonly health?: { readonly status: HealthStatusCode; readonly message?: string };
  readonly ignoreHealth?: boolean;
}

export function aggregateAppHealth(resources: readonly ResourceHealthInput[]): { status: HealthStatusCode; message?: string } {
  const counted = resources.filter((r) => !r.hook && !r.ignoreHealth);
  if (counted.length > 0 && counted.every((r) => !r.live)) return { status: 'Missing' };
  let worst: HealthStatusCode = 'Healthy';
  for (const r of counted) {
    if (!r.live || r.health === undefined) continue;
    const status = r.health.status;
    if (r.group === 'argoproj.io' && r.kind === 'Application' && (status === 'Missing' || status === 'Unknown')) continue;
    if (isWorse(status, worst)) worst = status;
  }
  return { status: worst };
}
