// Go's path/filepath.Match, which Argo CD's project checks use for the
// group, kind and name of resource white- and blacklists (isResourceInList):
// `*` any run of characters other than `/`, `?` one character other than
// `/`, `[...]` / `[^...]` classes with `a-z` ranges, `\` escaping the next
// character. No `{a,b}` alternatives. A malformed pattern (an unclosed or
// empty class, a trailing `\`) is an error in Go, and Argo CD treats it as
// "does not match".

type Token =
  | { readonly t: 'star' }
  | { readonly t: 'any' }
  | { readonly t: 'char'; readonly c: string }
  | { readonly t: 'class'; readonly negated: boolean; readonly ranges: ReadonlyArray<readonly [number, number]> };

/** One character of a class, as Go's getEsc reads it; undefined when the pattern is malformed there. */
function classChar(p: string, i: number): { cp: number; next: number } | undefined {
  if (i >= p.length || p[i] === '-' || p[i] === ']') return undefined;
  let j = i;
  if (p[j] === '\\') {
    j++;
    if (j >= p.length) return undefined;
  }
  const cp = p.codePointAt(j)!;
  const next = j + String.fromCodePoint(cp).length;
  // Go: a class character must be followed by something (at least the closing bracket).
  return next >= p.length ? undefined : { cp, next };
}

function tokenize(p: string): Token[] | undefined {
  const out: Token[] = [];
  let i = 0;
  while (i < p.length) {
    const ch = p[i]!;
    if (ch === '*') {
      out.push({ t: 'star' });
      i++;
    } else if (ch === '?') {
      out.push({ t: 'any' });
      i++;
    } else if (ch === '\\') {
      if (i + 1 >= p.length) return undefined;
      const cp = p.codePointAt(i + 1)!;
      out.push({ t: 'char', c: String.fromCodePoint(cp) });
      i += 1 + String.fromCodePoint(cp).length;
    } else if (ch === '[') {
      i++;
      const negated = p[i] === '^';
      if (negated) i++;
      const ranges: Array<[number, number]> = [];
      for (;;) {
        if (p[i] === ']' && ranges.length > 0) {
          i++;
          break;
        }
        const lo = classChar(p, i);
        if (lo === undefined) return undefined;
        let hi = lo;
        if (p[lo.next] === '-') {
          const h = classChar(p, lo.next + 1);
          if (h === undefined) return undefined;
          hi = h;
        }
        ranges.push([lo.cp, hi.cp]);
        i = hi.next;
      }
      out.push({ t: 'class', negated, ranges });
    } else {
      const cp = p.codePointAt(i)!;
      out.push({ t: 'char', c: String.fromCodePoint(cp) });
      i += String.fromCodePoint(cp).length;
    }
  }
  return out;
}

function matchFrom(tokens: readonly Token[], ti: number, chars: readonly string[], ci: number): boolean {
  for (; ti < tokens.length; ti++) {
    const tok = tokens[ti]!;
    if (tok.t === 'star') {
      // `*` never crosses a separator: try every split up to the next `/`.
      for (let k = ci; k <= chars.length; k++) {
        if (matchFrom(tokens, ti + 1, chars, k)) return true;
        if (k < chars.length && chars[k] === '/') return false;
      }
      return false;
    }
    if (ci >= chars.length) return false;
    const c = chars[ci]!;
    if (tok.t === 'any') {
      if (c === '/') return false;
    } else if (tok.t === 'char') {
      if (c !== tok.c) return false;
    } else {
      const cp = c.codePointAt(0)!;
      const inClass = tok.ranges.some(([lo, hi]) => lo <= cp && cp <= hi);
      if (inClass === tok.negated) return false;
    }
    ci++;
  }
  return ci === chars.length;
}

const cache = new Map<string, Token[] | null>();

/** Go's filepath.Match(pattern, value) on a `/`-separated system; a malformed pattern matches nothing. */
export function pathMatch(pattern: string, value: string): boolean {
  let tokens = cache.get(pattern);
  if (tokens === undefined) {
    // Patterns come from projects; a bound keeps a churn of them from growing the cache forever.
    if (cache.size >= 2000) cache.clear();
    tokens = tokenize(pattern) ?? null;
    cache.set(pattern, tokens);
  }
  return tokens !== null && matchFrom(tokens, 0, [...value], 0);
}
