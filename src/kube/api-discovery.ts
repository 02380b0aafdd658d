// Discovery: which resource (plural), scope and verbs serve each apiVersion
// and kind. Loaded once, refreshed on demand: when a CRD appears or vanishes
// (the caller invalidates) or when a lookup misses (one rediscovery, then a
// typed "unknown kind" error naming the group, version and kind).
import { CapstanError } from '../errors.ts';
import type { KubeConnection } from './connection.ts';
import { kubeJson } from './kube-request.ts';

export interface ApiResource {
  readonly apiVersion: string;
  readonly kind: string;
  /** Plural resource name used in URLs. */
  readonly resource: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
}

interface ResourceList { groupVersion: string; resources: Array<{ name: string; kind: string; namespaced: boolean; verbs?: string[] }> }
interface GroupList { groups: Array<{ versions: Array<{ groupVersion: string }> }> }

export class ApiDiscovery {
  private byKind: Map<string, ApiResource> | undefined;
  private loading: Promise<Map<string, ApiResource>> | undefined;

  constructor(private readonly conn: KubeConnection) {}

  invalidate(): void {
    this.byKind = undefined;
  }

  /** The resource for apiVersion+kind, rediscovering once on a miss. */
  async resourceFor(apiVersion: string, kind: string): Promise<ApiResource> {
    const found = (await this.load()).get(`${apiVersion}/${kind}`);
    if (found !== undefined) return found;
    this.invalidate();
    const again = (await this.load()).get(`${apiVersion}/${kind}`);
    if (again !== undefined) return again;
    throw new CapstanError('UnknownKind', `the server does not serve kind "${kind}" in version "${apiVersion}"`, { retry: 'wait' });
  }

  /** Like resourceFor, but undefined instead of an error (no rediscovery). */
  async tryResourceFor(apiVersion: string, kind: string): Promise<ApiResource | undefined> {
    return (await this.load()).get(`${apiVersion}/${kind}`);
  }

  async all(): Promise<ApiResource[]> {
    return [...(await this.load()).values()];
  }

  private async load(): Promise<Map<string, ApiResource>> {
    if (this.byKind !== undefined) return this.byKind;
    this.loading ??= this.discover().finally(() => { this.loading = undefined; });
    this.byKind = await this.loading;
    return this.byKind;
  }

  private async discover(): Promise<Map<string, ApiResource>> {
    const groups = await kubeJson<GroupList>(this.conn, { method: 'GET', path: '/apis', what: 'discover API groups' });
    const groupVersions = ['v1', ...groups.groups.flatMap((g) => g.versions.map((v) => v.groupVersion))];
    const lists = await Promise.all(groupVersions.map(async (gv) => {
      const path = gv === 'v1' ? '/api/v1' : `/apis/${gv}`;
      try {
        return await kubeJson<ResourceList>(this.conn, { method: 'GET', path, what: `discover ${gv}` });
      } catch {
        return undefined; // an unavailable aggregated API does not break discovery of the rest
      }
    }));
    const map = new Map<string, ApiResource>();
    for (const list of lists) {
      if (list === undefined) continue;
      for (const r of list.resources) {
        if (r.name.includes('/')) continue;
        map.set(`${list.groupVersion}/${r.kind}`, {
          apiVersion: list.groupVersion, kind: r.kind, resource: r.name, namespaced: r.namespaced, verbs: r.verbs ?? [],
        });
      }
    }
    return map;
  }
}

/** URL path of a collection or object: /api/v1/namespaces/ns/configmaps[/name]. */
export function resourcePath(res: ApiResource, namespace: string | undefined, name?: string): string {
  const base = res.apiVersion.includes('/') ? `/apis/${res.apiVersion}` : `/api/${res.apiVersion}`;
  const ns = res.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${res.resource}${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;
}
