// Combining parameter sets the way Argo CD's matrix and merge generators do.
// Go templates: imdario/mergo on map[string]any — without override a key is
// set only where the destination lacks it or holds an empty value, with
// override a later value wins; nested maps merge key by key, a non-empty list
// is kept (or, with override, replaced by a non-empty one). Nested maps are
// merged in place, as mergo does (Go maps are references), so a matrix's
// first-generator maps collect the keys the second adds. Fasttemplate: flat
// string maps (utils.CombineStringMaps), where a key both sides hold with
// different values is an error (matrix) or taken from the later side (merge).
import { formatGoValue } from './go-values.ts';

export type ParamSet = Record<string, unknown>;

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** mergo's isEmptyValue: "", 0, false, nil, empty map or list. */
function isEmptyValue(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === 'string') return v.length === 0;
  if (typeof v === 'number') return v === 0;
  if (typeof v === 'boolean') return !v;
  if (Array.isArray(v)) return v.length === 0;
  if (isMap(v)) return Object.keys(v).length === 0;
  return false;
}

/** mergo.Merge(&dst, src[, WithOverride]) on map[string]any: mutates and returns `dst`. */
export function mergoMerge(dst: ParamSet, src: Readonly<ParamSet>, override: boolean): ParamSet {
  for (const [key, s] of Object.entries(src)) {
    const d = dst[key];
    const has = Object.hasOwn(dst, key);
    if (s === null || s === undefined) {
      if (override) dst[key] = s;
      continue;
    }
    if (isMap(s)) {
      if (has && isMap(d) && !isEmptyValue(d)) { mergoMerge(d, s, override); continue; }
      if (!has || isEmptyValue(d) || override) dst[key] = s;
      continue;
    }
    if (Array.isArray(s)) {
      if (has && !isEmptyValue(d)) {
        if (override && s.length > 0) dst[key] = s;
        continue;
      }
      dst[key] = s;
      continue;
    }
    if (override || !has || isEmptyValue(d)) dst[key] = s;
  }
  return dst;
}

/** Every value as Go's `%v` string (utils.ConvertToMapStringString). */
export function toStringMap(params: Readonly<ParamSet>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) out[k] = formatGoValue(v);
  return out;
}

/** utils.CombineStringMaps: the union; a key on both sides with different values is an error. */
export function combineStringMaps(a: Readonly<ParamSet>, b: Readonly<ParamSet>): Record<string, string> {
  const res = toStringMap(a);
  for (const [k, v] of Object.entries(toStringMap(b))) {
    const current = res[k];
    if (current !== undefined && current !== v) {
      throw new Error(`found duplicate key ${k} with different value, a: ${current} ,b: ${v}`);
    }
    res[k] = v;
  }
  return res;
}

/** utils.CombineStringMapsAllowDuplicates: the union, later values win. */
export function combineStringMapsAllowDuplicates(a: Readonly<ParamSet>, b: Readonly<ParamSet>): Record<string, string> {
  return { ...toStringMap(a), ...toStringMap(b) };
}

/** A deep copy of a JSON value (what a fresh json.Unmarshal gives Go). */
export function cloneJson<T>(v: T): T {
  if (Array.isArray(v)) return v.map(cloneJson) as T;
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = cloneJson(x);
    return out as T;
  }
  return v;
}
