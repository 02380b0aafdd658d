// The order `capstan up` applies package Applications in: wave by wave, a
// wave only once every package app of the waves before it has settled
// (Synced and Healthy, or left to a person by a manual sync policy). That is
// the order Argo CD gives the Applications of an app of apps (lower waves
// first, each wave after the earlier ones are healthy: user-guide/sync-waves.md);
// idpbuilder itself applies every package at once.
import type { Application } from '../api/application.ts';

export interface RolloutItem {
  readonly name: string;
  readonly kind: string;
  readonly wave: number;
}

/** An app whose desired state is reached, or that waits for a person: later waves need not wait for it. */
export function isSettled(app: Application): boolean {
  if (app.operation !== undefined) return false;
  if (!app.spec.syncPolicy?.automated || app.spec.syncPolicy.automated.enabled === false) return true;
  return app.status?.sync?.status === 'Synced' && app.status.health?.status === 'Healthy';
}

/**
 * The pending items to apply now: those of the lowest pending wave, when no applied package app of a lower
 * wave is unsettled. An applied app the cluster does not show yet, or one in `stale` (changed or refreshed
 * and not reconciled since), counts as unsettled.
 */
export function nextRollout<T extends RolloutItem>(pending: readonly T[], applied: readonly RolloutItem[], live: readonly Application[],
  stale: ReadonlySet<string> = new Set()): T[] {
  if (pending.length === 0) return [];
  const wave = Math.min(...pending.map((p) => p.wave));
  const liveByName = new Map(live.map((a) => [a.metadata.name, a]));
  const waiting = applied.some((a) => a.wave < wave && a.kind === 'Application'
    && (stale.has(a.name) || liveByName.get(a.name) === undefined || !isSettled(liveByName.get(a.name)!)));
  return waiting ? [] : pending.filter((p) => p.wave === wave);
}
