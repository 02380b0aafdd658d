// The live state of one cluster: a list+watch per resource type that managed
// objects use (plus the child kinds health and the resource tree need), all
// feeding one ObjectIndex. Types are added as apps render new kinds; CRD
// changes invalidate discovery; each watch relists on 410 and reconnects with
// backoff. `onChange` tells the controller which app an event concerns.
// A watch that fails marks the cluster suspect; `unreachable()` then asks the
// server (one cheap request, none while every watch is healthy) so the
// controller can report an unreachable cluster instead of comparing against a
// stale or empty cache.
import { setMaxListeners } from 'node:events';
import type { KubeObject } from '../../api/kube-object.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { CapstanError, describeError } from '../../errors.ts';
import type { KubeClient } from '../kube-client.ts';
import { kubeJson } from '../kube-request.ts';
import { ObjectIndex, groupKindOf } from './object-index.ts';
import type { TrackingOptions } from './tracking.ts';

export interface LiveCacheOptions {
  readonly tracking?: TrackingOptions;
  /** Called after an object of an app (or of one of its children) changed. */
  readonly onChange?: (appName: string, obj: KubeObject) => void;
  /** Called when a watch fails (it retries by itself). */
  readonly onError?: (groupKind: string, err: unknown) => void;
  /** Group/kinds never watched (Argo CD's resource.exclusions). */
  readonly isExcluded?: (apiVersion: string, kind: string) => boolean;
  /** How messages name the cluster (default: its server URL), e.g. `"dev" (https://…)`. */
  readonly label?: string;
}

/** Kinds that are not managed directly but whose health and tree matter. */
export const childKinds: ReadonlyArray<readonly [string, string]> = [
  ['apps/v1', 'ReplicaSet'], ['v1', 'Pod'], ['batch/v1', 'Job'],
  // Destination namespaces (CreateNamespace=true) are followed like the app's own objects.
  ['v1', 'Namespace'],
];

interface Watched {
  readonly synced: Promise<void>;
  readonly failed: () => unknown;
}

export class LiveCache {
  readonly index: ObjectIndex;
  private readonly watched = new Map<string, Watched>();
  private readonly stop = new AbortController();
  /** Group/kinds whose watch failed and has not delivered since. */
  private readonly failing = new Map<string, unknown>();

  constructor(private readonly client: KubeClient, private readonly options: LiveCacheOptions = {}) {
    this.index = new ObjectIndex(options.tracking ?? {});
    // Every watch of this cache listens on one signal.
    setMaxListeners(0, this.stop.signal);
  }

  /** Starts the CRD watch (discovery invalidation) and the child kinds. */
  async start(): Promise<void> {
    await Promise.all([
      this.ensureWatching('apiextensions.k8s.io/v1', 'CustomResourceDefinition', () => this.client.discovery.invalidate()),
      ...childKinds.map(([v, k]) => this.ensureWatching(v, k)),
    ]);
  }

  /**
   * Watches a kind if not yet watched, resolving once its first list is in
   * the index. Rejects when the server does not serve the kind.
   */
  async ensureWatching(apiVersion: string, kind: string, onAnyChange?: () => void, syncTimeoutMs = 30_000): Promise<void> {
    const gk = groupKindOf({ apiVersion, kind, metadata: {} });
    if (this.options.isExcluded?.(apiVersion, kind)) return;
    let w = this.watched.get(gk);
    if (w === undefined) {
      await this.client.discovery.resourceFor(apiVersion, kind);
      let resolveSynced!: () => void;
      const synced = new Promise<void>((resolve) => { resolveSynced = resolve; });
      let lastError: unknown;
      w = { synced, failed: () => lastError };
      this.watched.set(gk, w);
      void this.client.watch(apiVersion, kind, {
        onSync: (objects) => {
          this.failing.delete(gk);
          this.index.replaceGroupKind(gk, objects);
          for (const o of objects) this.notify(o);
          onAnyChange?.();
          resolveSynced();
        },
        onEvent: (type, obj) => {
          this.failing.delete(gk);
          if (type === 'DELETED') this.index.remove(obj); else this.index.upsert(obj);
          this.notify(obj);
          onAnyChange?.();
        },
        onBookmark: () => { this.failing.delete(gk); },
        onError: (err) => { lastError = err; this.failing.set(gk, err); this.options.onError?.(gk, err); },
      }, { signal: this.stop.signal }).catch((err: unknown) => { lastError = err; this.failing.set(gk, err); });
    }
    if (await Promise.race([w.synced.then(() => true), sleep(syncTimeoutMs, false, { signal: this.stop.signal, ref: false }).catch(() => false)])) return;
    throw new CapstanError('CacheSyncTimeout', `the list of ${gk} did not complete within ${syncTimeoutMs / 1000} s${w.failed() ? `: ${describeError(w.failed())}` : ''}`, { retry: 'transient' });
  }

  /**
   * Why the cluster cannot be trusted now, or undefined. Only when a watch
   * has failed does it ask the server (GET /version); a success clears the
   * suspicion, since the watches resume by themselves.
   */
  async unreachable(timeoutMs = 5000): Promise<string | undefined> {
    if (this.failing.size === 0) return undefined;
    try {
      await kubeJson(this.client.connection, { method: 'GET', path: '/version', verb: 'get version', timeoutMs });
      this.failing.clear();
      return undefined;
    } catch (err) {
      return `cluster ${this.options.label ?? this.client.connection.server} is unreachable: ${describeError(err)}`;
    }
  }

  /** Changes the tracking method or instance label key (argocd-cm) and re-attributes every object. */
  setTracking(tracking: TrackingOptions): void {
    this.index.setTracking(tracking);
  }

  isWatching(apiVersion: string, kind: string): boolean {
    return this.watched.has(groupKindOf({ apiVersion, kind, metadata: {} }));
  }

  managedBy(appName: string): KubeObject[] {
    return this.index.managedBy(appName);
  }

  close(): void {
    this.stop.abort();
  }

  private notify(obj: KubeObject): void {
    if (this.options.onChange === undefined) return;
    const app = this.index.appOwning(obj);
    if (app !== undefined) this.options.onChange(app, obj);
  }
}
