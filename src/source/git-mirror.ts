// One bare mirror per repository URL under the cache dir. Fetches are shared:
// concurrent callers wait on the same fetch, and `fetch(generation)` fetches
// at most once per refresh generation however many apps ask. Commits are
// checked out as content-addressed trees (`git archive` into
// trees/<commit>/), written once and read by everyone without locks.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { CapstanError } from '../errors.ts';
import { redact, runGit, type GitCredentials, type GitRunOptions } from './git-command.ts';
import { matchRevision, type RefTable } from './revision.ts';

export interface ResolvedRevision {
  readonly commit: string;
  /** The ref it came from (refs/heads/main, refs/tags/v1.2.3, HEAD), if any. */
  readonly ref?: string;
}

/** A file:// URL or a plain local path → what git accepts; other URLs unchanged. */
export function gitRemote(url: string): string {
  return url.startsWith('file://') ? url.slice('file://'.length) : url;
}

export class GitMirror {
  readonly dir: string;
  private fetching: Promise<void> | undefined;
  private fetchedGeneration = -1;
  /** When the last completed fetch started (ms since the epoch; 0 = never). */
  private fetchedAt = 0;
  private refsCache: Promise<RefTable> | undefined;
  /** Checkouts being extracted: concurrent readers of one commit share one extraction. */
  private readonly extracting = new Map<string, Promise<string>>();
  /** Resolutions since the last fetch, and tree hashes (immutable per commit and path). */
  private readonly resolved = new Map<string, ResolvedRevision>();
  private readonly trees = new Map<string, string | undefined>();
  private readonly commitDirs = new Map<string, Promise<Map<string, string>>>();
  /** Number of clones and fetches that reached the remote, and of commits extracted (for tests and benchmarks). */
  fetchCount = 0;
  extractCount = 0;

  private readonly fileListings = new Map<string, Promise<readonly string[]>>();

  /**
   * `credentials` is asked on every git run, so credentials that change at run time (a repository
   * Secret edited or rotated) apply to the next fetch.
   */
  constructor(readonly url: string, private readonly cacheDir: string, private readonly credentials: () => GitCredentials | undefined = () => undefined,
    private readonly timeoutMs = 120_000, private readonly onFetched?: () => void) {
    const id = createHash('sha256').update(url).digest('hex').slice(0, 16);
    this.dir = path.join(cacheDir, 'git', `${id}.git`);
  }

  /** The URL as shown in messages: credentials in it are masked. */
  get displayUrl(): string {
    return redact(this.url, this.credentials());
  }

  private async gitOptions(): Promise<GitRunOptions> {
    const base: GitRunOptions = { cwd: this.dir, timeoutMs: this.timeoutMs };
    const c = this.credentials();
    if (c === undefined) return base;
    if (c.password === undefined) return { ...base, credentials: c };
    const askpass = path.join(this.cacheDir, 'git', 'askpass.sh');
    if (!existsSync(askpass)) {
      await mkdir(path.dirname(askpass), { recursive: true });
      await writeFile(askpass, '#!/bin/sh\ncase "$1" in Username*) printf %s "$CAPSTAN_GIT_USERNAME" ;; *) printf %s "$CAPSTAN_GIT_PASSWORD" ;; esac\n');
      await chmod(askpass, 0o700);
    }
    return { ...base, credentials: c, env: { GIT_ASKPASS: askpass, CAPSTAN_GIT_USERNAME: c.username ?? '', CAPSTAN_GIT_PASSWORD: c.password } };
  }

  /** Fetches unless this generation already did; concurrent callers share one fetch. */
  async fetch(generation = Number.MAX_SAFE_INTEGER): Promise<void> {
    if (generation <= this.fetchedGeneration && existsSync(this.dir)) return;
    this.fetching ??= this.doFetch().then(() => {
      this.fetchedGeneration = generation === Number.MAX_SAFE_INTEGER ? this.fetchedGeneration : Math.max(this.fetchedGeneration, generation);
    }).finally(() => { this.fetching = undefined; });
    await this.fetching;
  }

  /**
   * Fetches unless a fetch that started less than `maxAgeMs` ago completed
   * (a periodic reader that must see commits at most that old, whoever fetched).
   */
  async fetchIfOlderThan(maxAgeMs: number): Promise<void> {
    if (Date.now() - this.fetchedAt < maxAgeMs && existsSync(this.dir)) return;
    await this.fetch();
  }

