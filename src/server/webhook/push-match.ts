// Which Applications and ApplicationSets a push concerns, as Argo CD decides
// it: a source (or git generator) whose repoURL names the pushed repository in
// any of its URL forms (https, ssh, scp-like `git@host:path`, with or without
// `.git`, any user), whose targetRevision is the pushed branch or tag (HEAD or
// none: the default branch), and — for an app with the
// `argocd.argoproj.io/manifest-generate-paths` annotation — a changed file
// under one of those paths.
import type { ApplicationSet, ApplicationSetGenerator, ApplicationSetNestedGenerator } from '../../api/application-set.ts';
import { sourcesOf, type Application, type ApplicationSource } from '../../api/application.ts';
import { goPathMatch } from '../../appset/generators/go-path.ts';
import type { PushEvent } from './push-event.ts';

export const manifestGeneratePathsAnnotation = 'argocd.argoproj.io/manifest-generate-paths';

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const usernamePattern = String.raw`[\w.][\w.-]{0,30}[\w.$-]?`;

/** Matches every repoURL form of the repository whose web page is `webURL` (undefined: not a URL). */
export function webURLPattern(webURL: string): RegExp | undefined {
  let url: URL;
  try { url = new URL(webURL); } catch { return undefined; }
  const repoPath = url.pathname.replace(/^\//, '');
  if (url.hostname === '' || repoPath === '') return undefined;
  return new RegExp(`^((https?|ssh)://)?(${usernamePattern}@)?((alt)?ssh\\.)?${escape(url.hostname)}(:\\d+)?[:/]${escape(repoPath)}(\\.git)?$`, 'i');
}

/** The pushed revision is the one `targetRevision` follows. */
export function revisionMatches(targetRevision: string | undefined, push: PushEvent): boolean {
  const target = targetRevision ?? '';
  const parts = target.split('/');
  const short = parts.length <= 3 ? parts[parts.length - 1]! : parts.slice(2).join('/');
  if (short === 'HEAD' || short === '') return push.touchedHead;
  if (target.startsWith('refs/heads/') || target.startsWith('refs/tags/')) return short === push.revision;
  return target === push.revision;
}

const clean = (p: string): string => {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop(); else out.push(part);
  }
  return out.join('/');
};

/** The repository paths the annotation names (`/x` from the root, others under each source's path). */
export function refreshPaths(app: Application): string[] {
  const value = app.metadata.annotations?.[manifestGeneratePathsAnnotation] ?? '';
  const sources = sourcesOf(app.spec);
  return value.split(';').map((s) => s.trim()).filter((s) => s !== '').flatMap((item) => (item.startsWith('/')
    ? [clean(item)] : sources.map((s) => clean(`${s.path ?? ''}/${item}`))));
}

/** True unless the app names its paths and the push lists its files and none is under them. */
export function filesConcernApp(paths: readonly string[], changedFiles: readonly string[]): boolean {
  if (changedFiles.length === 0 || paths.length === 0) return true;
  return changedFiles.some((file) => {
    const f = clean(file);
    return paths.some((p) => p === '' || f === p || f.startsWith(`${p}/`) || goPathMatch(p, f));
  });
}

function sourceMatches(source: ApplicationSource, push: PushEvent, patterns: readonly RegExp[]): boolean {
  return revisionMatches(source.targetRevision, push) && patterns.some((re) => re.test(source.repoURL ?? ''));
}

/** The Applications a push asks to refresh. */
export function appsToRefresh(apps: Iterable<Application>, push: PushEvent): Application[] {
  const patterns = push.webURLs.map(webURLPattern).filter((re): re is RegExp => re !== undefined);
  if (patterns.length === 0) return [];
  return [...apps].filter((app) => {
    return sourcesOf(app.spec).some((s) => sourceMatches(s, push, patterns)) && filesConcernApp(refreshPaths(app), push.changedFiles);
  });
}

function gitGenerators(generators: readonly (ApplicationSetGenerator | ApplicationSetNestedGenerator)[]): Array<{ repoURL?: string; revision?: string }> {
  return generators.flatMap((g) => {
    const nested = [g.matrix, g.merge].flatMap((c) => {
      const children = (c as { generators?: ApplicationSetNestedGenerator[] } | undefined)?.generators;
      return Array.isArray(children) ? gitGenerators(children) : [];
    });
    return g.git ? [g.git, ...nested] : nested;
  });
}

/** The ApplicationSets with a git generator (also inside matrix and merge) that reads the pushed revision. */
export function appSetsToRefresh(appSets: Iterable<ApplicationSet>, push: PushEvent): ApplicationSet[] {
  const patterns = push.webURLs.map(webURLPattern).filter((re): re is RegExp => re !== undefined);
  if (patterns.length === 0) return [];
  return [...appSets].filter((set) => gitGenerators(set.spec.generators ?? [])
    .some((git) => revisionMatches(git.revision, push) && patterns.some((re) => re.test(git.repoURL ?? ''))));
}
