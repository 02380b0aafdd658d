// The JSON merge patch (RFC 7386) that turns `before` into `after`: changed
// and new fields as they are now, fields that went away as null (a merge
// patch otherwise keeps them), nested objects patched field by field, arrays
// and scalars replaced whole. The controller writes status this way, so a
// field it drops (a finished operation's `finishedAt` when a retry starts, a
// condition's message) really goes.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export function mergePatchFor(before: unknown, after: unknown): unknown {
  if (!isObject(before) || !isObject(after)) return after === undefined ? null : after;
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(before)) {
    if (!(key in after) || after[key] === undefined) patch[key] = null;
  }
  for (const [key, value] of Object.entries(after)) {
    if (value === undefined) continue;
    const old = before[key];
    if (isObject(old) && isObject(value)) {
      const nested = mergePatchFor(old, value) as Record<string, unknown>;
      if (Object.keys(nested).length > 0) patch[key] = nested;
    } else if (JSON.stringify(old) !== JSON.stringify(value)) {
      patch[key] = value as Json;
    }
  }
  return patch;
}
