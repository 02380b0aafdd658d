// The applications the UI knows, kept current: the list call once, then the
// watch stream's events (ADDED/MODIFIED upsert, DELETED removes). Pages
// subscribe; changes are announced at most every 100 ms, so a burst of events
// (every app reconciling at once) costs one render.
import { ApiError } from '../api/api-client.ts';
import type { Application } from '../api/api-types.ts';
import { watchApplications } from '../api/app-stream.ts';
import { listApplications } from '../api/endpoints.ts';

export type LiveState = 'connecting' | 'connected' | 'retrying';

export class AppStore {
  readonly apps = new Map<string, Application>();
  loaded = false;
  error: string | undefined;
  live: LiveState = 'connecting';
  liveMessage: string | undefined;
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopWatch: (() => void) | undefined;

  constructor(private readonly onUnauthorized: () => void) {}

  start(): void {
    if (this.stopWatch !== undefined) return;
    void listApplications().then((list) => {
      for (const app of list.items ?? []) if (app.metadata.name) this.apps.set(app.metadata.name, app);
      this.loaded = true; this.error = undefined;
      this.changed();
    }, (err: unknown) => {
      if (err instanceof ApiError && err.status === 401) return;
      this.error = err instanceof Error ? err.message : String(err);
      this.changed();
    });
    this.stopWatch = watchApplications({
      onEvent: (event) => {
        const name = event.application.metadata.name;
        if (name === undefined) return;
        if (event.type === 'DELETED') this.apps.delete(name);
        else if (event.type === 'ADDED' || event.type === 'MODIFIED') this.apps.set(name, event.application);
        this.loaded = true;
        this.changed();
      },
      onState: (state, message) => { this.live = state; this.liveMessage = message; this.changed(); },
      onUnauthorized: () => this.onUnauthorized(),
    });
  }

  stop(): void {
    this.stopWatch?.();
    this.stopWatch = undefined;
    this.apps.clear();
    this.loaded = false;
  }

  /** An app as a call returned it (sync, get): shown at once, before its watch event arrives. */
  upsert(app: Application): void {
    if (app.metadata?.name === undefined) return;
    const known = this.apps.get(app.metadata.name);
    // The stream may already have delivered something newer.
    if (known !== undefined && Number(known.metadata.resourceVersion) > Number(app.metadata.resourceVersion)) return;
    this.apps.set(app.metadata.name, app);
    this.changed();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      for (const l of this.listeners) l();
    }, 100);
  }
}
