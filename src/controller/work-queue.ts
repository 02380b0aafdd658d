// A keyed work queue for level-triggered reconcilers: a key queued several
// times before it is processed runs once; a key is never processed by two
// workers at once (added while in flight, it runs again afterwards); failed
// keys come back after an exponential backoff; delayed adds (periodic
// refresh) keep the earliest due time.

export interface WorkQueueOptions {
  readonly workers?: number;
  readonly baseBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Injectable clock and timers for tests. */
  readonly now?: () => number;
}

export type ReconcileFn = (key: string) => Promise<void>;

export class WorkQueue {
  private readonly ready: string[] = [];
  private readonly queued = new Set<string>();
  private readonly inFlight = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly timers = new Map<string, { due: number; timer: ReturnType<typeof setTimeout> }>();
  private readonly failures = new Map<string, number>();
  private readonly idleWaiters: Array<() => void> = [];
  private active = 0;
  private stopped = false;
  private readonly workers: number;
  private readonly baseBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly now: () => number;

  constructor(private readonly reconcile: ReconcileFn, options: WorkQueueOptions = {}) {
    this.workers = options.workers ?? 4;
    this.baseBackoffMs = options.baseBackoffMs ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Queues `key` now. */
  add(key: string): void {
    if (this.stopped) return;
    this.clearTimer(key);
    if (this.inFlight.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.ready.push(key);
    this.pump();
  }

  /** Queues `key` after `delayMs`, unless it is already due sooner. */
  addAfter(key: string, delayMs: number): void {
    if (this.stopped) return;
    if (delayMs <= 0) return this.add(key);
    const due = this.now() + delayMs;
    const existing = this.timers.get(key);
    if (existing !== undefined && existing.due <= due) return;
    this.clearTimer(key);
    const timer = setTimeout(() => { this.timers.delete(key); this.add(key); }, delayMs);
    timer.unref?.();
    this.timers.set(key, { due, timer });
  }

  /** Forgets the failure count of a key (after a success). */
  forget(key: string): void {
    this.failures.delete(key);
  }

  get length(): number {
    return this.ready.length;
  }

  /** Resolves when nothing is queued or in flight (timers do not count). */
  idle(): Promise<void> {
    if (this.active === 0 && this.ready.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.ready.length = 0;
    this.queued.clear();
  }

  private clearTimer(key: string): void {
    const t = this.timers.get(key);
    if (t !== undefined) {
      clearTimeout(t.timer);
      this.timers.delete(key);
    }
  }

  private pump(): void {
    while (!this.stopped && this.active < this.workers && this.ready.length > 0) {
      const key = this.ready.shift()!;
      this.queued.delete(key);
      this.active++;
      this.inFlight.add(key);
      void this.run(key);
    }
    if (this.active === 0 && this.ready.length === 0) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  private async run(key: string): Promise<void> {
    let failed = false;
    try {
      await this.reconcile(key);
      this.failures.delete(key);
    } catch {
      failed = true;
    }
    this.inFlight.delete(key);
    this.active--;
    if (this.dirty.delete(key)) this.add(key);
    else if (failed) this.addAfter(key, this.backoff(key));
    this.pump();
  }

  private backoff(key: string): number {
    const n = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, n);
    return Math.min(this.maxBackoffMs, this.baseBackoffMs * 2 ** (n - 1));
  }
}
