// List-then-watch of one resource type, the way a cache needs it. A paged
// LIST gives the full set and a resourceVersion (handed over with onSync);
// a WATCH from there with allowWatchBookmarks streams changes (onEvent). The
// resourceVersion of every event and bookmark is remembered, so a dropped or
// timed-out connection resumes exactly where it stopped, without a relist.
// 410 Gone — an HTTP 410 or an ERROR event with code 410 — means that version
// was compacted away: relist and call onSync again with reason 'resync', so
// the cache replaces its contents. Failures reconnect with capped
// exponential backoff and are reported to onError; the AbortSignal stops it
// all, and every request ends with it (no socket outlives the watch).
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeObject } from '../api/kube-object.ts';
import { KubeApiError, isGone } from './api-error.ts';
import type { ApiResource } from './api-discovery.ts';
import { backoffDelay } from './backoff.ts';
import type { KubeConnection } from './connection.ts';
import { kubeLines } from './kube-request.ts';
import { listAll } from './resource-list.ts';
import { resourcePath, type KubeTarget } from './resource-path.ts';
import { parseWatchEvent, type ChangeType } from './watch-event.ts';

/** 'initial': the first list; 'resync': a relist after 410 Gone (replace everything). */
export type SyncReason = 'initial' | 'resync';

export interface WatchHandlers {
  // Handlers may return a promise; the watch awaits it before going on, so a
  // slow consumer slows the stream instead of piling events up in memory.
  /** The full current set: the first list and every relist. */
  onSync(objects: KubeObject[], resourceVersion: string, reason: SyncReason): unknown;
  /** One change, in order. If it throws, the watch reconnects and the event comes again. */
  onEvent(type: ChangeType, obj: KubeObject): unknown;
  /** A bookmark moved the resourceVersion on (nothing changed). */
  onBookmark?(resourceVersion: string): void;
  /** A failure the watch recovers from by itself (it reconnects with backoff). */
  onError?(err: unknown): void;
}

export interface WatchOptions {
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** LIST page size. @default 500 */
  readonly pageSize?: number;
  /** Start watching from this resourceVersion instead of listing first (a 410 relists). */
  readonly resourceVersion?: string;
  readonly signal: AbortSignal;
  /** @default 250 */
  readonly initialBackoffMs?: number;
  /** @default 30000 */
  readonly maxBackoffMs?: number;
  /** Server-side length of one watch request; the watch then resumes. The client gives up 30 s after it. @default 300 */
  readonly watchTimeoutSeconds?: number;
}

/** A watch stream closed this quickly with nothing in it counts as a failure (no hot reconnect loop). */
const minHealthyStreamMs = 1_000;

/** Lists and watches until `options.signal` aborts; resolves then. */
export async function watchResource(conn: KubeConnection, res: ApiResource, handlers: WatchHandlers, options: WatchOptions): Promise<void> {
  const state: WatchState = { rv: options.resourceVersion, synced: options.resourceVersion !== undefined };
  const backoff = { baseMs: options.initialBackoffMs ?? 250, maxMs: options.maxBackoffMs ?? 30_000 };
  let failures = 0;
  let gones = 0;
  while (!options.signal.aborted) {
    try {
      if (state.rv === undefined) await relist(conn, res, handlers, options, state);
      const startedAt = Date.now();
      const progressed = await watchOnce(conn, res, handlers, options, state);
      if (progressed) { failures = 0; gones = 0; continue; }
      if (Date.now() - startedAt >= minHealthyStreamMs) { failures = 0; continue; }
      failures++;
    } catch (err) {
      if (options.signal.aborted) return;
      if (isGone(err)) {
        state.rv = undefined;
        // The first 410 relists at once; repeated ones back off.
        if (++gones === 1) continue;
        await pause(backoffDelay(gones - 1, backoff), options.signal);
        continue;
      }
      handlers.onError?.(err);
      failures++;
    }
    await pause(backoffDelay(failures, backoff), options.signal);
  }
}

interface WatchState {
  /** Where the next watch starts; undefined: list first. */
  rv: string | undefined;
  /** Whether an onSync was delivered (or a start version given): later lists are resyncs. */
  synced: boolean;
}

async function relist(conn: KubeConnection, res: ApiResource, handlers: WatchHandlers, options: WatchOptions, state: WatchState): Promise<void> {
  const list = await listAll(conn, res, {
    ...(options.namespace ? { namespace: options.namespace } : {}), ...(options.labelSelector ? { labelSelector: options.labelSelector } : {}),
    ...(options.fieldSelector ? { fieldSelector: options.fieldSelector } : {}), ...(options.pageSize ? { pageSize: options.pageSize } : {}),
    signal: options.signal,
  });
  const rv = list.metadata.resourceVersion ?? '';
  await handlers.onSync(list.items, rv, state.synced ? 'resync' : 'initial');
  state.synced = true;
  state.rv = rv;
}

/** One watch request; true when it delivered anything. Throws KubeApiError (410 included) on failure. */
async function watchOnce(conn: KubeConnection, res: ApiResource, handlers: WatchHandlers, options: WatchOptions,
  state: WatchState): Promise<boolean> {
  const target: KubeTarget = { apiVersion: res.apiVersion, kind: res.kind, ...(options.namespace ? { namespace: options.namespace } : {}) };
  const timeoutSeconds = options.watchTimeoutSeconds ?? 300;
  const lines = kubeLines(conn, {
    method: 'GET', path: resourcePath(res, options.namespace), signal: options.signal, verb: 'watch', target,
    query: {
      watch: true, allowWatchBookmarks: true, resourceVersion: state.rv || undefined, timeoutSeconds,
      labelSelector: options.labelSelector, fieldSelector: options.fieldSelector,
    },
  }, (timeoutSeconds + 30) * 1000);
  let progressed = false;
  for await (const line of lines) {
    const event = parseWatchEvent(line);
    switch (event.type) {
      case 'BOOKMARK':
        state.rv = event.resourceVersion;
        handlers.onBookmark?.(event.resourceVersion);
        break;
      case 'GONE':
      case 'ERROR':
        throw new KubeApiError({ verb: 'watch', target, status: event.type === 'GONE' ? 410 : event.status.code ?? 500, body: event.status });
      default:
        await handlers.onEvent(event.type, { ...event.object, apiVersion: res.apiVersion, kind: res.kind });
        // Only after the handler took it: a failed handler sees the event again.
        if (event.resourceVersion !== undefined) state.rv = event.resourceVersion;
    }
    progressed = true;
  }
  return progressed;
}

async function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return;
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}
