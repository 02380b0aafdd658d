// How Argo CD reads a targetRevision against a repository's refs: HEAD (or
// empty) is the default branch; a branch or tag name (or a full ref) is that
// ref; a 40-hex string is a commit; a shorter hex string is a commit prefix;
// anything else that parses as a semver constraint (`v1.2.*`,
// `>=1.0.0 <2.0.0`) picks the highest tag satisfying it (tags may carry a `v`).
import semver from 'semver';

export interface RefTable {
  /** Full ref name → commit. */
  readonly refs: ReadonlyMap<string, string>;
  readonly head?: string;
}

export type RevisionMatch =
  | { readonly kind: 'commit'; readonly commit: string; readonly ref?: string }
  | { readonly kind: 'sha-prefix'; readonly prefix: string }
  | { readonly kind: 'none' };

export function matchRevision(revision: string, table: RefTable): RevisionMatch {
  const rev = revision.trim();
  if (rev === '' || rev === 'HEAD') {
    return table.head === undefined ? { kind: 'none' } : { kind: 'commit', commit: table.head, ref: 'HEAD' };
  }
  for (const ref of [rev, `refs/heads/${rev}`, `refs/tags/${rev}`]) {
    const commit = table.refs.get(ref);
    if (commit !== undefined) return { kind: 'commit', commit, ref };
  }
  if (/^[0-9a-f]{40}$/i.test(rev)) return { kind: 'commit', commit: rev.toLowerCase() };
  if (/^[0-9a-f]{4,39}$/i.test(rev)) return { kind: 'sha-prefix', prefix: rev.toLowerCase() };
  const tag = highestTagSatisfying(rev, [...table.refs.keys()].filter((r) => r.startsWith('refs/tags/')).map((r) => r.slice(10)));
  if (tag !== undefined) return { kind: 'commit', commit: table.refs.get(`refs/tags/${tag}`)!, ref: `refs/tags/${tag}` };
  return { kind: 'none' };
}

/** The highest tag satisfying a semver constraint, or undefined (also when `constraint` is no constraint). */
export function highestTagSatisfying(constraint: string, tags: readonly string[]): string | undefined {
  const range = semver.validRange(constraint, { loose: true });
  if (range === null) return undefined;
  let best: { tag: string; version: string } | undefined;
  for (const tag of tags) {
    const version = semver.valid(tag, { loose: true });
    if (version === null || !semver.satisfies(version, range, { loose: true })) continue;
    if (best === undefined || semver.gt(version, best.version)) best = { tag, version };
  }
  return best?.tag;
}
