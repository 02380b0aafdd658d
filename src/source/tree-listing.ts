// A repository's directories and files as the ApplicationSet git generator
// sees them (Argo CD's repo-server GetGitDirectories / GetGitFiles): every
// directory except those starting with "." (and what is below them), in the
// order of a depth-first walk with sorted names (filepath.WalkDir); files
// selected by a predicate, with their contents. From a commit of a mirror, or
// from a plain directory on disk (`capstan appset generate --repo-root`).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { GitMirror } from './git-mirror.ts';

/** WalkDir order: segment by segment, each compared as bytes (code points). */
export function compareWalkOrder(a: string, b: string): number {
  const sa = a.split('/');
  const sb = b.split('/');
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    if (sa[i] !== sb[i]) return compareCodePoints(sa[i]!, sb[i]!);
  }
  return sa.length - sb.length;
}

function compareCodePoints(a: string, b: string): number {
  const ca = [...a].map((c) => c.codePointAt(0)!);
  const cb = [...b].map((c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) if (ca[i] !== cb[i]) return ca[i]! - cb[i]!;
  return ca.length - cb.length;
}

function visible(dir: string): boolean {
  return !dir.split('/').some((segment) => segment.startsWith('.'));
}

/** The directories of a commit, as the git generator lists them. */
export async function commitDirectories(mirror: GitMirror, commit: string): Promise<string[]> {
  return (await mirror.listTree(commit, 'directories')).filter(visible).sort(compareWalkOrder);
}

/** The files of a commit that `select` keeps, with their contents (read from the shared checkout). */
export async function commitFiles(mirror: GitMirror, commit: string, select: (file: string) => boolean): Promise<Map<string, string>> {
  const files = (await mirror.listTree(commit, 'files')).filter(select);
  const out = new Map<string, string>();
  if (files.length === 0) return out;
  const root = await mirror.checkout(commit);
  for (const file of files) out.set(file, await readFile(path.join(root, file), 'utf8'));
  return out;
}

async function walk(root: string, rel: string, dirs: string[], files: string[]): Promise<void> {
  const entries = await readdir(path.join(root, rel), { withFileTypes: true });
  for (const entry of entries.sort((x, y) => compareCodePoints(x.name, y.name))) {
    const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name === '.git') continue;
      if (!entry.name.startsWith('.') && visible(child)) dirs.push(child);
      await walk(root, child, dirs, files);
    } else {
      files.push(child);
    }
  }
}

/** The directories and files of a working tree on disk (the .git folder left out). */
export async function localTree(root: string): Promise<{ directories: string[]; files: string[] }> {
  const directories: string[] = [];
  const files: string[] = [];
  await walk(root, '', directories, files);
  return { directories, files };
}

export async function readLocalFiles(root: string, files: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const file of files) out.set(file, await readFile(path.join(root, file), 'utf8'));
  return out;
}
