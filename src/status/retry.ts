// When to retry a failed sync, as Argo CD computes it: wait = duration ×
// factor^retryCount, capped at maxDuration (defaults 5s, 2, 3m); limit < 0 is
// unlimited, 0 is none. Automated syncs retry 5 times when no retry is set.
// Self-heal waits 2 s × 3^attempts, capped at 300 s (controller defaults).
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
}

export const defaultSelfHealBackoff: SelfHealBackoff = { timeoutSeconds: 2, factor: 3, capSeconds: 300 };

/** Milliseconds to wait before self-heal attempt number `attempts` (0-based). */
export function selfHealDelay(attempts: number, backoff: SelfHealBackoff = defaultSelfHealBackoff): number {
  return Math.min(backoff.capSeconds, backoff.timeoutSeconds * backoff.factor ** attempts) * 1000;
}
