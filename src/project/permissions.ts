// May this application use this source, deploy to this destination, and
// manage this kind? AppProject checks exactly as Argo CD's AppProject methods
// evaluate them (pkg/apis/application/v1alpha1/app_project_types.go):
// - sourceRepos (IsSourcePermitted): globs over normalized git URLs, `/` a
//   separator and a bare `*` anything. Entries are read in order: a `!` entry
//   whose pattern matches refuses the source, one that does not match counts
//   as a match (so a list of only `!` entries permits every other repo).
// - destinations (isDestinationMatched): an entry matches when its server or
//   name, and its namespace, match; a `!` field that does not let the
//   destination through (or, for server and name, a destination without
//   that field) denies it whatever the other entries say.
// - group/kinds (IsGroupKindNamePermitted): namespaced kinds are permitted
//   when namespaceResourceWhitelist is absent, or lists them, and the
//   blacklist does not; an empty whitelist permits none. Cluster-scoped kinds
//   need an entry in clusterResourceWhitelist (entries may narrow by name)
//   and none in clusterResourceBlacklist. Entries match with Go's
//   filepath.Match.
// - live objects (IsLiveResourcePermitted): the kind, and for a namespaced
//   object its namespace as a destination.
// - sourceNamespaces (IsAppNamespacePermitted).
import type {
  AppProjectSpec, ApplicationDestination, ClusterResourceRestrictionItem, GroupKind,
} from '../api/app-project.ts';
import { normalizeGitUrl } from './git-url.ts';
import { globMatch, isDenyPattern } from './glob.ts';
import { pathMatch } from './path-match.ts';

/** A destination with both server and name known (resolved from the spec). */
export interface ResolvedDestination {
  readonly server: string;
  readonly name: string;
}

/** A cluster registered for one project (its Secret names the project): for permitOnlyProjectScopedClusters. */
export interface ProjectCluster {
  readonly server?: string;
  readonly name?: string;
}

/** Argo CD's globMatch: `!` negates when allowed, a bare `*` matches anything, else gobwas glob. */
function argoGlob(pattern: string, value: string, allowNegation: boolean, separators = ''): boolean {
  if (allowNegation && isDenyPattern(pattern)) return !globMatch(pattern.slice(1), value, { separators });
  if (pattern === '*') return true;
  return globMatch(pattern, value, { separators });
}

export function isSourcePermitted(project: AppProjectSpec, repoURL: string): boolean {
  const source = normalizeGitUrl(repoURL);
  let anyMatched = false;
  for (const entry of project.sourceRepos ?? []) {
    const pattern = isDenyPattern(entry) ? `!${normalizeGitUrl(entry.slice(1))}` : normalizeGitUrl(entry);
    if (argoGlob(pattern, source, true, '/')) anyMatched = true;
    else if (isDenyPattern(pattern)) return false;
  }
  return anyMatched;
}

/** Argo CD's isDestinationMatched over the project's destinations. */
export function isDestinationMatched(project: AppProjectSpec, dest: ApplicationDestination): boolean {
  let anyMatched = false;
  let denied = false;
  for (const item of project.destinations ?? []) {
    const nameMatched = !!dest.name && argoGlob(item.name ?? '', dest.name, true);
    const serverMatched = !!dest.server && argoGlob(item.server ?? '', dest.server, true);
    const namespaceMatched = argoGlob(item.namespace ?? '', dest.namespace ?? '', true);
    if ((serverMatched || nameMatched) && namespaceMatched) anyMatched = true;
    else if ((!nameMatched && isDenyPattern(item.name)) || (!serverMatched && isDenyPattern(item.server))
      || (!namespaceMatched && isDenyPattern(item.namespace))) denied = true;
  }
  return anyMatched && !denied;
}

/**
 * IsDestinationPermitted: the destination matches, and under
 * permitOnlyProjectScopedClusters it is one of the project's own clusters
 * (none given: none).
 */
export function isDestinationPermitted(project: AppProjectSpec, dest: ApplicationDestination,
  projectClusters: readonly ProjectCluster[] = []): boolean {
  if (!isDestinationMatched(project, dest)) return false;
  if (!project.permitOnlyProjectScopedClusters) return true;
  return projectClusters.some((c) => (c.name !== undefined && c.name === dest.name) || (c.server !== undefined && c.server === dest.server));
}

function inList(list: readonly GroupKind[], group: string, kind: string): boolean {
  return list.some((e) => pathMatch(e.kind, kind) && pathMatch(e.group, group));
}

function inNamedList(list: readonly ClusterResourceRestrictionItem[], group: string, kind: string, name: string | undefined): boolean {
  return list.some((e) => pathMatch(e.kind, kind) && pathMatch(e.group, group)
    && (e.name === undefined || e.name === '' || pathMatch(e.name, name ?? '')));
}

/** IsGroupKindNamePermitted; `name` narrows cluster-scoped entries that carry one. */
export function isGroupKindPermitted(project: AppProjectSpec, group: string, kind: string, namespaced: boolean, name?: string): boolean {
  if (namespaced) {
    const whitelist = project.namespaceResourceWhitelist;
    const allowed = whitelist === undefined || whitelist === null || (whitelist.length > 0 && inList(whitelist, group, kind));
    return allowed && !inList(project.namespaceResourceBlacklist ?? [], group, kind);
  }
  const whitelist = project.clusterResourceWhitelist ?? [];
  return whitelist.length > 0 && inNamedList(whitelist, group, kind, name)
    && !inNamedList(project.clusterResourceBlacklist ?? [], group, kind, name);
}

/**
 * IsLiveResourcePermitted: an object found in the cluster belongs to the app
 * only if the project permits its kind and (when it has a namespace) that
 * namespace on the app's destination.
 */
export function isLiveResourcePermitted(project: AppProjectSpec, obj: { group: string; kind: string; name?: string; namespace?: string },
  dest: ResolvedDestination, projectClusters: readonly ProjectCluster[] = []): boolean {
  const namespace = obj.namespace ?? '';
  if (!isGroupKindPermitted(project, obj.group, obj.kind, namespace !== '', obj.name)) return false;
  return namespace === '' || isDestinationPermitted(project, { server: dest.server, name: dest.name, namespace }, projectClusters);
}

/**
 * IsAppNamespacePermitted: an Application outside the control namespace may
 * use the project only if sourceNamespaces names its namespace (a glob, or a
 * regular expression between slashes).
 */
export function isAppNamespacePermitted(project: AppProjectSpec, appNamespace: string | undefined, controllerNamespace: string): boolean {
  if (!appNamespace || appNamespace === controllerNamespace) return true;
  return (project.sourceNamespaces ?? []).some((entry) => {
    if (entry.length > 1 && entry.startsWith('/') && entry.endsWith('/')) {
      try {
        return new RegExp(entry.slice(1, -1)).test(appNamespace);
      } catch {
        return false;
      }
    }
    return globMatch(entry, appNamespace);
  });
}
