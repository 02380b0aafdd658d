// List-then-watch of one resource type, the way a cache needs it: a paged
// LIST (limit/continue) gives the full set and a resourceVersion; a WATCH
// from there (with bookmarks) streams changes; a dropped connection resumes
// from the last resourceVersion seen; 410 Gone (resourceVersion too old)
// relists and hands the cache a full replacement. Reconnects back off up to
// `maxBackoffMs`; an AbortSignal stops everything.
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeObject } from '../api/kube-object.ts';
import { KubeApiError } from './api-error.ts';
import { resourcePath, type ApiResource } from './api-discovery.ts';
import type { KubeConnection } from './connection.ts';
import { kubeJson, kubeStream, type Query } from './kube-request.ts';

export interface ObjectList {
  metadata: { resourceVersion?: string; continue?: string };
  items: KubeObject[];
}

export interface WatchHandlers {
  /** The full current set (first list and every relist after 410). */
  onSync(objects: KubeObject[], resourceVersion: string): void;
  onEvent(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: KubeObject): void;
  onError?(err: unknown): void;
}

export interface WatchOptions {
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly pageSize?: number;
  /** Start from this resourceVersion instead of listing first. */
  readonly resourceVersion?: string;
  readonly signal: AbortSignal;
  readonly maxBackoffMs?: number;
  /** Server-side timeout of one watch request (the server ends it; we resume). */
  readonly watchTimeoutSeconds?: number;
}

/** LIST with limit/continue until the whole collection is read. */
export async function listAll(conn: KubeConnection, res: ApiResource, query: Query & { namespace?: string } = {},
  pageSize = 500): Promise<ObjectList> {
  const { namespace, ...rest } = query;
  const items: KubeObject[] = [];
  let cont: string | undefined;
  let resourceVersion = '';
  do {
    const page = await kubeJson<ObjectList>(conn, {
      method: 'GET', path: resourcePath(res, namespace), query: { ...rest, limit: pageSize, continue: cont },
      what: `list ${res.apiVersion} ${res.kind}`,
    });
    for (const item of page.items) items.push({ ...item, apiVersion: res.apiVersion, kind: res.kind });
    cont = page.metadata.continue || undefined;
    resourceVersion = page.metadata.resourceVersion ?? resourceVersion;
  } while (cont !== undefined);
  return { metadata: { resourceVersion }, items };
}

interface WatchEvent { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR'; object: KubeObject & { code?: number; message?: string } }

class GoneError extends Error {}

/** Runs until `options.signal` aborts. */
export async function watchResource(conn: KubeConnection, res: ApiResource, handlers: WatchHandlers,
  options: WatchOptions): Promise<void> {
  let rv = options.resourceVersion;
  let failures = 0;
  while (!options.signal.aborted) {
    try {
      if (rv === undefined) {
        const list = await listAll(conn, res, { namespace: options.namespace, labelSelector: options.labelSelector }, options.pageSize);
        rv = list.metadata.resourceVersion ?? '';
        handlers.onSync(list.items, rv);
      }
      rv = await watchOnce(conn, res, rv, handlers, options);
      failures = 0;
    } catch (err) {
      if (options.signal.aborted) return;
      if (err instanceof GoneError || (err instanceof KubeApiError && err.gone)) {
        rv = undefined; // resourceVersion too old: relist
        continue;
      }
      handlers.onError?.(err);
      failures++;
      const delay = Math.min(options.maxBackoffMs ?? 30_000, 200 * 2 ** Math.min(failures, 10));
      await sleep(delay, undefined, { signal: options.signal }).catch(() => undefined);
    }
  }
}

async function watchOnce(conn: KubeConnection, res: ApiResource, rv: string, handlers: WatchHandlers,
  options: WatchOptions): Promise<string> {
  let current = rv;
  await kubeStream(conn, {
    method: 'GET', path: resourcePath(res, options.namespace), signal: options.signal,
    query: { watch: true, allowWatchBookmarks: true, resourceVersion: rv, labelSelector: options.labelSelector,
      timeoutSeconds: options.watchTimeoutSeconds ?? 300 },
    what: `watch ${res.apiVersion} ${res.kind}`,
  }, (line) => {
    const event = JSON.parse(line) as WatchEvent;
    if (event.type === 'ERROR') {
      if (event.object.code === 410) throw new GoneError(event.object.message ?? 'resource version too old');
      throw new KubeApiError(`watch ${res.apiVersion} ${res.kind}`, event.object.code ?? 500, event.object);
    }
    current = event.object.metadata?.resourceVersion ?? current;
    if (event.type === 'BOOKMARK') return;
    handlers.onEvent(event.type, { ...event.object, apiVersion: res.apiVersion, kind: res.kind });
  });
  return current;
}
