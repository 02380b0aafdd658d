// KubeClient: the engine's one way to talk to an API server. A facade over
// the connection (kubeconfig, credentials), discovery, and one function per
// verb: get, list (paged), server-side apply (field manager, force, dry run),
// create, replace, patch (merge / JSON / strategic), status subresource
// writes, delete with a propagation policy, and list+watch. Objects go to the
// server as the JSON or YAML given, never through a typed model
// (docs/kube-client.md). A client comes from a kubeconfig or from an Argo CD
// cluster Secret (cluster-kubeconfig.ts). Writing a CustomResourceDefinition or APIService, or
// watching one change, invalidates discovery.
import type { Cluster } from '../api/cluster-secret.ts';
import type { KubeObject } from '../api/kube-object.ts';
import { CapstanError } from '../errors.ts';
import { isNotFound } from './api-error.ts';
import { ApiDiscovery, type ApiResource } from './api-discovery.ts';
import { kubeConfigForCluster } from './cluster-kubeconfig.ts';
import { KubeConnection, type ConnectionOptions } from './connection.ts';
import { kubeJson, kubeRequest, type KubeRequest } from './kube-request.ts';
import { listAll, listPage, type ListOptions, type ObjectList, type PageOptions } from './resource-list.ts';
import { describeTarget, resourcePath, type KubeTarget } from './resource-path.ts';
import { watchResource, type WatchHandlers, type WatchOptions } from './resource-watch.ts';

export type PropagationPolicy = 'Foreground' | 'Background' | 'Orphan';
export type PatchType = 'merge' | 'json' | 'strategic';
export type Subresource = 'status' | 'scale';

/** Options every call accepts. */
export interface CallOptions {
  /** Overrides the connection's per-request time limit. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export interface WriteOptions extends CallOptions {
  readonly fieldManager?: string;
  /** dryRun=All: validated and admitted, not persisted. */
  readonly dryRun?: boolean;
  /** Write the subresource (e.g. status) instead of the object. */
  readonly subresource?: Subresource;
  /** How the server treats unknown or duplicate fields: Strict fails, Warn (the server's default) and Ignore drop them. */
  readonly fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
}

export interface ApplyOptions extends WriteOptions {
  readonly fieldManager: string;
  /** Take over fields other managers own instead of failing with 409. */
  readonly force?: boolean;
}

export interface DeleteOptions extends CallOptions {
  readonly propagationPolicy?: PropagationPolicy;
  readonly dryRun?: boolean;
  readonly gracePeriodSeconds?: number;
  /** Delete only this exact object (uid) or version (resourceVersion); 409 otherwise. */
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
}

/** What identifies an object: apiVersion, kind, metadata.name and (if namespaced) metadata.namespace. */
export type ObjectRef = Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>;

const patchContentTypes: Record<PatchType, string> = {
  merge: 'application/merge-patch+json', json: 'application/json-patch+json', strategic: 'application/strategic-merge-patch+json',
};

/** Kinds whose changes change what the server serves. */
function changesDiscovery(apiVersion: string, kind: string): boolean {
  return (kind === 'CustomResourceDefinition' && apiVersion.startsWith('apiextensions.k8s.io/'))
    || (kind === 'APIService' && apiVersion.startsWith('apiregistration.k8s.io/'));
}

function callFields(options: CallOptions): Pick<KubeRequest, 'timeoutMs' | 'signal'> {
  return { ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}), ...(options.signal ? { signal: options.signal } : {}) };
}

interface Located { readonly res: ApiResource; readonly target: KubeTarget; readonly name: string; readonly namespace?: string }

export class KubeClient {
  readonly discovery: ApiDiscovery;

  constructor(readonly connection: KubeConnection) {
    this.discovery = new ApiDiscovery(connection);
  }

  static fromKubeconfig(options: ConnectionOptions = {}): KubeClient {
    return new KubeClient(KubeConnection.fromKubeconfig(options));
  }

