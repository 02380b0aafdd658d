// Failed logins per user, as Argo CD's session manager limits them: after 5
// failures (ARGOCD_SESSION_FAILURE_MAX_FAIL_COUNT) within 300 s
// (ARGOCD_SESSION_FAILURE_WINDOW_SECONDS) of the last one, that user's logins
// are refused without looking at the password until the window passes; a
// success forgets the user. At most 1,000 users are remembered
// (ARGOCD_SESSION_MAX_CACHE_SIZE): past that a random entry makes room, so a
// flood of made-up names cannot exhaust memory.

export interface LoginAttemptsOptions {
  readonly maxFailures?: number;
  readonly windowMs?: number;
  readonly maxEntries?: number;
  readonly now?: () => number;
}

interface Attempt { failures: number; lastFailedAt: number }

export class LoginAttempts {
  private readonly attempts = new Map<string, Attempt>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: LoginAttemptsOptions = {}) {
    this.maxFailures = options.maxFailures ?? 5;
    this.windowMs = options.windowMs ?? 300_000;
    this.maxEntries = options.maxEntries ?? 1000;
    this.now = options.now ?? Date.now;
  }

  /** True while the user has used up its failures within the window. */
  blocked(username: string): boolean {
    const a = this.attempts.get(username);
    return a !== undefined && a.failures >= this.maxFailures && (this.windowMs === 0 || this.now() - a.lastFailedAt <= this.windowMs);
  }

  failed(username: string): number {
    this.expire();
    let a = this.attempts.get(username);
    if (a === undefined) {
      if (this.attempts.size >= this.maxEntries) {
        const keys = [...this.attempts.keys()];
        this.attempts.delete(keys[Math.floor(Math.random() * keys.length)]!);
      }
      a = { failures: 0, lastFailedAt: 0 };
      this.attempts.set(username, a);
    }
    a.failures++;
    a.lastFailedAt = this.now();
    return a.failures;
  }

  succeeded(username: string): void {
    this.attempts.delete(username);
  }

  get size(): number {
    return this.attempts.size;
  }

  private expire(): void {
    if (this.windowMs === 0) return;
    const now = this.now();
    for (const [name, a] of this.attempts) if (now - a.lastFailedAt > this.windowMs) this.attempts.delete(name);
  }
}
