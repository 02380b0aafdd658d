// idpbuilder packages as `idpbuilder create --package DIR` reads them
// (cnoe-io/idpbuilder, controllers/localbuild and custompackage): every
// regular *.yaml / *.yml file directly in DIR whose first document is an
// Argo CD Application or ApplicationSet is a package; each `cnoe://<path>`
// repository URL in it — source, sources, an ApplicationSet's git generators
// and template sources — names the folder `<path>` relative to the file's own
// folder, which must exist, and becomes a git repository named
// `idpbuilder-localdev-<app>-<folder basename>`. When several DIRs define an
// application of the same name, the last one wins. Files of other kinds are
// ignored. Unlike idpbuilder, which rewrites each Application's URL, Capstan
// applies the Applications unchanged and rewrites URLs when fetching, so one
// `cnoe://` URL must name one folder across the packages.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { ApplicationSource } from '../api/application.ts';
import type { KubeObject } from '../api/kube-object.ts';
import { syncAnnotations } from '../api/sync-annotations.ts';
import { CapstanError } from '../errors.ts';

export const cnoeScheme = 'cnoe://';

export interface PackageApp {
  readonly file: string;
  readonly object: KubeObject;
  /** The object's sync wave (its annotation, else 0): `capstan up` applies packages wave by wave. */
  readonly wave: number;
  /** The cnoe:// URLs the object uses. */
  readonly urls: readonly string[];
}

export interface PackageRepo {
  readonly url: string;
  /** The absolute folder the URL names. */
  readonly folder: string;
  /** The repository name idpbuilder would give it. */
  readonly name: string;
}

export interface PackageSet {
  readonly apps: readonly PackageApp[];
  readonly repos: readonly PackageRepo[];
  /** Things idpbuilder does silently that a user should know about. */
  readonly warnings: readonly string[];
}

export class PackageError extends CapstanError {
  override readonly name = 'PackageError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('InvalidPackage', message, options);
  }
}

type Spec = { source?: ApplicationSource; sources?: ApplicationSource[] };

/** The repository URLs an Application or ApplicationSet reads, as idpbuilder looks for them. */
export function repositoryUrlsOf(obj: KubeObject): string[] {
  const spec = (obj['spec'] ?? {}) as Spec & { generators?: Array<{ git?: { repoURL?: string } }>; template?: { spec?: Spec } };
  const fromSpec = (s: Spec | undefined): string[] => [s?.source?.repoURL, ...(s?.sources ?? []).map((x) => x.repoURL)].filter((u): u is string => typeof u === 'string');
  if (obj.kind === 'ApplicationSet') {
    return [...(spec.generators ?? []).map((g) => g.git?.repoURL).filter((u): u is string => typeof u === 'string'), ...fromSpec(spec.template?.spec)];
  }
  return fromSpec(spec);
}

const isArgoPackage = (o: unknown): o is KubeObject => typeof o === 'object' && o !== null
  && typeof (o as KubeObject).apiVersion === 'string' && (o as KubeObject).apiVersion.startsWith('argoproj.io/')
  && ((o as KubeObject).kind === 'Application' || (o as KubeObject).kind === 'ApplicationSet');

function readPackageFile(file: string, warnings: string[]): KubeObject | undefined {
  let docs;
  try {
    docs = parseAllDocuments(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new PackageError(`${file}: cannot be read: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const list = Array.isArray(docs) ? docs : [docs];
  const first = list[0];
  if (first === undefined) return undefined;
  if (first.errors.length > 0) throw new PackageError(`${file}: not valid YAML: ${first.errors[0]!.message}`);
  const obj = first.toJS() as unknown;
  if (!isArgoPackage(obj)) return undefined;
  if (!obj.metadata?.name) throw new PackageError(`${file}: the ${obj.kind} has no metadata.name`);
  if (list.length > 1) warnings.push(`${file}: only the first document is a package (as idpbuilder reads it); ${list.length - 1} more ignored`);
  return obj;
}

function folderOf(file: string, obj: KubeObject, url: string): string {
  const folder = path.resolve(path.dirname(file), url.slice(cnoeScheme.length));
  const what = `${file}: ${obj.kind} ${obj.metadata.name}: ${url}`;
  if (!existsSync(folder)) throw new PackageError(`${what} names ${folder}, which does not exist (a cnoe:// path is relative to the file's folder)`);
  if (!statSync(folder).isDirectory()) throw new PackageError(`${what} names ${folder}, which is not a directory`);
  return folder;
}

/** The packages of the given directories, later directories overriding earlier ones by application name. */
export function readPackageDirs(dirs: readonly string[]): PackageSet {
  const byName = new Map<string, PackageApp>();
  const warnings: string[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new PackageError(`package directory ${dir} does not exist`);
    for (const entry of readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile() && /\.ya?ml$/.test(e.name)).sort((a, b) => a.name.localeCompare(b.name))) {
      const file = path.resolve(dir, entry.name);
      const obj = readPackageFile(file, warnings);
      if (obj === undefined) continue;
      const key = `${obj.kind}/${obj.metadata.name}`;
      const earlier = byName.get(key);
      if (earlier !== undefined) warnings.push(`${obj.kind} ${obj.metadata.name}: ${file} replaces ${earlier.file} (a later --package wins)`);
      const wave = Number.parseInt(obj.metadata.annotations?.[syncAnnotations.syncWave] ?? '0', 10);
      byName.set(key, { file, object: obj, wave: Number.isNaN(wave) ? 0 : wave, urls: repositoryUrlsOf(obj).filter((u) => u.startsWith(cnoeScheme)) });
    }
  }
  const apps = [...byName.values()].sort((a, b) => a.wave - b.wave || a.object.metadata.name!.localeCompare(b.object.metadata.name!));
  const repos = new Map<string, PackageRepo & { app: PackageApp }>();
  const names = new Set<string>();
  for (const app of apps) {
    for (const url of app.urls) {
      const folder = folderOf(app.file, app.object, url);
      const known = repos.get(url);
      if (known !== undefined) {
        if (known.folder !== folder) {
          throw new PackageError(`${url} names two folders: ${known.folder} (${known.app.object.kind} ${known.app.object.metadata.name} in ${known.app.file}) and ${folder} `
            + `(${app.object.kind} ${app.object.metadata.name} in ${app.file}); Capstan resolves a cnoe:// URL to one repository, so give each folder its own URL`);
        }
        continue;
      }
      let name = `idpbuilder-localdev-${app.object.metadata.name}-${path.basename(folder)}`;
      if (names.has(name)) name = `${name}-${createHash('sha256').update(folder).digest('hex').slice(0, 8)}`;
      names.add(name);
      repos.set(url, { url, folder, name, app });
    }
  }
  return { apps, repos: [...repos.values()].map(({ url, folder, name }) => ({ url, folder, name })), warnings };
}
