// Glob matching as Argo CD's project checks use it (gobwas/glob): `*` matches
// any run of characters except a separator, `**` any run including them, `?`
// one character, `[abc]`/`[!a-z]` classes, `{a,b}` alternatives. A leading `!`
// negates the pattern where negation is allowed.

function escapeRegExp(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

function toRegExp(pattern: string, separators: string): RegExp {
  const notSep = separators === '' ? '.' : `[^${separators.split('').map(escapeRegExp).join('')}]`;
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') {
      if (pattern[i + 1] === '*') { out += '.*'; i++; } else out += `${notSep}*`;
    } else if (ch === '?') {
      out += notSep;
    } else if (ch === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) { out += '\\['; continue; }
      const body = pattern.slice(i + 1, end);
      out += body.startsWith('!') ? `[^${body.slice(1).replace(/\\/g, '\\\\')}]` : `[${body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else if (ch === '{') {
      const end = pattern.indexOf('}', i + 1);
      if (end < 0) { out += '\\{'; continue; }
      out += `(?:${pattern.slice(i + 1, end).split(',').map((alt) => alt.split('').map(escapeRegExp).join('')).join('|')})`;
      i = end;
    } else if (ch === '\\' && i + 1 < pattern.length) {
      out += escapeRegExp(pattern[++i]!);
    } else {
      out += escapeRegExp(ch);
    }
  }
  return new RegExp(`^${out}$`);
}

const cache = new Map<string, RegExp>();

export function globMatch(pattern: string, value: string, options: { separators?: string; allowNegation?: boolean } = {}): boolean {
  if (options.allowNegation && pattern.startsWith('!')) {
    return !globMatch(pattern.slice(1), value, { ...(options.separators ? { separators: options.separators } : {}) });
  }
  const key = `${options.separators ?? ''}\0${pattern}`;
  let re = cache.get(key);
  if (re === undefined) {
    re = toRegExp(pattern, options.separators ?? '');
    cache.set(key, re);
  }
  return re.test(value);
}

export function isDenyPattern(pattern: string | undefined): boolean {
  return pattern !== undefined && pattern.startsWith('!');
}
