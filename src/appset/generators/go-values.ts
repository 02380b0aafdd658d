// How Argo CD's Go code turns generator values into strings, reproduced for
// JSON values: `fmt.Sprintf("%v", v)` of what encoding/json decodes (numbers
// are float64, so 1000000 prints as 1e+06), jeremywohl/flatten in DotStyle
// (nested keys joined with ".", list items by index, empty maps and lists
// vanish), and utils.SanitizeName (the `normalize` function and the
// *Normalized parameters).

/** Go's `%v` of a float64: strconv 'g' with the shortest digits and exponent threshold 6 (1e+06, 123456, 1e-05). */
export function formatGoFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [mantissa, expText] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const exp = Number(expText);
  const sign = x < 0 ? '-' : '';
  if (exp < -4 || exp >= 6) {
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const e = Math.abs(exp);
    return `${sign}${digits[0]}${frac}e${exp < 0 ? '-' : '+'}${e < 10 ? `0${e}` : e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const fracPart = digits.slice(exp + 1);
  return `${sign}${intPart}${fracPart ? `.${fracPart}` : ''}`;
}

/** Go's `fmt.Sprintf("%v", v)` of a JSON-decoded value (maps print with sorted keys, as fmt does). */
export function formatGoValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatGoFloat(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) return `[${v.map(formatGoValue).join(' ')}]`;
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => compareGoStrings(a, b));
    return `map[${entries.map(([k, x]) => `${k}:${formatGoValue(x)}`).join(' ')}]`;
  }
  return String(v);
}

/** Nested objects and lists as flat dotted keys (`a.b`, `a.0.c`) with `%v` strings; empty containers vanish. */
export function flattenParams(value: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (v: unknown, key: string): void => {
    if (Array.isArray(v)) v.forEach((item, i) => walk(item, key === '' ? String(i) : `${key}.${i}`));
    else if (v !== null && typeof v === 'object') {
      for (const [k, item] of Object.entries(v as Record<string, unknown>)) walk(item, key === '' ? k : `${key}.${k}`);
    } else out[key] = formatGoValue(v);
  };
  walk(value, '');
  return out;
}

/** Byte order of the UTF-8 encodings (Go's string comparison), which is code point order. */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

function goToLower(s: string): string {
  // Go lowers rune by rune (unicode.ToLower); JavaScript may expand one into several ("İ" → "i̇").
  let out = '';
  for (const ch of s) {
    const lower = ch.toLowerCase();
    out += [...lower].length === 1 ? lower : [...lower][0];
  }
  return out;
}

/** Argo CD's SanitizeName: lower case, [^-a-z0-9.] → "-", at most 253 characters, no leading or trailing "-" or ".". */
export function sanitizeName(name: string): string {
  const replaced = goToLower(name).replace(/[^-a-z0-9.]/gu, '-');
  return replaced.slice(0, 253).replace(/^[-.]+|[-.]+$/g, '');
}
