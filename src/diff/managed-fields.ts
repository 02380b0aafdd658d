// `managedFieldsManagers`, as Argo CD normalizes with them
// (util/argo/managedfields): where the desired object and the live one hold
// different values at the same field, and one of the trusted managers owns
// that field in live's managedFields, the field is removed from both sides,
// so another controller's (an HPA's, an operator's) writes are not drift.
// Fields are compared as structured-merge-diff's deduced type does: maps
// field by field, lists and scalars as whole values; owned fields come from
// the FieldsV1 entries (`f:<name>`; list items `k:`/`v:`/`i:` never match a
// whole-list difference, as in Argo CD).
import type { KubeObject } from '../api/kube-object.ts';

interface ManagedFieldsEntry { manager?: string; fieldsV1?: unknown }

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (isMap(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(v[k])]));
  return v;
}

/** Paths (field names) present on both sides with different values. */
function modifiedPaths(live: unknown, config: unknown, prefix: string[], out: string[][]): void {
  if (isMap(live) && isMap(config)) {
    for (const key of Object.keys(config)) {
      if (!(key in live)) continue;
      modifiedPaths(live[key], config[key], [...prefix, key], out);
    }
    return;
  }
  if (!sameValue(live, config)) out.push(prefix);
}

/** True when the FieldsV1 tree lists exactly this field path as owned. */
function owns(fields: unknown, path: readonly string[]): boolean {
  let node: unknown = fields;
  for (const name of path) {
    if (!isMap(node)) return false;
    node = node[`f:${name}`];
    if (node === undefined) return false;
  }
  return isMap(node) && (Object.keys(node).length === 0 || '.' in node);
}

function removePath(obj: Json, path: readonly string[]): void {
  let at: unknown = obj;
  for (const name of path.slice(0, -1)) {
    if (!isMap(at)) return;
    at = at[name];
  }
  if (isMap(at)) delete at[path[path.length - 1]!];
}

export interface ManagedFieldsNormalization {
  readonly live: KubeObject;
  readonly target: KubeObject;
  /** The removed field paths, to remove from a server's prediction too. */
  readonly dropped: readonly (readonly string[])[];
}

/** Copies of live and target without the conflicting fields the trusted managers own. */
export function normalizeManagedFields(live: KubeObject, target: KubeObject, trustedManagers: readonly string[]): ManagedFieldsNormalization {
  if (trustedManagers.length === 0) return { live, target, dropped: [] };
  const entries = ((live.metadata.managedFields ?? []) as ManagedFieldsEntry[]).filter((e) => e.manager !== undefined && trustedManagers.includes(e.manager));
  if (entries.length === 0) return { live, target, dropped: [] };
  const modified: string[][] = [];
  modifiedPaths(live, target, [], modified);
  const dropped = modified.filter((p) => p.length > 0 && !(p[0] === 'metadata' && p[1] === 'managedFields')).filter((p) => entries.some((e) => owns(e.fieldsV1, p)));
  if (dropped.length === 0) return { live, target, dropped };
  return { live: withoutPaths(live, dropped), target: withoutPaths(target, dropped), dropped };
}

/** A copy of `obj` without the given field paths. */
export function withoutPaths(obj: KubeObject, paths: readonly (readonly string[])[]): KubeObject {
  if (paths.length === 0) return obj;
  const copy = JSON.parse(JSON.stringify(obj)) as Json;
  for (const p of paths) removePath(copy, p);
  return copy as KubeObject;
}
