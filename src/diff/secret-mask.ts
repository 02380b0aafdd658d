// Secret values never leave the engine in clear text (Argo CD's
// HideSecretData): before a Secret is shown in a diff, `stringData` is folded
// into `data`, and every value of `data` on the desired, live and
// last-applied copies is replaced by `++++++++`; equal values get equal
// masks and each different value a longer one, so a reader still sees which
// keys changed. Comparison itself always uses the real values.
import type { KubeObject } from '../api/kube-object.ts';

const lastApplied = 'kubectl.kubernetes.io/last-applied-configuration';

export function isSecret(obj: KubeObject | undefined): boolean {
  return obj !== undefined && obj.kind === 'Secret' && (obj.apiVersion === 'v1');
}

function utf8(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}

function base64(s: string): string {
  const bytes = utf8(s);
  const table = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += table[(n >> 18) & 63]! + table[(n >> 12) & 63]! + (i + 1 < bytes.length ? table[(n >> 6) & 63]! : '=') + (i + 2 < bytes.length ? table[n & 63]! : '=');
  }
  return out;
}

/** A copy with `stringData` folded into `data` (base64), as the API server stores it. */
export function foldStringData(obj: KubeObject): KubeObject {
  const stringData = obj['stringData'] as Record<string, string> | undefined;
  const copy = JSON.parse(JSON.stringify(obj)) as KubeObject;
  if (stringData === undefined) return copy;
  const data = { ...((copy['data'] as Record<string, string> | undefined) ?? {}) };
  for (const [k, v] of Object.entries(stringData)) data[k] = base64(String(v));
  delete copy['stringData'];
  copy['data'] = data;
  return copy;
}

/** Masked copies of a desired/live pair of Secrets; anything else is returned as is. */
export function maskSecretPair(target: KubeObject | undefined, live: KubeObject | undefined): { target?: KubeObject; live?: KubeObject } {
  if (!isSecret(target) && !isSecret(live)) return { ...(target ? { target } : {}), ...(live ? { live } : {}) };
  const t = target ? foldStringData(target) : undefined;
  const l = live ? foldStringData(live) : undefined;
  let orig: KubeObject | undefined;
  const raw = l?.metadata.annotations?.[lastApplied];
  if (raw !== undefined) {
    try { orig = foldStringData(JSON.parse(raw) as KubeObject); } catch { orig = undefined; }
  }
  const copies = [t, l, orig];
  const keys = new Set<string>();
  for (const o of copies) for (const k of Object.keys((o?.['data'] as Record<string, unknown> | undefined) ?? {})) keys.add(k);
  for (const key of keys) {
    let next = '++++++++';
    const masks = new Map<string, string>();
    for (const o of copies) {
      const data = o?.['data'] as Record<string, unknown> | undefined;
      if (data === undefined || !(key in data)) continue;
      const value = String(data[key]);
      let mask = masks.get(value);
      if (mask === undefined) { mask = next; next += '++++'; masks.set(value, mask); }
      data[key] = mask;
    }
  }
  if (l !== undefined && orig !== undefined) l.metadata.annotations = { ...l.metadata.annotations, [lastApplied]: JSON.stringify(orig) };
  return { ...(t ? { target: t } : {}), ...(l ? { live: l } : {}) };
}