  /** A client for a cluster declared by an Argo CD cluster Secret (credentials from its config). */
  static fromCluster(cluster: Cluster, options: Omit<ConnectionOptions, 'kubeconfigPath' | 'context'> = {}): KubeClient {
    return new KubeClient(KubeConnection.fromConfig(kubeConfigForCluster(cluster), options));
  }

  /** Closes kept-alive connections; watches stop with their own signals. */
  close(): void {
    this.connection.close();
  }

  async get(apiVersion: string, kind: string, namespace: string | undefined, name: string,
    options: CallOptions & { subresource?: Subresource } = {}): Promise<KubeObject | undefined> {
    const at = await this.locate({ apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } });
    try {
      return await kubeJson<KubeObject>(this.connection, {
        method: 'GET', path: resourcePath(at.res, at.namespace, at.name, options.subresource), verb: 'get', target: at.target, ...callFields(options),
      });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Every object of a kind (paged with limit/continue under the hood). */
  async list(apiVersion: string, kind: string, options: ListOptions & { pageSize?: number } = {}): Promise<KubeObject[]> {
    return (await this.listWithVersion(apiVersion, kind, options)).items;
  }

  /** Like list, with the collection's resourceVersion (to watch from). */
  async listWithVersion(apiVersion: string, kind: string, options: ListOptions & { pageSize?: number } = {}): Promise<ObjectList> {
    return listAll(this.connection, await this.discovery.resourceFor(apiVersion, kind), options);
  }

  /** One page: pass `limit`, then each answer's metadata.continue until it is empty. */
  async listPage(apiVersion: string, kind: string, options: PageOptions = {}): Promise<ObjectList> {
    return listPage(this.connection, await this.discovery.resourceFor(apiVersion, kind), options);
  }

  /**
   * Server-side apply (application/apply-patch+yaml). `manifest` is a JSON or
   * YAML string sent unchanged; without it `obj` is sent as JSON.stringify(obj),
   * which keeps every field. `obj` always names the target.
   */
  async apply(obj: KubeObject, options: ApplyOptions, manifest?: string): Promise<KubeObject> {
    const at = await this.locate(obj);
    const result = await kubeJson<KubeObject>(this.connection, {
      method: 'PATCH', path: resourcePath(at.res, at.namespace, at.name, options.subresource),
      body: manifest ?? JSON.stringify(obj), contentType: 'application/apply-patch+yaml',
      query: { fieldManager: options.fieldManager, force: options.force ? true : undefined, dryRun: options.dryRun ? 'All' : undefined,
        fieldValidation: options.fieldValidation },
      verb: 'apply', target: at.target, ...callFields(options),
    });
    this.wrote(obj, options.dryRun);
    return result;
  }

  async create(obj: KubeObject, options: WriteOptions = {}): Promise<KubeObject> {
    const at = await this.locate(obj, { allowGenerateName: true });
    const result = await kubeJson<KubeObject>(this.connection, {
      method: 'POST', path: resourcePath(at.res, at.namespace), body: JSON.stringify(obj),
      query: { dryRun: options.dryRun ? 'All' : undefined, fieldManager: options.fieldManager, fieldValidation: options.fieldValidation },
      verb: 'create', target: at.target, ...callFields(options),
    });
    this.wrote(obj, options.dryRun);
    return result;
  }

  /**
   * PUT: replaces the object, or with `subresource: 'status'` its status. With
   * metadata.resourceVersion set, a stale copy fails with 409 Conflict.
   */
  async replace(obj: KubeObject, options: WriteOptions = {}): Promise<KubeObject> {
    const at = await this.locate(obj);
    const result = await kubeJson<KubeObject>(this.connection, {
      method: 'PUT', path: resourcePath(at.res, at.namespace, at.name, options.subresource), body: JSON.stringify(obj),
      query: { dryRun: options.dryRun ? 'All' : undefined, fieldManager: options.fieldManager, fieldValidation: options.fieldValidation },
      verb: 'replace', target: at.target, ...callFields(options),
    });
    this.wrote(obj, options.dryRun);
    return result;
  }

  /** A merge, JSON or strategic-merge patch; a string `patch` is sent as is. */
  async patch(ref: ObjectRef, patch: unknown, type: PatchType, options: WriteOptions = {}): Promise<KubeObject> {
    const at = await this.locate(ref);
    const result = await kubeJson<KubeObject>(this.connection, {
      method: 'PATCH', path: resourcePath(at.res, at.namespace, at.name, options.subresource),
      body: typeof patch === 'string' ? patch : JSON.stringify(patch), contentType: patchContentTypes[type],
      query: { fieldManager: options.fieldManager, dryRun: options.dryRun ? 'All' : undefined },
      verb: 'patch', target: at.target, ...callFields(options),
    });
    this.wrote(ref, options.dryRun);
    return result;
  }

  /** Deletes an object; false when it was already gone. Finalizers may keep it around a while. */
  async delete(ref: ObjectRef, options: DeleteOptions = {}): Promise<boolean> {
    const at = await this.locate(ref);
    const body = JSON.stringify({
      kind: 'DeleteOptions', apiVersion: 'v1',
      ...(options.propagationPolicy ? { propagationPolicy: options.propagationPolicy } : {}),
      ...(options.dryRun ? { dryRun: ['All'] } : {}),
      ...(options.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: options.gracePeriodSeconds } : {}),
      ...(options.preconditions ? { preconditions: options.preconditions } : {}),
    });
    try {
      await kubeRequest(this.connection, {
        method: 'DELETE', path: resourcePath(at.res, at.namespace, at.name), body, verb: 'delete', target: at.target, ...callFields(options),
      });
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
    this.wrote(ref, options.dryRun);
    return true;
  }

  /**
   * Lists then watches a kind until `options.signal` aborts (resource-watch.ts);
   * resolves then. Watching CRDs or APIServices keeps discovery current.
   */
  async watch(apiVersion: string, kind: string, handlers: WatchHandlers, options: WatchOptions): Promise<void> {
    const res = await this.discovery.resourceFor(apiVersion, kind);
    if (!changesDiscovery(apiVersion, kind)) return watchResource(this.connection, res, handlers, options);
    return watchResource(this.connection, res, {
      ...handlers,
      onSync: (objects, rv, reason) => { this.discovery.invalidate(); return handlers.onSync(objects, rv, reason); },
      onEvent: (type, obj) => { this.discovery.invalidate(); return handlers.onEvent(type, obj); },
    }, options);
  }

  private wrote(ref: ObjectRef, dryRun: boolean | undefined): void {
    if (!dryRun && changesDiscovery(ref.apiVersion, ref.kind)) this.discovery.invalidate();
  }

  private async locate(obj: ObjectRef, options: { allowGenerateName?: boolean } = {}): Promise<Located> {
    const meta = obj.metadata;
    const name = meta.name ?? '';
    const unnamed: KubeTarget = { apiVersion: obj.apiVersion, kind: obj.kind };
    if (name === '' && !(options.allowGenerateName && meta.generateName)) {
      throw new CapstanError('InvalidObject', `${describeTarget(unnamed)} has no metadata.name`);
    }
    const res = await this.discovery.resourceFor(obj.apiVersion, obj.kind);
    const namespace = res.namespaced ? meta.namespace || undefined : undefined;
    if (res.namespaced && namespace === undefined) {
      throw new CapstanError('InvalidObject', `${describeTarget({ ...unnamed, name: name || `${meta.generateName ?? ''}*` })} is namespaced but has no namespace`);
    }
    const shown = name || `${meta.generateName ?? ''}*`;
    return { res, name, ...(namespace ? { namespace } : {}), target: { ...unnamed, name: shown, ...(namespace ? { namespace } : {}) } };
  }
}
