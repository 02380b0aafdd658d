// May this application use this source, deploy to this destination, and
// manage this kind? AppProject checks as Argo CD applies them: sourceRepos and
// destinations are glob lists where `!` entries deny; namespaced kinds are
// allowed unless blacklisted (or missing from a non-empty whitelist);
// cluster-scoped kinds need an entry in clusterResourceWhitelist.
import type { AppProjectSpec, ApplicationDestination, GroupKind } from '../api/app-project.ts';
import { globMatch, isDenyPattern } from './glob.ts';

/** Git URLs compare without case, scheme-insensitive trailing `.git` or slash. */
export function normalizeRepoUrl(url: string): string {
  return url.trim().toLowerCase().replace(/\/+$/, '').replace(/\.git$/, '');
}

/** Allowed when an allow entry matches and no `!` entry does (Argo CD's projects documentation). */
export function isSourcePermitted(project: AppProjectSpec, repoURL: string): boolean {
  const source = normalizeRepoUrl(repoURL);
  // A bare `*` means any repository, slashes included.
  const matches = (pattern: string): boolean =>
    pattern === '*' || globMatch(normalizeRepoUrl(pattern), source, { separators: '/' });
  const entries = project.sourceRepos ?? [];
  const denied = entries.some((e) => isDenyPattern(e) && matches(e.slice(1)));
  return !denied && entries.some((e) => !isDenyPattern(e) && matches(e));
}

function fieldMatches(pattern: string | undefined, value: string | undefined): boolean {
  return !!value && globMatch(pattern ?? '', value);
}

/**
 * Allowed when an allow entry matches (server or name, and namespace) and no
 * entry denies it: a `!` server, name or namespace that matches the destination.
 */
export function isDestinationPermitted(project: AppProjectSpec, dest: ApplicationDestination): boolean {
  let allowed = false;
  for (const item of project.destinations ?? []) {
    const denies = (['server', 'name', 'namespace'] as const).some((f) =>
      isDenyPattern(item[f]) && fieldMatches(item[f]!.slice(1), dest[f]));
    if (denies) return false;
    const plain = (f: 'server' | 'name' | 'namespace'): boolean => !isDenyPattern(item[f]) && fieldMatches(item[f], dest[f]);
    const nsOk = isDenyPattern(item.namespace) || plain('namespace') || (!dest.namespace && (item.namespace ?? '') === '');
    const targetOk = plain('server') || plain('name') || ((isDenyPattern(item.server) || isDenyPattern(item.name)));
    if (nsOk && targetOk) allowed = true;
  }
  return allowed;
}

function inList(list: readonly GroupKind[] | undefined, group: string, kind: string): boolean {
  return (list ?? []).some((e) => globMatch(e.group, group) && globMatch(e.kind, kind));
}

export function isGroupKindPermitted(project: AppProjectSpec, group: string, kind: string, namespaced: boolean): boolean {
  if (namespaced) {
    const whitelist = project.namespaceResourceWhitelist;
    const allowed = whitelist === undefined || whitelist.length === 0 || inList(whitelist, group, kind);
    return allowed && !inList(project.namespaceResourceBlacklist, group, kind);
  }
  return inList(project.clusterResourceWhitelist, group, kind) && !inList(project.clusterResourceBlacklist, group, kind);
}
