// The local platform's git repositories: each folder of a platform directory
// (the bundled examples/) becomes a git repository under
// <home>/repos/<folder>, committed again when its files change, and the
// repository URL `cnoe://<folder>` resolves to it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { rewriterFromMap } from './repository-map.ts';

export interface LocalRepo {
  readonly name: string;
  readonly url: string;
  readonly dir: string;
  readonly commit: string;
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'Capstan',
    GIT_AUTHOR_EMAIL: 'platform@capstan.local', GIT_COMMITTER_NAME: 'Capstan', GIT_COMMITTER_EMAIL: 'platform@capstan.local' } }).trim();
}

/** Mirrors `source` into a git repository at `dir`, committing when anything changed. */
export function syncFolderToRepo(source: string, dir: string, message: string): string {
  if (!existsSync(path.join(dir, '.git'))) {
    mkdirSync(dir, { recursive: true });
    git(dir, 'init', '--quiet', '--initial-branch=main');
  }
  // A push to the embedded git server moves the checked-out branch and its files together.
  git(dir, 'config', 'receive.denyCurrentBranch', 'updateInstead');
  for (const entry of readdirSync(dir)) if (entry !== '.git') rmSync(path.join(dir, entry), { recursive: true, force: true });
  execFileSync('cp', ['-R', `${source}/.`, dir]);
  git(dir, 'add', '-A');
  if (git(dir, 'status', '--porcelain') !== '') git(dir, 'commit', '--quiet', '-m', message);
  return git(dir, 'rev-parse', 'HEAD');
}

export function publishPlatformRepos(platformDir: string, home: string): LocalRepo[] {
  return readdirSync(platformDir).filter((f) => statSync(path.join(platformDir, f)).isDirectory()).sort().map((name) => {
    const dir = path.join(home, 'repos', name);
    const commit = syncFolderToRepo(path.join(platformDir, name), dir, `platform: ${name}`);
    return { name, url: `cnoe://${name}`, dir, commit };
  });
}

/** cnoe://<folder> → the folder's repository. */
export function repositoryMapOf(repos: readonly LocalRepo[]): Map<string, string> {
  return new Map(repos.map((r) => [r.url, r.dir]));
}

/** Fetch-time rewriting of the platform's cnoe:// URLs. */
export function cnoeRewriter(repos: readonly LocalRepo[]): (url: string) => string {
  return rewriterFromMap(repositoryMapOf(repos));
}
