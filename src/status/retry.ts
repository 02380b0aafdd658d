// When to retry a failed sync, as Argo CD computes it: wait = duration ×
// factor^retryCount, capped at maxDuration (defaults 5s, 2, 3m); limit < 0 is
// unlimited, 0 is none. Automated syncs retry 5 times when no retry is set.
// Self-heal (controller defaults --self-heal-backoff-timeout-seconds 2,
// -factor 3, -cap-seconds 300, -cooldown-seconds 330): the first attempt at a
// revision runs at once, the n-th waits 2 s × 3^(n-2) after the last sync,
// capped at 300 s; the count starts over after a cool-down without syncs.
import { parseDuration } from './durations.ts';

export interface RetryStrategy {
  limit?: number;
  backoff?: { duration?: string; factor?: number; maxDuration?: string };
  refresh?: boolean;
}

export const automatedSyncDefaultRetry: RetryStrategy = { limit: 5 };

/** Milliseconds to wait before retry number `retryCount` (0-based), or undefined when no retry is left. */
export function nextRetryDelay(strategy: RetryStrategy | undefined, retryCount: number): number | undefined {
  if (strategy === undefined) return undefined;
  const limit = strategy.limit ?? 0;
  if (limit >= 0 && retryCount >= limit) return undefined;
  const base = parseDuration(strategy.backoff?.duration ?? '5s') ?? 5000;
  const factor = strategy.backoff?.factor ?? 2;
  const max = parseDuration(strategy.backoff?.maxDuration ?? '3m') ?? 180_000;
  return Math.min(max, base * factor ** retryCount);
}

export interface SelfHealBackoff {
  readonly timeoutSeconds: number;
  readonly factor: number;
  readonly capSeconds: number;
  readonly cooldownSeconds: number;
}

export const defaultSelfHealBackoff: SelfHealBackoff = { timeoutSeconds: 2, factor: 3, capSeconds: 300, cooldownSeconds: 330 };

/**
 * Milliseconds to wait, after the last sync, before a self-heal when
 * `attempts` self-heals were made already: k8s wait.Backoff stepped
 * `attempts` times (0 → none, 1 → 2 s, 2 → 6 s, …, capped).
 */
export function selfHealDelay(attempts: number, backoff: SelfHealBackoff = defaultSelfHealBackoff): number {
  if (attempts <= 0) return 0;
  return Math.min(backoff.capSeconds, backoff.timeoutSeconds * backoff.factor ** (attempts - 1)) * 1000;
}
