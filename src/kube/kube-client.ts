// KubeClient: the engine's one way to talk to an API server — get, list,
// server-side apply (field manager, force, dry run), create/replace, patch,
// delete with a propagation policy, and list+watch — over a kubeconfig
// connection and discovery. Objects go to the server as the JSON given,
// never through a typed model.
import type { KubeObject } from '../api/kube-object.ts';
import { CapstanError } from '../errors.ts';
import { isNotFound } from './api-error.ts';
import { ApiDiscovery, resourcePath, type ApiResource } from './api-discovery.ts';
import { KubeConnection, type ConnectionOptions } from './connection.ts';
import { kubeJson, kubeRequest } from './kube-request.ts';
import { listAll, watchResource, type WatchHandlers, type WatchOptions } from './resource-watch.ts';

export type PropagationPolicy = 'Foreground' | 'Background' | 'Orphan';

export interface ApplyOptions {
  readonly fieldManager: string;
  readonly force?: boolean;
  readonly dryRun?: boolean;
}

export type PatchType = 'merge' | 'json' | 'strategic';
const patchContentTypes: Record<PatchType, string> = {
  merge: 'application/merge-patch+json', json: 'application/json-patch+json', strategic: 'application/strategic-merge-patch+json',
};

function describe(res: ApiResource, namespace: string | undefined, name: string | undefined): string {
  return `${res.apiVersion} ${res.kind} ${namespace ? `${namespace}/` : ''}${name ?? ''}`;
}

export class KubeClient {
  readonly discovery: ApiDiscovery;

  constructor(readonly connection: KubeConnection) {
    this.discovery = new ApiDiscovery(connection);
  }

  static fromKubeconfig(options: ConnectionOptions = {}): KubeClient {
    return new KubeClient(KubeConnection.fromKubeconfig(options));
  }

  close(): void {
    this.connection.close();
  }

  private async target(obj: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): Promise<{ res: ApiResource; namespace?: string; name: string }> {
    const res = await this.discovery.resourceFor(obj.apiVersion, obj.kind);
    const name = obj.metadata.name;
    if (!name) throw new CapstanError('InvalidObject', `${obj.apiVersion} ${obj.kind} has no metadata.name`);
    if (res.namespaced && !obj.metadata.namespace) {
      throw new CapstanError('InvalidObject', `${obj.apiVersion} ${obj.kind} ${name} is namespaced but has no namespace`);
    }
    return { res, name, ...(res.namespaced && obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}) };
  }

  async get(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
    const res = await this.discovery.resourceFor(apiVersion, kind);
    try {
      return await kubeJson<KubeObject>(this.connection, {
        method: 'GET', path: resourcePath(res, namespace, name), what: `get ${describe(res, namespace, name)}`,
      });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async list(apiVersion: string, kind: string, options: { namespace?: string; labelSelector?: string; pageSize?: number } = {}): Promise<KubeObject[]> {
    const res = await this.discovery.resourceFor(apiVersion, kind);
    const { pageSize, ...query } = options;
    return (await listAll(this.connection, res, query, pageSize)).items;
  }

  /**
   * Server-side apply. `manifest` is a JSON or YAML string sent unchanged, or
   * an object serialized with JSON.stringify (which keeps every field).
   */
  async apply(obj: KubeObject, options: ApplyOptions, manifest?: string): Promise<KubeObject> {
    const { res, namespace, name } = await this.target(obj);
    const body = manifest ?? JSON.stringify(obj);
    return kubeJson<KubeObject>(this.connection, {
      method: 'PATCH', path: resourcePath(res, namespace, name), body, contentType: 'application/apply-patch+yaml',
      query: { fieldManager: options.fieldManager, force: options.force ? true : undefined, dryRun: options.dryRun ? 'All' : undefined },
      what: `apply ${describe(res, namespace, name)}`,
    });
  }

  async create(obj: KubeObject, options: { dryRun?: boolean; fieldManager?: string } = {}): Promise<KubeObject> {
    const { res, namespace, name } = await this.target(obj);
    return kubeJson<KubeObject>(this.connection, {
      method: 'POST', path: resourcePath(res, namespace), body: JSON.stringify(obj),
      query: { dryRun: options.dryRun ? 'All' : undefined, fieldManager: options.fieldManager },
      what: `create ${describe(res, namespace, name)}`,
    });
  }

  /** PUT (replace/update); the object must carry the live resourceVersion to update, or none to force. */
  async replace(obj: KubeObject, options: { dryRun?: boolean; fieldManager?: string } = {}): Promise<KubeObject> {
    const { res, namespace, name } = await this.target(obj);
    return kubeJson<KubeObject>(this.connection, {
      method: 'PUT', path: resourcePath(res, namespace, name), body: JSON.stringify(obj),
      query: { dryRun: options.dryRun ? 'All' : undefined, fieldManager: options.fieldManager },
      what: `replace ${describe(res, namespace, name)}`,
    });
  }

  async patch(ref: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>, patch: unknown, type: PatchType,
    options: { subresource?: 'status'; fieldManager?: string; dryRun?: boolean } = {}): Promise<KubeObject> {
    const { res, namespace, name } = await this.target(ref);
    const path = resourcePath(res, namespace, name) + (options.subresource ? `/${options.subresource}` : '');
    return kubeJson<KubeObject>(this.connection, {
      method: 'PATCH', path, body: JSON.stringify(patch), contentType: patchContentTypes[type],
      query: { fieldManager: options.fieldManager, dryRun: options.dryRun ? 'All' : undefined },
      what: `patch ${describe(res, namespace, name)}`,
    });
  }

  /** Deletes an object; false when it was already gone. */
  async delete(ref: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>,
    options: { propagationPolicy?: PropagationPolicy; dryRun?: boolean } = {}): Promise<boolean> {
    const { res, namespace, name } = await this.target(ref);
    const body = JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1',
      ...(options.propagationPolicy ? { propagationPolicy: options.propagationPolicy } : {}),
      ...(options.dryRun ? { dryRun: ['All'] } : {}) });
    try {
      await kubeRequest(this.connection, { method: 'DELETE', path: resourcePath(res, namespace, name), body,
        what: `delete ${describe(res, namespace, name)}` });
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  /** List then watch a kind until `options.signal` aborts (see resource-watch.ts). */
  async watch(apiVersion: string, kind: string, handlers: WatchHandlers, options: WatchOptions): Promise<void> {
    const res = await this.discovery.resourceFor(apiVersion, kind);
    return watchResource(this.connection, res, handlers, options);
  }
}
