// Where repository URLs are fetched from when they are not reachable as
// written: `cnoe://<folder>` URLs of a local platform, or any URL a user maps
// with `--repo URL=PATH`. `capstan up` records its map beside the cluster's
// kubeconfig, so CLI commands that render (`capstan app diff`) resolve the
// same URLs the running engine does.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CapstanError } from '../errors.ts';

export type RepositoryMap = ReadonlyMap<string, string>;

const mapFileName = 'repositories.json';

/** `URL=PATH` flags → a map; a flag without `=` is a usage error. */
export function parseRepoMappings(flags: readonly string[]): Map<string, string> {
  return new Map(flags.map((flag) => {
    const i = flag.indexOf('=');
    if (i <= 0 || i === flag.length - 1) throw new CapstanError('Usage', `--repo must be URL=PATH, got "${flag}"`);
    return [flag.slice(0, i), flag.slice(i + 1)] as const;
  }));
}

/** Exact URL first, then the `cnoe://<name>` a longer `cnoe://<name>/…` URL belongs to; else the URL unchanged. */
export function rewriterFromMap(map: RepositoryMap): (url: string) => string {
  return (url) => {
    const exact = map.get(url);
    if (exact !== undefined) return exact;
    const m = /^cnoe:\/\/([^/]+)/.exec(url);
    return (m && map.get(`cnoe://${m[1]}`)) ?? url;
  };
}

export function writeRepositoryMap(kubeconfigPath: string, map: RepositoryMap): void {
  writeFileSync(path.join(path.dirname(kubeconfigPath), mapFileName), `${JSON.stringify(Object.fromEntries(map), null, 2)}\n`);
}

/** The map `capstan up` recorded beside this kubeconfig, or an empty one. */
export function readRepositoryMap(kubeconfigPath: string): Map<string, string> {
  const file = path.join(path.dirname(kubeconfigPath), mapFileName);
  if (!existsSync(file)) return new Map();
  try {
    return new Map(Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>));
  } catch (err) {
    throw new CapstanError('InvalidRepositoryMap', `${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