  private async doFetch(): Promise<void> {
    this.fetchCount++;
    const startedAt = Date.now();
    const options = await this.gitOptions();
    if (!existsSync(path.join(this.dir, 'HEAD'))) {
      await mkdir(path.dirname(this.dir), { recursive: true });
      const tmp = `${this.dir}.tmp-${process.pid}-${Date.now()}`;
      await runGit(['clone', '--mirror', '--quiet', gitRemote(this.url), tmp], { ...options, cwd: path.dirname(this.dir) })
        .catch((err: unknown) => { throw this.named(err); });
      await rename(tmp, this.dir).catch(async (err: unknown) => {
        await rm(tmp, { recursive: true, force: true });
        if (!existsSync(path.join(this.dir, 'HEAD'))) throw err;
      });
    } else {
      await runGit(['fetch', '--prune', '--quiet', 'origin', '+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*'], options)
        .catch((err: unknown) => { throw this.named(err); });
      await runGit(['remote', 'set-head', 'origin', '--auto'], options).catch(() => undefined);
    }
    this.fetchedAt = startedAt;
    this.refsCache = undefined;
    this.resolved.clear();
    this.onFetched?.();
  }

  private named(err: unknown): CapstanError {
    const message = err instanceof Error ? err.message : String(err);
    return new CapstanError('RepositoryUnreachable', `repository ${this.displayUrl}: ${message}`, { retry: 'transient', cause: err });
  }

  /** The mirror's refs, read once per fetch; concurrent callers share one read. */
  refs(): Promise<RefTable> {
    if (this.refsCache === undefined) {
      const reading = this.readRefs();
      reading.catch(() => { if (this.refsCache === reading) this.refsCache = undefined; });
      this.refsCache = reading;
    }
    return this.refsCache;
  }

