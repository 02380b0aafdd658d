// Capped exponential backoff for reconnecting watches: base, 2×base, 4×base …
// up to max. Pure; the caller sleeps.

export interface BackoffOptions {
  /** First delay, default 250 ms. */
  readonly baseMs?: number;
  /** Upper bound, default 30 s. */
  readonly maxMs?: number;
}

/** Delay before retry number `attempt` (1 = first retry); 0 for attempt ≤ 0. */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  if (attempt <= 0) return 0;
  const base = options.baseMs ?? 250;
  const max = options.maxMs ?? 30_000;
  // 2^20 already exceeds any sensible cap; clamping keeps the arithmetic finite.
  return Math.min(max, base * 2 ** Math.min(attempt - 1, 20));
}
