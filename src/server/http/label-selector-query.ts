// Label selectors in their string form, as `?selector=` carries them
// (k8s.io/apimachinery labels.Parse): `k=v`, `k==v`, `k!=v`, `k in (a,b)`,
// `k notin (a,b)`, `k` (exists) and `!k` (does not exist), comma-separated,
// all of which must hold. `!=` and `notin` also match objects without the key.
import { ApiError } from './api-errors.ts';

export type LabelPredicate = (labels: Readonly<Record<string, string>> | undefined) => boolean;

function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) { out.push(text.slice(start, i)); start = i + 1; }
  }
  out.push(text.slice(start));
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

const keyPattern = /^([A-Za-z0-9][-A-Za-z0-9_.]*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

function requirement(text: string): LabelPredicate {
  const bad = (): ApiError => new ApiError('InvalidArgument', `invalid selector "${text}"`);
  const set = /^(\S+)\s+(in|notin)\s+\((.*)\)$/.exec(text);
  if (set) {
    const [, key, op, list] = set as unknown as [string, string, string, string];
    if (!keyPattern.test(key)) throw bad();
    const values = new Set(list.split(',').map((v) => v.trim()).filter((v) => v !== ''));
    return op === 'in' ? (l) => l?.[key] !== undefined && values.has(l[key]!) : (l) => l?.[key] === undefined || !values.has(l[key]!);
  }
  const cmp = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(text);
  if (cmp) {
    const [, key, op, value] = cmp as unknown as [string, string, string, string];
    if (!keyPattern.test(key)) throw bad();
    return op === '!=' ? (l) => l?.[key] !== value : (l) => l?.[key] === value;
  }
  if (text.startsWith('!')) {
    const key = text.slice(1).trim();
    if (!keyPattern.test(key)) throw bad();
    return (l) => l?.[key] === undefined;
  }
  if (!keyPattern.test(text)) throw bad();
  return (l) => l?.[text] !== undefined;
}

export function parseLabelSelector(selector: string | null | undefined): LabelPredicate {
  if (selector === null || selector === undefined || selector.trim() === '') return () => true;
  const requirements = splitTopLevel(selector).map(requirement);
  return (labels) => requirements.every((r) => r(labels));
}
