// Path matching exactly as the git generator's two halves do it. Directories
// are filtered with Go's path.Match (`*` and `?` stop at "/", `[...]`
// classes with `^` negation (a class may match "/"), `\` escapes; a malformed pattern matches
// nothing). Files are listed with `git ls-files -- <pattern>` (Argo CD's
// default), i.e. git pathspecs: a literal pattern matches a file or
// everything below a directory, and a glob is wildmatch without
// WM_PATHNAME, so `*`, `**` and `?` also cross "/" (`teams/*/team.yaml`
// matches `teams/a/b/team.yaml`). path.Dir and path.Base as in Go.

const reSpecial = /[\\^$.*+?()[\]{}|/]/;

/** A literal character in a RegExp (inside a class "-" is escaped too). */
function escapeChar(ch: string, inClass = false): string {
  return reSpecial.test(ch) || (inClass && ch === '-') ? `\\${ch}` : ch;
}

export class BadPatternError extends Error {
  constructor(pattern: string) {
    super(`syntax error in pattern ${JSON.stringify(pattern)}`);
  }
}

/** Go's path.Match pattern as an anchored RegExp; throws BadPatternError like path.ErrBadPattern. */
function goMatchRegExp(pattern: string): RegExp {
  const chars = [...pattern];
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === '*') { out += '[^/]*'; continue; }
    if (ch === '?') { out += '[^/]'; continue; }
    if (ch === '\\') {
      if (i + 1 >= chars.length) throw new BadPatternError(pattern);
      out += escapeChar(chars[++i]!);
      continue;
    }
    if (ch !== '[') { out += escapeChar(ch); continue; }
    let j = i + 1;
    let negate = false;
    if (chars[j] === '^') { negate = true; j++; }
    const ranges: string[] = [];
    let first = true;
    for (;;) {
      if (j >= chars.length) throw new BadPatternError(pattern);
      if (chars[j] === ']' && !first) break;
      first = false;
      const lo = readClassChar(chars, j, pattern);
      j = lo.next;
      let range = escapeChar(lo.ch, true);
      if (chars[j] === '-') {
        const hi = readClassChar(chars, j + 1, pattern);
        if (hi.ch.codePointAt(0)! < lo.ch.codePointAt(0)!) throw new BadPatternError(pattern);
        range += `-${escapeChar(hi.ch, true)}`;
        j = hi.next;
      }
      ranges.push(range);
    }
    out += negate ? `[^${ranges.join('')}]` : `[${ranges.join('')}]`;
    i = j;
  }
  return new RegExp(`^${out}$`, 'u');
}

function readClassChar(chars: readonly string[], j: number, pattern: string): { ch: string; next: number } {
  const ch = chars[j];
  if (ch === undefined || ch === '-' || ch === ']') throw new BadPatternError(pattern);
  if (ch === '\\') {
    const escaped = chars[j + 1];
    if (escaped === undefined) throw new BadPatternError(pattern);
    return { ch: escaped, next: j + 2 };
  }
  return { ch, next: j + 1 };
}

const goCache = new Map<string, RegExp | BadPatternError>();

/** Go's path.Match(pattern, name); throws BadPatternError for a malformed pattern. */
export function goPathMatch(pattern: string, name: string): boolean {
  let re = goCache.get(pattern);
  if (re === undefined) {
    try { re = goMatchRegExp(pattern); } catch (err) {
      if (!(err instanceof BadPatternError)) throw err;
      re = err;
    }
    goCache.set(pattern, re);
  }
  if (re instanceof BadPatternError) throw re;
  return re.test(name);
}

const posixClasses: Record<string, string> = {
  alnum: 'A-Za-z0-9', alpha: 'A-Za-z', blank: ' \\t', cntrl: '\\x00-\\x1f\\x7f', digit: '0-9', graph: '!-~',
  lower: 'a-z', print: ' -~', punct: '!-\\/:-@\\[-`{-~', space: ' \\t\\n\\r\\f\\v', upper: 'A-Z', xdigit: '0-9A-Fa-f',
};

/** git's wildmatch(pattern, text, 0) as an anchored RegExp (no WM_PATHNAME: wildcards cross "/"). */
function wildmatchRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') { out += '[^]*'; continue; }
    if (ch === '?') { out += '[^]'; continue; }
    if (ch === '\\' && i + 1 < pattern.length) { out += escapeChar(pattern[++i]!); continue; }
    if (ch !== '[') { out += escapeChar(ch); continue; }
    const end = classEnd(pattern, i);
    if (end < 0) { out += '\\['; continue; }
    let body = pattern.slice(i + 1, end);
    let negate = false;
    if (body.startsWith('!') || body.startsWith('^')) { negate = true; body = body.slice(1); }
    let cls = '';
    for (let k = 0; k < body.length; k++) {
      const b = body[k]!;
      const posix = /^\[:([a-z]+):\]/.exec(body.slice(k));
      if (posix && posixClasses[posix[1]!] !== undefined) { cls += posixClasses[posix[1]!]; k += posix[0].length - 1; continue; }
      if (b === '\\' && k + 1 < body.length) { cls += escapeChar(body[++k]!, true); continue; }
      cls += b === '-' && k > 0 && k < body.length - 1 ? '-' : escapeChar(b, true);
    }
    out += negate ? `[^${cls}]` : `[${cls}]`;
    i = end;
  }
  return new RegExp(`^${out}$`);
}

/** Index of the `]` closing the class opened at `start`, or -1 (a `]` right after `[`/`[!` is literal). */
function classEnd(pattern: string, start: number): number {
  let k = start + 1;
  if (pattern[k] === '!' || pattern[k] === '^') k++;
  if (pattern[k] === ']') k++;
  for (; k < pattern.length; k++) {
    if (pattern[k] === '\\') { k++; continue; }
    if (pattern[k] === '[' && pattern[k + 1] === ':') {
      const close = pattern.indexOf(':]', k + 2);
      if (close > 0) { k = close + 1; continue; }
    }
    if (pattern[k] === ']') return k;
  }
  return -1;
}

const gitCache = new Map<string, RegExp | null>();

/** True when git's pathspec `pattern` (no magic) selects the file `path`. */
export function gitPathspecMatch(pattern: string, path: string): boolean {
  const spec = pattern.replace(/^(\.\/)+/, '');
  if (spec === '' || spec === '.') return true;
  if (path === spec) return true;
  if (path.startsWith(spec) && (spec.endsWith('/') || path[spec.length] === '/')) return true;
  let re = gitCache.get(spec);
  if (re === undefined) {
    re = /[*?[\\]/.test(spec) ? wildmatchRegExp(spec) : null;
    gitCache.set(spec, re);
  }
  return re !== null && re.test(path);
}

/** Go's path.Dir: everything but the last element, cleaned ("." when there is no "/"). */
export function goPathDir(p: string): string {
  const slash = p.lastIndexOf('/');
  if (slash < 0) return '.';
  const dir = p.slice(0, slash).replace(/\/+$/, '');
  return dir === '' ? '/' : dir;
}

/** Go's path.Base: the last element ("." for "", "/" for "/"). */
export function goPathBase(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
