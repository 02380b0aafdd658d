// LIST of one resource type: one page (limit/continue), or the whole
// collection page by page. Items come back with apiVersion and kind set (the
// server leaves them out of list items). A continue token that expired while
// paging (410 Gone, reason Expired) restarts the list from the beginning,
// since pages from two snapshots must not be mixed.
import type { KubeObject } from '../api/kube-object.ts';
import { isGone } from './api-error.ts';
import type { ApiResource } from './api-discovery.ts';
import type { KubeConnection } from './connection.ts';
import { kubeJson } from './kube-request.ts';
import { resourcePath } from './resource-path.ts';

export interface ObjectList {
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: KubeObject[];
}

export interface ListOptions {
  /** Namespace of a namespaced kind; all namespaces when absent. */
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export interface PageOptions extends ListOptions {
  /** Page size (the server may return fewer). */
  readonly limit?: number;
  /** Token from the previous page's metadata.continue. */
  readonly continue?: string;
}

/** Default page size of listAll. */
export const defaultPageSize = 500;
const maxRestarts = 3;

/** One page of a LIST. */
export async function listPage(conn: KubeConnection, res: ApiResource, options: PageOptions = {}): Promise<ObjectList> {
  const page = await kubeJson<ObjectList>(conn, {
    method: 'GET', path: resourcePath(res, options.namespace),
    query: { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector, limit: options.limit, continue: options.continue },
    verb: 'list', target: { apiVersion: res.apiVersion, kind: res.kind, ...(options.namespace ? { namespace: options.namespace } : {}) },
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}), ...(options.signal ? { signal: options.signal } : {}),
  });
  const items = (page.items ?? []).map((item) => ({ ...item, apiVersion: res.apiVersion, kind: res.kind }));
  return { metadata: page.metadata ?? {}, items };
}

/** The whole collection with limit/continue; its resourceVersion is the list's (a watch starts there). */
export async function listAll(conn: KubeConnection, res: ApiResource, options: ListOptions & { pageSize?: number } = {}): Promise<ObjectList> {
  const { pageSize = defaultPageSize, ...rest } = options;
  for (let restarts = 0; ; restarts++) {
    const items: KubeObject[] = [];
    let cont: string | undefined;
    let resourceVersion: string | undefined;
    try {
      do {
        const page = await listPage(conn, res, { ...rest, limit: pageSize, ...(cont ? { continue: cont } : {}) });
        items.push(...page.items);
        // Every page of one list carries the first page's snapshot version.
        resourceVersion ??= page.metadata.resourceVersion;
        cont = page.metadata.continue || undefined;
      } while (cont !== undefined);
      return { metadata: resourceVersion !== undefined ? { resourceVersion } : {}, items };
    } catch (err) {
      if (!(isGone(err) && cont !== undefined && restarts < maxRestarts)) throw err;
    }
  }
}
