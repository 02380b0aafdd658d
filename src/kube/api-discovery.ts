// Discovery: which resource (plural), scope and verbs serve each apiVersion
// and kind. Loaded once from /api/v1 and every group version under /apis,
// then kept. `invalidate()` drops it (the client calls it when it writes a
// CRD or APIService, or its watch of them sees a change); a lookup that
// misses asks the server once more for that one group version, and only then
// fails with UnknownKindError naming the group, version and kind.
import { UnknownKindError, isNotFound } from './api-error.ts';
import type { KubeConnection } from './connection.ts';
import { kubeJson } from './kube-request.ts';
import { groupVersionPath } from './resource-path.ts';

export interface ApiResource {
  readonly apiVersion: string;
  readonly kind: string;
  /** Plural resource name used in URLs. */
  readonly resource: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
}

/** An APIResourceList as served at /api/v1 and /apis/<group>/<version>. */
export interface ResourceList {
  groupVersion: string;
  resources: Array<{ name: string; kind: string; namespaced: boolean; verbs?: string[] }>;
}

interface GroupList { groups: Array<{ versions: Array<{ groupVersion: string }> }> }

/** The top-level resources of a group version (subresources such as pods/status are left out). */
export function resourcesOf(list: ResourceList): ApiResource[] {
  return (list.resources ?? [])
    .filter((r) => !r.name.includes('/'))
    .map((r) => ({ apiVersion: list.groupVersion, kind: r.kind, resource: r.name, namespaced: r.namespaced, verbs: r.verbs ?? [] }));
}

const keyOf = (apiVersion: string, kind: string): string => `${apiVersion}/${kind}`;

export class ApiDiscovery {
  private byKind: Map<string, ApiResource> | undefined;
  private loading: Promise<Map<string, ApiResource>> | undefined;
  /** Bumped by invalidate(), so a discovery started before it does not land after it. */
  private generation = 0;
  private readonly refreshing = new Map<string, Promise<boolean>>();

  constructor(private readonly conn: KubeConnection) {}

  invalidate(): void {
    this.generation++;
    this.byKind = undefined;
    this.loading = undefined;
  }

  /** The resource for apiVersion+kind; on a miss, rediscovers that group version once. */
  async resourceFor(apiVersion: string, kind: string): Promise<ApiResource> {
    const found = (await this.load()).get(keyOf(apiVersion, kind));
    if (found !== undefined) return found;
    if (await this.refreshGroupVersion(apiVersion)) {
      const again = (await this.load()).get(keyOf(apiVersion, kind));
      if (again !== undefined) return again;
    }
    throw new UnknownKindError(apiVersion, kind);
  }

  /** Like resourceFor, but undefined instead of an error, and no rediscovery. */
  async tryResourceFor(apiVersion: string, kind: string): Promise<ApiResource | undefined> {
    return (await this.load()).get(keyOf(apiVersion, kind));
  }

  async all(): Promise<ApiResource[]> {
    return [...(await this.load()).values()];
  }

  private load(): Promise<Map<string, ApiResource>> {
    if (this.byKind !== undefined) return Promise.resolve(this.byKind);
    if (this.loading === undefined) {
      const generation = this.generation;
      const loading = this.discover().then((map) => {
        if (this.generation === generation) this.byKind = map;
        return map;
      }).finally(() => {
        if (this.loading === loading) this.loading = undefined;
      });
      this.loading = loading;
    }
    return this.loading;
  }

  /** Reloads one group version into the loaded map; false when the server does not serve it. */
  private refreshGroupVersion(apiVersion: string): Promise<boolean> {
    let running = this.refreshing.get(apiVersion);
    if (running === undefined) {
      running = (async () => {
        const list = await this.fetchGroupVersion(apiVersion);
        const map = await this.load();
        for (const [key, r] of map) if (r.apiVersion === apiVersion) map.delete(key);
        for (const r of list === undefined ? [] : resourcesOf(list)) map.set(keyOf(r.apiVersion, r.kind), r);
        return list !== undefined;
      })().finally(() => this.refreshing.delete(apiVersion));
      this.refreshing.set(apiVersion, running);
    }
    return running;
  }

  private async fetchGroupVersion(apiVersion: string): Promise<ResourceList | undefined> {
    try {
      return await kubeJson<ResourceList>(this.conn, { method: 'GET', path: groupVersionPath(apiVersion), verb: `discover ${apiVersion}` });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  private async discover(): Promise<Map<string, ApiResource>> {
    const groups = await kubeJson<GroupList>(this.conn, { method: 'GET', path: '/apis', verb: 'discover API groups' });
    const groupVersions = ['v1', ...groups.groups.flatMap((g) => g.versions.map((v) => v.groupVersion))];
    const lists = await Promise.all(groupVersions.map(async (gv) => {
      try {
        return await this.fetchGroupVersion(gv);
      } catch {
        // An unavailable aggregated API (503) must not break discovery of the rest;
        // a lookup in it will try again and report the real error.
        return undefined;
      }
    }));
    const map = new Map<string, ApiResource>();
    for (const list of lists) {
      if (list === undefined) continue;
      for (const r of resourcesOf(list)) map.set(keyOf(r.apiVersion, r.kind), r);
    }
    return map;
  }
}