  private async readRefs(): Promise<RefTable> {
    const options = await this.gitOptions();
    const out = await runGit(['for-each-ref', '--format=%(refname) %(objectname) %(*objectname)'], options);
    const refs = new Map<string, string>();
    for (const line of out.split('\n')) {
      const [ref, obj, peeled] = line.split(' ');
      if (ref && obj) refs.set(ref, peeled || obj);
    }
    const head = (await runGit(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], options).catch(() => '')).trim() || undefined;
    return { refs, ...(head ? { head } : {}) };
  }

  /**
   * Resolves a targetRevision to a commit (fetching first if never fetched).
   * A revision the mirror does not know yet (a commit pushed since the last
   * fetch) fetches once more before it is reported unknown.
   */
  async resolve(revision: string): Promise<ResolvedRevision> {
    if (!existsSync(path.join(this.dir, 'HEAD'))) await this.fetch();
    const known = this.resolved.get(revision);
    if (known !== undefined) return known;
    const found = await this.resolveLocal(revision);
    if (found !== undefined) { this.resolved.set(revision, found); return found; }
    await this.fetch();
    const again = await this.resolveLocal(revision);
    if (again !== undefined) return again;
    throw new CapstanError('UnknownRevision', `repository ${this.displayUrl} has no revision "${revision}"`, { retry: 'wait' });
  }

  /** What a revision resolves to in the mirror as it is, without fetching (undefined when unknown). */
  async peek(revision: string): Promise<ResolvedRevision | undefined> {
    if (!existsSync(path.join(this.dir, 'HEAD'))) return undefined;
    return this.resolveLocal(revision).catch(() => undefined);
  }

  private async resolveLocal(revision: string): Promise<ResolvedRevision | undefined> {
    const match = matchRevision(revision, await this.refs());
    const options = await this.gitOptions();
    if (match.kind === 'commit' || match.kind === 'sha-prefix') {
      const want = match.kind === 'commit' ? match.commit : match.prefix;
      const commit = (await runGit(['rev-parse', '--verify', '--quiet', `${want}^{commit}`], options).catch(() => '')).trim();
      if (commit !== '') return { commit, ...(match.kind === 'commit' && match.ref ? { ref: match.ref } : {}) };
    }
    return undefined;
  }

  /**
   * The hash of the tree at `path` in `commit` (the cache key of whatever was rendered from it), or
   * undefined. One `git ls-tree` lists every directory of a commit, so a monorepo's hundreds of apps cost
   * one process per commit, not one per app; a path that is not a directory falls back to rev-parse.
   */
  async treeHash(commit: string, subPath: string): Promise<string | undefined> {
    const clean = subPath.replace(/^\.?\/*/, '').replace(/\/+$/, '');
    const dirs = await this.directoriesOf(commit);
    const known = dirs.get(clean === '.' ? '' : clean);
    if (known !== undefined) return known;
    const spec = clean === '' || clean === '.' ? `${commit}^{tree}` : `${commit}:${clean}`;
    if (this.trees.has(spec)) return this.trees.get(spec);
    const out = await runGit(['rev-parse', '--verify', '--quiet', spec], await this.gitOptions()).catch(() => '');
    const tree = out.trim() || undefined;
    if (this.trees.size > 50_000) this.trees.clear();
    this.trees.set(spec, tree);
    return tree;
  }

  /** Every directory of a commit (path → tree hash, '' for the root), listed once and kept for recent commits. */
  private directoriesOf(commit: string): Promise<Map<string, string>> {
    let listing = this.commitDirs.get(commit);
    if (listing === undefined) {
      listing = (async () => {
        const options = await this.gitOptions();
        const [root, out] = await Promise.all([runGit(['rev-parse', '--verify', '--quiet', `${commit}^{tree}`], options),
          runGit(['ls-tree', '-r', '-d', '-z', commit], options)]);
        const dirs = new Map<string, string>([['', root.trim()]]);
        for (const entry of out.split('\0')) {
          const tab = entry.indexOf('\t');
          if (tab < 0) continue;
          const [, type, hash] = entry.slice(0, tab).split(' ');
          if (type === 'tree' && hash !== undefined) dirs.set(entry.slice(tab + 1), hash);
        }
        return dirs;
      })();
      listing.catch(() => this.commitDirs.delete(commit));
      this.commitDirs.set(commit, listing);
      if (this.commitDirs.size > 8) this.commitDirs.delete(this.commitDirs.keys().next().value!);
    }
    return listing;
  }

  /**
   * Every path of a commit's tree, recursively: its files (blobs and
   * symlinks), or its directories. Kept for recent commits (a commit never
   * changes).
   */
  async listTree(commit: string, what: 'files' | 'directories'): Promise<readonly string[]> {
    if (what === 'directories') return [...(await this.directoriesOf(commit)).keys()].filter((d) => d !== '');
    let listing = this.fileListings.get(commit);
    if (listing === undefined) {
      listing = this.gitOptions().then((options) => runGit(['ls-tree', '-r', '-z', '--name-only', commit], options))
        .then((out) => out.split('\0').filter((p) => p !== ''));
      listing.catch(() => this.fileListings.delete(commit));
      this.fileListings.set(commit, listing);
      if (this.fileListings.size > 8) this.fileListings.delete(this.fileListings.keys().next().value!);
    }
    return listing;
  }

  /** The commit's files as a directory trees/<commit>/, extracted once (concurrent callers share it). */
  checkout(commit: string): Promise<string> {
    const dest = path.join(this.cacheDir, 'trees', commit);
    if (existsSync(dest)) return Promise.resolve(dest);
    let pending = this.extracting.get(commit);
    if (pending === undefined) {
      pending = this.extract(commit, dest).finally(() => this.extracting.delete(commit));
      this.extracting.set(commit, pending);
    }
    return pending;
  }

  private async extract(commit: string, dest: string): Promise<string> {
    this.extractCount++;
    await mkdir(path.dirname(dest), { recursive: true });
    const tmp = await mkdtemp(`${dest}.tmp-`);
    try {
      await archiveInto(this.dir, commit, tmp);
      await rename(tmp, dest).catch(async (err: unknown) => {
        if (!existsSync(dest)) throw err; // another process finished first: theirs is identical
        await rm(tmp, { recursive: true, force: true });
      });
    } catch (err) {
      await rm(tmp, { recursive: true, force: true });
      throw err;
    }
    return dest;
  }

}

function archiveInto(gitDir: string, commit: string, dest: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const archive = spawn('git', ['archive', '--format=tar', commit], { cwd: gitDir, stdio: ['ignore', 'pipe', 'pipe'] });
    const tar = spawn('tar', ['-x', '-C', dest], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    archive.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    tar.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    archive.stdout.pipe(tar.stdin);
    let pending = 2;
    const done = (code: number | null): void => {
      if (code !== 0) reject(new CapstanError('CheckoutFailed', `extracting commit ${commit} failed: ${stderr.trim()}`));
      else if (--pending === 0) resolve();
    };
    archive.on('close', done);
    tar.on('close', done);
  });
}
