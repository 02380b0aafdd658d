// Validate=false under server-side apply. A server-side apply refuses fields
// the schema does not declare whatever validation it is asked for, while
// Argo CD's `kubectl apply --validate=false` lets the server drop them; so the
// object is first decoded by the server (a dry-run create, validation Ignore)
// and only the fields of the target that survived are applied. Pure: the
// decoded object is handed in.
import type { KubeObject } from '../../api/kube-object.ts';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function keep(target: unknown, decoded: unknown): unknown {
  if (isObject(target)) {
    if (!isObject(decoded)) return target;
    return Object.fromEntries(Object.entries(target).filter(([k]) => k in decoded).map(([k, v]) => [k, keep(v, decoded[k])]));
  }
  if (Array.isArray(target) && Array.isArray(decoded) && decoded.length === target.length) {
    return target.map((v, i) => keep(v, decoded[i]));
  }
  return target;
}

/** The target without the fields the server's decoding dropped (metadata is kept as written). */
export function keepDeclaredFields(target: KubeObject, decoded: KubeObject): KubeObject {
  const { metadata, ...rest } = target;
  return { ...(keep(rest, decoded) as Record<string, unknown>), apiVersion: target.apiVersion, kind: target.kind, metadata };
}
