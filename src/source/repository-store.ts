// All git mirrors of a process, one per remote, so every app (and every
// ApplicationSet git generator) that uses a repository shares its fetches
// and checkouts, also under several URLs that lead to it; listeners hear of
// each fetch under every such URL.
import type { GitCredentials } from './git-command.ts';
import { GitMirror } from './git-mirror.ts';

export interface RepositoryStoreOptions {
  readonly cacheDir: string;
  /** Credentials per repository URL (looked up from repository Secrets by the caller), asked at every fetch. */
  readonly credentialsFor?: (url: string) => GitCredentials | undefined;
  readonly timeoutMs?: number;
  /** Where a repository URL is fetched from (e.g. cnoe://name → a local repository of the platform). */
  readonly rewrite?: (url: string) => string;
}

export class RepositoryStore {
  private readonly mirrors = new Map<string, GitMirror>();
  /** One mirror per remote: URLs that lead to the same remote (through `rewrite`) share its directory and fetches. */
  private readonly byRemote = new Map<string, { mirror: GitMirror; urls: Set<string> }>();
  private readonly fetchListeners = new Set<(url: string) => void>();
  private generation = 0;

  constructor(private readonly options: RepositoryStoreOptions) {}

  get(url: string): GitMirror {
    let mirror = this.mirrors.get(url);
    if (mirror === undefined) {
      const remote = this.options.rewrite?.(url) ?? url;
      let shared = this.byRemote.get(remote);
      if (shared === undefined) {
        const credentialsFor = this.options.credentialsFor;
        const urls = new Set<string>();
        shared = { urls, mirror: new GitMirror(remote, this.options.cacheDir, () => credentialsFor?.(url), this.options.timeoutMs,
          () => { for (const u of urls) for (const listener of this.fetchListeners) listener(u); }) };
        this.byRemote.set(remote, shared);
      }
      shared.urls.add(url);
      mirror = shared.mirror;
      this.mirrors.set(url, mirror);
    }
    return mirror;
  }

  /** Calls `listener` with the repository URL after every fetch that reached a remote; returns the unsubscribe. */
  onFetched(listener: (url: string) => void): () => void {
    this.fetchListeners.add(listener);
    return () => { this.fetchListeners.delete(listener); };
  }

  /** Starts a new refresh: the next fetch of each repository goes to the remote again. */
  nextGeneration(): number {
    return ++this.generation;
  }

  get currentGeneration(): number {
    return this.generation;
  }
}
