// Every cluster the engine may deploy to: the cluster Secrets of the control
// namespace (label argocd.argoproj.io/secret-type=cluster), watched, parsed
// by the one parser (api/cluster-secret.ts), and the local cluster. A cluster
// costs nothing until an Application targets it: then it gets one KubeClient
// from its Secret and one per-cluster state (the controller's live cache)
// built by `open`, kept while the Secret's connection (server, config,
// namespaces, clusterResources) stays the same, closed when the Secret goes
// away or its connection changes. The local server
// (https://kubernetes.default.svc) always uses the engine's own client and
// state; a Secret for it only renames it or adds labels, as in Argo CD.
// Secrets that do not parse are kept with their error (no value in it), so
// an app targeting one says why. Nothing here logs a Secret's values.
import { clusterSecretSelector, inClusterServer, parseClusterSecret, clusterIdentityOf, type Cluster, type ClusterIdentity } from '../api/cluster-secret.ts';
import type { ApplicationDestination } from '../api/app-project.ts';
import type { KubeObject } from '../api/kube-object.ts';
import { describeError } from '../errors.ts';
import { resolveDestination, type ClusterDirectory, type InvalidClusterSecret } from '../project/resolve-destination.ts';
import type { ConnectionOptions } from './connection.ts';
import { KubeClient } from './kube-client.ts';

export interface ClusterHandle<T> {
  readonly cluster: ClusterIdentity;
  readonly client: KubeClient;
  readonly state: T;
  /** The engine's own cluster (the in-cluster server). */
  readonly local: boolean;
}

export type ClusterLookup<T> = { readonly ok: true; readonly handle: ClusterHandle<T> } | { readonly ok: false; readonly message: string };

export interface ClusterRegistryOptions<T> {
  /** The control plane's client (where the Secrets live). */
  readonly control: KubeClient;
  readonly namespace: string;
  /** The engine's own client and state, used for the in-cluster server. */
  readonly local: { readonly client: KubeClient; readonly state: T };
  /** The per-cluster state, built the first time an app targets the cluster. */
  readonly open: (client: KubeClient, cluster: Cluster) => T;
  readonly close: (state: T) => void;
  readonly connection?: Omit<ConnectionOptions, 'kubeconfigPath' | 'context'>;
  /** argocd-cm cluster.inClusterEnabled (default true). */
  readonly inClusterEnabled?: () => boolean;
  /** After a change of the Secrets: the clusters (before and after) that changed, so apps targeting them are reconciled. */
  readonly onChange?: (changed: readonly ClusterIdentity[]) => void;
  readonly log?: (line: string) => void;
}

interface Entry {
  readonly identity: ClusterIdentity;
  readonly cluster?: Cluster;
  readonly error?: string;
  /** What the connection depends on; in memory only (it holds credentials). */
  readonly connection?: string;
}

interface Opened<T> {
  readonly connection: string;
  readonly client: KubeClient;
  readonly state: T;
}

const connectionOf = (c: Cluster): string => JSON.stringify([c.server, c.config, c.namespaces, c.clusterResources]);

export class ClusterRegistry<T> {
  private readonly secrets = new Map<string, Entry>();
  private readonly opened = new Map<string, Opened<T>>();
  private readonly stop = new AbortController();
  private readonly log: (line: string) => void;

  constructor(private readonly options: ClusterRegistryOptions<T>) {
    this.log = options.log ?? (() => undefined);
  }

  /** Watches the cluster Secrets; resolves once they are listed. */
  async start(): Promise<void> {
    let synced!: () => void;
    const ready = new Promise<void>((resolve) => { synced = resolve; });
    void this.options.control.watch('v1', 'Secret', {
      onSync: (objects) => {
        const before = [...this.secrets.values()];
        this.secrets.clear();
        for (const o of objects) this.secrets.set(o.metadata.name!, this.entryOf(o));
        this.changed([...before, ...this.secrets.values()]);
        synced();
      },
      onEvent: (type, obj) => {
        const name = obj.metadata.name!;
        const before = this.secrets.get(name);
        if (type === 'DELETED') this.secrets.delete(name); else this.secrets.set(name, this.entryOf(obj));
        const after = this.secrets.get(name);
        this.changed([...(before ? [before] : []), ...(after ? [after] : [])]);
      },
      onError: (err) => this.log(`watch cluster Secrets: ${describeError(err)}`),
    }, { namespace: this.options.namespace, labelSelector: clusterSecretSelector, signal: this.stop.signal });
    await ready;
  }

  /** What destination resolution needs: the valid clusters, the broken Secrets, the in-cluster switch. */
  directory(): ClusterDirectory {
    const entries = [...this.secrets.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e);
    return {
      clusters: entries.flatMap((e) => (e.cluster ? [e.cluster] : [])),
      invalid: entries.flatMap((e): InvalidClusterSecret[] => (e.error !== undefined ? [{ identity: e.identity, message: e.error }] : [])),
      inClusterEnabled: this.options.inClusterEnabled?.() ?? true,
    };
  }

  /** The cluster a destination names, its client and state opened on first use; or Argo CD's message why there is none. */
  resolve(destination: ApplicationDestination | undefined): ClusterLookup<T> {
    const resolution = resolveDestination(destination, this.directory());
    if (!resolution.ok) return resolution;
    return { ok: true, handle: this.handleFor(resolution.cluster) };
  }

  /** Every state opened so far, the local one first. */
  states(): T[] {
    return [this.options.local.state, ...[...this.opened.values()].map((o) => o.state)];
  }

  close(): void {
    this.stop.abort();
    for (const server of [...this.opened.keys()]) this.release(server);
  }

  private handleFor(identity: ClusterIdentity): ClusterHandle<T> {
    if (identity.server === inClusterServer) return { cluster: identity, client: this.options.local.client, state: this.options.local.state, local: true };
    const cluster = [...this.secrets.values()].find((e) => e.cluster?.server === identity.server)?.cluster;
    if (cluster === undefined) throw new Error(`no cluster Secret for ${identity.server}`);
    const connection = connectionOf(cluster);
    let opened = this.opened.get(cluster.server);
    if (opened !== undefined && opened.connection !== connection) {
      this.release(cluster.server);
      opened = undefined;
    }
    if (opened === undefined) {
      const client = KubeClient.fromCluster(cluster, this.options.connection ?? {});
      opened = { connection, client, state: this.options.open(client, cluster) };
      this.opened.set(cluster.server, opened);
      this.log(`cluster "${cluster.name}" (${cluster.server}): connection opened`);
    }
    return { cluster, client: opened.client, state: opened.state, local: false };
  }

  private entryOf(secret: KubeObject): Entry {
    try {
      const cluster = parseClusterSecret(secret);
      return { identity: cluster, cluster, connection: connectionOf(cluster) };
    } catch (err) {
      const error = describeError(err);
      this.log(error);
      return { identity: clusterIdentityOf(secret), error };
    }
  }

  /** Closes what a changed or deleted Secret no longer describes, and tells the controller which clusters changed. */
  private changed(entries: readonly Entry[]): void {
    for (const [server, opened] of [...this.opened.entries()]) {
      const current = [...this.secrets.values()].find((e) => e.cluster?.server === server);
      if (current?.connection !== opened.connection) this.release(server);
    }
    if (entries.length > 0) this.options.onChange?.(entries.map((e) => e.identity));
  }

  private release(server: string): void {
    const opened = this.opened.get(server);
    if (opened === undefined) return;
    this.opened.delete(server);
    this.options.close(opened.state);
    opened.client.close();
    this.log(`cluster ${server}: connection closed`);
  }
}

