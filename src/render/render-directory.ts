// The directory source: every .yaml, .yml and .json file under the path
// (sub-directories only with `recurse`), filtered by the `include` and
// `exclude` globs matched against the path relative to the source root,
// in sorted order; non-manifest files are skipped as Argo CD skips them.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ApplicationSourceDirectory } from '../api/application.ts';
import type { KubeObject } from '../api/kube-object.ts';
import { globMatch } from '../project/glob.ts';
import { parseManifestFile } from './manifest-parse.ts';

const manifestExtensions = new Set(['.yaml', '.yml', '.json']);

export interface DirectoryRender {
  readonly objects: KubeObject[];
  /** Files read, relative to the directory. */
  readonly files: string[];
}

async function listFiles(root: string, recurse: boolean, rel = ''): Promise<string[]> {
  const entries = await readdir(path.join(root, rel), { withFileTypes: true });
  const out: string[] = [];
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const child = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) {
      if (recurse && e.name !== '.git') out.push(...await listFiles(root, recurse, child));
    } else if (e.isFile() && manifestExtensions.has(path.extname(e.name))) {
      out.push(child);
    }
  }
  return out;
}

function matchesAny(patterns: string | undefined, file: string): boolean {
  if (patterns === undefined || patterns === '') return false;
  // Argo CD accepts a brace list ("{a.yaml,b/*}") or a single glob.
  return globMatch(patterns, file);
}

export async function renderDirectory(dir: string, options: ApplicationSourceDirectory = {},
  displayPath = '.'): Promise<DirectoryRender> {
  const files = (await listFiles(dir, options.recurse ?? false))
    .filter((f) => (options.include ? matchesAny(options.include, f) : true) && !matchesAny(options.exclude, f));
  const objects: KubeObject[] = [];
  const read: string[] = [];
  for (const file of files) {
    const text = await readFile(path.join(dir, file), 'utf8');
    const outcome = parseManifestFile(text, path.posix.join(displayPath, file));
    read.push(file);
    if ('objects' in outcome) objects.push(...outcome.objects);
  }
  return { objects, files: read };
}
