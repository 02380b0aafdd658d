// One line of a watch stream, parsed and classified: an object change
// (ADDED/MODIFIED/DELETED), a BOOKMARK (only a new resourceVersion), GONE
// (an ERROR event with code 410: the resourceVersion is too old, relist), or
// another ERROR carrying a metav1.Status. Pure.
import type { KubeObject } from '../api/kube-object.ts';
import { CapstanError } from '../errors.ts';
import type { KubeStatusBody } from './api-error.ts';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export type WatchEvent =
  | { readonly type: ChangeType; readonly object: KubeObject; readonly resourceVersion: string | undefined }
  | { readonly type: 'BOOKMARK'; readonly resourceVersion: string }
  | { readonly type: 'GONE'; readonly status: KubeStatusBody }
  | { readonly type: 'ERROR'; readonly status: KubeStatusBody };

const changeTypes = new Set<string>(['ADDED', 'MODIFIED', 'DELETED']);

function invalid(why: string, line: string): CapstanError {
  return new CapstanError('InvalidWatchEvent', `unreadable watch event (${why}): ${line.slice(0, 120)}`, { retry: 'transient' });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses one line; throws a transient CapstanError (InvalidWatchEvent) on anything else. */
export function parseWatchEvent(line: string): WatchEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw invalid('not JSON', line);
  }
  if (!isRecord(parsed) || typeof parsed['type'] !== 'string' || !isRecord(parsed['object'])) throw invalid('no type or object', line);
  const type = parsed['type'];
  const object = parsed['object'];
  if (type === 'ERROR') {
    const status = object as KubeStatusBody;
    // 410 Gone arrives as code 410, reason Expired (etcd compaction) or Gone (watch cache).
    const gone = status.code === 410 || status.reason === 'Expired' || status.reason === 'Gone';
    return { type: gone ? 'GONE' : 'ERROR', status };
  }
  const metadata = isRecord(object['metadata']) ? object['metadata'] : {};
  const rv = typeof metadata['resourceVersion'] === 'string' ? metadata['resourceVersion'] : undefined;
  if (type === 'BOOKMARK') {
    if (rv === undefined) throw invalid('bookmark without resourceVersion', line);
    return { type, resourceVersion: rv };
  }
  if (!changeTypes.has(type)) throw invalid(`unknown type ${type}`, line);
  return { type: type as ChangeType, object: { ...object, metadata } as KubeObject, resourceVersion: rv };
}
