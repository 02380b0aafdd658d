// Rendered manifests by key, bounded with least-recently-used eviction;
// concurrent requests for one key share a single render; failures are never
// stored, so a bad render cannot poison the cache.

export class RenderCache<T> {
  private readonly entries = new Map<string, T>();
  private readonly inflight = new Map<string, Promise<T>>();
  /** Renders actually run (cache misses that completed or failed). */
  renders = 0;
  hits = 0;

  constructor(private readonly maxEntries = 2000) {}

  /** `fresh` (a hard refresh) renders again and replaces what is cached. */
  async get(key: string, render: () => Promise<T>, options: { fresh?: boolean } = {}): Promise<T> {
    const cached = options.fresh ? undefined : this.entries.get(key);
    if (cached !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, cached);
      this.hits++;
      return cached;
    }
    const running = this.inflight.get(key);
    if (running !== undefined && !options.fresh) { this.hits++; return running; }
    this.renders++;
    const p = render().then((value) => {
      this.entries.set(key, value);
      while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
      return value;
    }).finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }

  peek(key: string): T | undefined {
    return this.entries.get(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
