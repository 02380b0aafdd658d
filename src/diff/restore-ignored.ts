// RespectIgnoreDifferences=true at sync, as Argo CD does it
// (controller/sync.go normalizeTargetResources): the fields normalization
// removed from live — the ignored ones — are put back into the desired
// object with their live values, and ignored fields live does not have are
// left out, so applying the object keeps what is live in ignored fields.
// Lists are walked by position (the order both sides share).
import type { KubeObject } from '../api/kube-object.ts';

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

function restore(target: unknown, normalizedLive: unknown, live: unknown): unknown {
  if (isMap(live)) {
    const nl = isMap(normalizedLive) ? normalizedLive : {};
    const out: Json = isMap(target) ? { ...target } : {};
    for (const [key, value] of Object.entries(live)) {
      if (!(key in nl)) out[key] = value;
      else if (isMap(value) && !(key in out)) {
        // Only what normalization removed is taken from live, so a nested ignored field still comes back.
        const nested = restore({}, nl[key], value);
        if (isMap(nested) && Object.keys(nested).length > 0) out[key] = nested;
      } else if (value !== null && typeof value === 'object' && key in out) out[key] = restore(out[key], nl[key], value);
    }
    return out;
  }
  if (Array.isArray(live) && Array.isArray(target)) {
    const nl = Array.isArray(normalizedLive) ? normalizedLive : [];
    return target.map((item, i) => (i < live.length && live[i] !== null && typeof live[i] === 'object' ? restore(item, nl[i], live[i]) : item));
  }
  return target;
}

/**
 * The object to apply: `normalizedTarget` (ignored fields removed) with the
 * ignored fields of `live` restored from it.
 */
export function restoreIgnoredFields(normalizedTarget: KubeObject, normalizedLive: KubeObject, live: KubeObject): KubeObject {
  const { metadata: _m, status: _s, ...liveRest } = live as KubeObject & { status?: unknown };
  const { metadata: _nm, status: _ns, ...nlRest } = normalizedLive as KubeObject & { status?: unknown };
  const restored = restore(normalizedTarget, nlRest, liveRest) as KubeObject;
  const meta = restore(normalizedTarget.metadata, normalizedLive.metadata, pickUserMeta(live.metadata)) as KubeObject['metadata'];
  return { ...restored, metadata: meta };
}

/** Only the metadata a user can set: server-set fields are never copied into an apply. */
function pickUserMeta(meta: KubeObject['metadata']): Json {
  const out: Json = {};
  for (const k of ['labels', 'annotations', 'finalizers', 'ownerReferences']) if (meta[k] !== undefined) out[k] = meta[k];
  return out;
}
