// Moving field ownership from one field manager to another, as kubectl's
// client-side → server-side apply upgrade does (and Argo CD's
// ClientSideApplyMigration): the entries of the managers being taken over
// (without subresource) are merged into one `Apply` entry of the new manager,
// so that a later server-side apply by that manager removes a field that git
// no longer has instead of leaving it owned by someone else. Pure: the caller
// writes the result to `metadata.managedFields`.

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: Record<string, unknown>;
  subresource?: string;
}

/** Union of two FieldsV1 sets (nested objects keyed "f:…", "k:…", "v:…", "i:…", leaves `{}`). */
export function mergeFieldSets(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const mine = out[key];
    out[key] = isSet(mine) && isSet(value) ? mergeFieldSets(mine, value) : isSet(value) ? value : mine ?? value;
  }
  return out;
}

const isSet = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The managedFields after `to` takes over the fields of `from`, or undefined
 * when none of `from` owns anything (nothing to migrate).
 */
export function migrateManagedFields(entries: readonly ManagedFieldsEntry[], to: string, from: readonly string[],
  now: string): ManagedFieldsEntry[] | undefined {
  const existing = entries.find((e) => e.manager === to && e.operation === 'Apply' && !e.subresource);
  const apiVersion = existing?.apiVersion ?? entries.find((e) => from.includes(e.manager ?? '') && !e.subresource)?.apiVersion;
  const moving = entries.filter((e) => e !== existing && from.includes(e.manager ?? '') && e.manager !== to && !e.subresource
    && e.fieldsV1 !== undefined && e.apiVersion === apiVersion);
  if (moving.length === 0) return undefined;
  const fields = [existing, ...moving].reduce<Record<string, unknown>>((acc, e) => (e?.fieldsV1 ? mergeFieldSets(acc, e.fieldsV1) : acc), {});
  const rest = entries.filter((e) => e !== existing && !moving.includes(e));
  return [...rest, { manager: to, operation: 'Apply', ...(apiVersion ? { apiVersion } : {}), time: now, fieldsType: 'FieldsV1', fieldsV1: fields }];
}
