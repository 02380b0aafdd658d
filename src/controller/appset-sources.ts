// What the ApplicationSet generators read, over the engine's adapters: git
// trees from the shared RepositoryStore (a repository is fetched at most once
// per refresh generation, shared with the Application renderer; a refresh
// request fetches again), and the cluster Secrets of the control namespace
// (label argocd.argoproj.io/secret-type=cluster; only name, server, project,
// labels and annotations are read — never the credentials in `config`).
import { clusterIdentityOf } from '../api/cluster-secret.ts';
import type { KubeObject } from '../api/kube-object.ts';
import type { ClusterSecretInfo, GeneratorSources } from '../appset/generators/generator-context.ts';
import { gitPathspecMatch } from '../appset/generators/go-path.ts';
import type { GitMirror } from '../source/git-mirror.ts';
import type { RepositoryStore } from '../source/repository-store.ts';
import { commitDirectories, commitFiles } from '../source/tree-listing.ts';
import type { RenderTemplates } from '../template/template-types.ts';

export { clusterSecretSelector } from '../api/cluster-secret.ts';

/** A cluster Secret as the clusters generator sees it (the parser the cluster registry uses too). */
export function clusterOfSecret(secret: KubeObject): ClusterSecretInfo {
  return clusterIdentityOf(secret);
}

export interface RepositorySourceOptions {
  readonly repositories: RepositoryStore;
  readonly generation: number;
  /** Fetch every repository again (the ApplicationSet's refresh annotation). */
  readonly forceFetch?: boolean;
  /** Fetch again a repository whose last fetch is older than this (the periodic requeue). */
  readonly maxFetchAgeMs?: number;
  readonly clusters: () => readonly ClusterSecretInfo[];
  readonly render: RenderTemplates;
  /** Told each repository and revision read, with the commit it resolved to. */
  readonly onResolved?: (repoURL: string, revision: string, commit: string) => void;
}

export function repositorySources(options: RepositorySourceOptions): GeneratorSources {
  const fetched = new Map<string, Promise<GitMirror>>();
  const commits = new Map<string, Promise<{ mirror: GitMirror; commit: string }>>();
  const mirrorOf = (url: string): Promise<GitMirror> => {
    let p = fetched.get(url);
    if (p === undefined) {
      const mirror = options.repositories.get(url);
      const maxAge = options.maxFetchAgeMs;
      p = (options.forceFetch ? mirror.fetch()
        : mirror.fetch(options.generation).then(() => (maxAge === undefined ? undefined : mirror.fetchIfOlderThan(maxAge)))).then(() => mirror);
      fetched.set(url, p);
    }
    return p;
  };
  const at = (url: string, revision: string): Promise<{ mirror: GitMirror; commit: string }> => {
    const key = `${url}\0${revision}`;
    let p = commits.get(key);
    if (p === undefined) {
      p = mirrorOf(url).then(async (mirror) => {
        const { commit } = await mirror.resolve(revision || 'HEAD');
        options.onResolved?.(url, revision, commit);
        return { mirror, commit };
      });
      commits.set(key, p);
    }
    return p;
  };
  return {
    git: {
      directories: async (url, revision) => { const { mirror, commit } = await at(url, revision); return commitDirectories(mirror, commit); },
      files: async (url, revision, pattern) => {
        const { mirror, commit } = await at(url, revision);
        return commitFiles(mirror, commit, (file) => gitPathspecMatch(pattern, file));
      },
    },
    clusters: () => Promise.resolve(options.clusters()),
    render: options.render,
  };
}
