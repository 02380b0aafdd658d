// The Application controller: watches Applications and AppProjects in the
// control namespace and the live objects of their destinations, and
// reconciles each app through a keyed work queue — on a spec, operation or
// refresh change, on a change of its project, on a change to one of its live
// objects (debounced), and every reconciliation period with jitter (Argo CD's
// timeout.reconciliation, 120 s + up to 60 s). Each period is one refresh
// generation: a repository is fetched at most once per period however many
// apps use it; a refresh annotation starts a new generation at once (`hard`
// also renders again instead of reusing cached manifests) and is removed when
// the reconcile is done. The argocd-cm ConfigMap is watched too: its settings
// (tracking, exclusions, customizations, the reconciliation period) apply
// from the next reconcile, and a change refreshes every app. Destinations are
// the clusters of the registry (kube/cluster-registry.ts): each app is
// reconciled against its destination's client and live cache (the engine's
// own for the in-cluster destination), a destination that names no cluster is
// an InvalidSpecError, and a change of a cluster Secret reconciles the apps
// that target it. An unreachable destination is retried soon; it never holds
// up the apps of other clusters.
import { applicationRefreshAnnotation, type Application } from '../api/application.ts';
import { deletionApprovedAnnotation } from '../api/sync-annotations.ts';
import type { AppProject } from '../api/app-project.ts';
import { setMaxListeners } from 'node:events';
import { groupOf, type KubeObject } from '../api/kube-object.ts';
import { describeError } from '../errors.ts';
import { canonicalJson, ServerSideDiffer } from '../diff/server-side-diff.ts';
import { LiveCache } from '../kube/cache/live-cache.ts';
import type { KubeClient } from '../kube/kube-client.ts';
import type { RenderServices } from '../render/render-application.ts';
import { defaultSettings, type EngineSettings } from '../settings/argocd-cm.ts';
import { isExcludedResource } from '../settings/resource-filter.ts';
import { inClusterServer, type ClusterIdentity } from '../api/cluster-secret.ts';
import { ClusterRegistry, type ClusterHandle } from '../kube/cluster-registry.ts';
import type { ConnectionOptions } from '../kube/connection.ts';
import type { DestinationResolution } from './app-destination.ts';
import { projectClustersOf, withProjectClusters } from '../project/resolve-destination.ts';
import { finalizeApplication, releaseApplication } from './app-deletion.ts';
import { assertReachable } from './desired-guards.ts';
import { dryRunApplyWith } from './kube-sync-ports.ts';
import { resolveDestination } from '../project/resolve-destination.ts';
import type { CompatRuntime } from './resource-checks.ts';
import { watchSettings } from './settings-watch.ts';
import { reconcileApp } from './reconcile-app.ts';
import { WorkQueue } from './work-queue.ts';

export interface AppControllerOptions {
  readonly client: KubeClient;
  readonly namespace: string;
  readonly render: Omit<RenderServices, 'generation'>;
  /** Overrides argocd-cm's timeout.reconciliation (default 120 s). */
  readonly reconcileIntervalMs?: number;
  /** Overrides argocd-cm's timeout.reconciliation.jitter (default 60 s). */
  readonly jitterMs?: number;
  /** gojq and gopher-lua for jqPathExpressions and Lua health (from the compatibility module). */
  readonly compat?: CompatRuntime;
  /** Pause between sync waves (Argo CD: 2 s). */
  readonly waveDelayMs?: number;
  /** Live object changes are gathered this long before the app is reconciled (default 250 ms). */
  readonly liveDebounceMs?: number;
  readonly log?: (line: string) => void;
  readonly now?: () => Date;
  readonly workers?: number;
  /** An app whose destination did not answer is reconciled again after this long (default 10 s). */
  readonly unreachableRetryMs?: number;
  /** Time limits of the connections to clusters declared by Secrets. */
  readonly clusterConnection?: Omit<ConnectionOptions, 'kubeconfigPath' | 'context'>;
}

/** What the controller keeps per destination cluster. */
interface ClusterState {
  readonly live: LiveCache;
  /** Server-side diff (predictions keyed by the field manager and validation the sync will apply with). */
  readonly differ: ServerSideDiffer;
  /** Starts the cache (CRD and child-kind watches) once; again after a failure. */
  ready(): Promise<void>;
}

const refreshGatherMs = 100;

/** What, in an Application, calls for a reconcile (our own status writes do not). */
function trigger(app: Application): string {
  return canonicalJson({ spec: app.spec, operation: app.operation ?? null, refresh: app.metadata.annotations?.[applicationRefreshAnnotation] ?? null,
    approved: app.metadata.annotations?.[deletionApprovedAnnotation] ?? null,
    deleting: app.metadata.deletionTimestamp ?? null, finalizers: app.metadata.finalizers ?? [],
    phase: app.status?.operationState?.phase ?? null });
}

export class AppController {
  private readonly apps = new Map<string, Application>();
  private readonly projects = new Map<string, AppProject>();
  private readonly triggers = new Map<string, string>();
  private readonly queue: WorkQueue;
  private readonly live: LiveCache;
  private readonly local: ClusterState;
  private readonly clusters: ClusterRegistry<ClusterState>;
  /** When a failing watch of each cluster last requeued its apps. */
  private readonly failingNoticed = new Map<string, number>();
  private readonly stop = new AbortController();
  private generationTimer: ReturnType<typeof setInterval> | undefined;
  private generation = 0;
  private generationStartedAt = 0;
  /** When the controller first saw each app's refresh annotation. */
  private readonly refreshSeenAt = new Map<string, number>();
  private readonly log: (line: string) => void;
  private settings: EngineSettings = defaultSettings();

  constructor(private readonly options: AppControllerOptions) {
    this.log = options.log ?? (() => undefined);
    // Every watch of this cache listens on one signal.
    setMaxListeners(0, this.stop.signal);
    this.queue = new WorkQueue((name) => this.reconcile(name), { workers: options.workers ?? 4 });
    this.local = this.clusterState(options.client, inClusterServer);
    this.live = this.local.live;
    this.clusters = new ClusterRegistry<ClusterState>({
      control: options.client, namespace: options.namespace, local: { client: options.client, state: this.local },
      open: (client, cluster) => this.clusterState(client, cluster.server, `"${cluster.name}" (${cluster.server})`),
      close: (state) => state.live.close(),
      inClusterEnabled: () => this.settings.inClusterEnabled,
      onChange: (changed) => this.clustersChanged(changed),
      log: this.log, ...(options.clusterConnection ? { connection: options.clusterConnection } : {}),
    });
  }

  private clusterState(client: KubeClient, server: string, label?: string): ClusterState {
    const debounce = this.options.liveDebounceMs ?? 250;
    const live = new LiveCache(client, {
      tracking: { method: this.settings.trackingMethod, instanceLabelKey: this.settings.instanceLabelKey },
      onChange: (app) => { if (this.apps.has(app)) this.queue.addAfter(app, debounce); },
      isExcluded: (apiVersion, kind) => isExcludedResource(this.settings, groupOf(apiVersion), kind, server),
      // A failing watch may mean the cluster went away: its apps find out now, not at the next period.
      onError: () => this.clusterFailing(server),
      ...(label ? { label } : {}),
    });
    let started: Promise<void> | undefined;
    return {
      live, differ: new ServerSideDiffer(dryRunApplyWith(client)),
      ready: () => {
        started ??= live.start().catch((err: unknown) => { started = undefined; throw err; });
        return started;
      },
    };
  }

  /** The settings in force (argocd-cm as last read). */
  get currentSettings(): EngineSettings {
    return this.settings;
  }

  async start(): Promise<void> {
    const first = await watchSettings({ client: this.options.client, namespace: this.options.namespace, signal: this.stop.signal,
      log: this.log, onChange: ({ settings }) => this.applySettings(settings) });
    this.settings = first.settings;
    this.live.setTracking({ method: this.settings.trackingMethod, instanceLabelKey: this.settings.instanceLabelKey });
    await this.local.ready();
    await this.clusters.start();
    this.newGeneration();
    this.startGenerationTimer();
    await this.watchProjects();
    let synced!: () => void;
    const ready = new Promise<void>((resolve) => { synced = resolve; });
    void this.options.client.watch('argoproj.io/v1alpha1', 'Application', {
      onSync: (objects) => {
        const names = new Set(objects.map((o) => o.metadata.name!));
        for (const name of this.apps.keys()) if (!names.has(name)) this.forget(name);
        for (const o of objects) this.observe(o);
        synced();
      },
      onEvent: (type, obj) => (type === 'DELETED' ? this.forget(obj.metadata.name!) : this.observe(obj)),
      onError: (err) => this.log(`watch Applications: ${describeError(err)}`),
    }, { namespace: this.options.namespace, signal: this.stop.signal });
    await ready;
  }

  close(): void {
    this.stop.abort();
    this.queue.stop();
    this.clusters.close();
    this.live.close();
    if (this.generationTimer) clearInterval(this.generationTimer);
  }

  /** Resolves when no reconcile is queued or running. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  private interval(): number {
    return this.options.reconcileIntervalMs ?? this.settings.reconciliationMs;
  }

  private startGenerationTimer(): void {
    if (this.generationTimer) clearInterval(this.generationTimer);
    this.generationTimer = undefined;
    const interval = this.interval();
    if (interval <= 0) return;
    this.generationTimer = setInterval(() => this.newGeneration(), interval);
    this.generationTimer.unref();
  }

  /** A changed argocd-cm: new tracking, filters and period, and every app re-evaluated. */
  private applySettings(next: EngineSettings): void {
    const previous = this.settings;
    this.settings = next;
    const states = this.clusters.states();
    if (previous.trackingMethod !== next.trackingMethod || previous.instanceLabelKey !== next.instanceLabelKey) {
      for (const state of states) state.live.setTracking({ method: next.trackingMethod, instanceLabelKey: next.instanceLabelKey });
    }
    if (previous.reconciliationMs !== next.reconciliationMs && this.generationTimer !== undefined) this.startGenerationTimer();
    for (const state of states) state.differ.clear();
    for (const name of this.apps.keys()) this.queue.add(name);
  }

  /** A new refresh generation: the next render of each repository fetches it again. */
  private newGeneration(): void {
    this.generation = this.options.render.repositories.nextGeneration();
    this.generationStartedAt = Date.now();
  }

  /** Projects are kept by name; a change re-evaluates the apps of that project. */
  private async watchProjects(): Promise<void> {
    let synced!: () => void;
    const ready = new Promise<void>((resolve) => { synced = resolve; });
    const changed = (name: string): void => {
      for (const [appName, app] of this.apps) if (app.spec.project === name) this.queue.add(appName);
    };
    void this.options.client.watch('argoproj.io/v1alpha1', 'AppProject', {
      onSync: (objects) => {
        // A relist after a broken watch may carry changes no event announced: re-evaluate those projects' apps.
        const before = new Map([...this.projects].map(([n, p]) => [n, p.metadata.resourceVersion]));
        this.projects.clear();
        for (const o of objects) this.projects.set(o.metadata.name!, o as unknown as AppProject);
        for (const n of new Set([...before.keys(), ...this.projects.keys()])) {
          if (before.get(n) !== this.projects.get(n)?.metadata.resourceVersion) changed(n);
        }
        synced();
      },
      onEvent: (type, obj) => {
        const name = obj.metadata.name!;
        if (type === 'DELETED') this.projects.delete(name); else this.projects.set(name, obj as unknown as AppProject);
        changed(name);
      },
      onError: (err) => this.log(`watch AppProjects: ${describeError(err)}`),
    }, { namespace: this.options.namespace, signal: this.stop.signal });
    await ready;
  }

  private observe(obj: KubeObject): void {
    const app = obj as unknown as Application;
    const name = app.metadata.name!;
    const known = this.apps.get(name);
    // Keep the newest copy: our own writes are stored before their watch events arrive.
    if (known !== undefined && Number(known.metadata.resourceVersion) > Number(app.metadata.resourceVersion)) return;
    this.apps.set(name, app);
    const newRefresh = app.metadata.annotations?.[applicationRefreshAnnotation] !== undefined && !this.refreshSeenAt.has(name);
    if (newRefresh) this.refreshSeenAt.set(name, Date.now());
    const t = trigger(app);
    if (this.triggers.get(name) !== t) {
      this.triggers.set(name, t);
      // Refreshes asked for together (say, of every app of a repository) wait a moment so they share one fetch.
      if (newRefresh) this.queue.addAfter(name, refreshGatherMs); else this.queue.add(name);
    }
  }

  /** Reconciles the apps of a cluster whose watches fail, at most every few seconds per cluster. */
  private clusterFailing(server: string): void {
    const now = Date.now();
    if (now - (this.failingNoticed.get(server) ?? 0) < 5_000) return;
    this.failingNoticed.set(server, now);
    const directory = this.clusters.directory();
    for (const [name, app] of this.apps) {
      const r = resolveDestination(app.spec.destination, directory);
      if (r.ok && r.cluster.server === server) this.queue.addAfter(name, 1_000);
    }
  }

  /** Cluster Secrets changed: reconcile the apps whose destination names one of these clusters (by server or name). */
  private clustersChanged(changed: readonly ClusterIdentity[]): void {
    const servers = new Set(changed.map((c) => c.server));
    const names = new Set(changed.map((c) => c.name));
    for (const [name, app] of this.apps) {
      const d = app.spec.destination ?? {};
      if ((d.server && servers.has(d.server.replace(/\/+$/, ''))) || (d.name && names.has(d.name))) this.queue.add(name);
    }
  }

  /** The app's destination: its cluster's client and state, and what the spec checks need. */
  private destinationOf(app: Application): { handle?: ClusterHandle<ClusterState>; destination: DestinationResolution } {
    const lookup = this.clusters.resolve(app.spec.destination);
    if (!lookup.ok) return { destination: { error: lookup.message } };
    const { cluster } = lookup.handle;
    return { handle: lookup.handle, destination: { resolved: { server: cluster.server, name: cluster.name }, cluster } };
  }

  /**
   * The client, live cache and differ of an app's destination, started, for
   * readers that share the controller's caches (the in-process API server);
   * undefined when the destination names no cluster.
   */
  async destinationStateOf(app: Application): Promise<{ client: KubeClient; live: LiveCache; differ: ServerSideDiffer } | undefined> {
    const { handle } = this.destinationOf(app);
    if (handle === undefined) return undefined;
    await handle.state.ready();
    return { client: handle.client, live: handle.state.live, differ: handle.state.differ };
  }

  private forget(name: string): void {
    this.apps.delete(name);
    this.triggers.delete(name);
    this.refreshSeenAt.delete(name);
  }

  private async reconcile(name: string): Promise<void> {
    const app = this.apps.get(name);
    if (app === undefined) return;
    const interval = this.interval();
    const jitter = Math.random() * (this.options.jitterMs ?? this.settings.reconciliationJitterMs);
    try {
      const { handle, destination } = this.destinationOf(app);
      const clusters = this.clusters.directory().clusters;
      if (app.metadata.deletionTimestamp) {
        if (handle === undefined) {
          // Argo CD: resources on a cluster that is no longer defined cannot be deleted; the app goes without them.
          if (await releaseApplication(app, this.options.client)) this.log(`${name}: destination names no cluster, finalizer removed, nothing deleted`);
          return;
        }
        // Never conclude "nothing left to delete" from a cache that cannot reach its cluster.
        await handle.state.ready();
        await assertReachable(handle.state.live);
        const step = await finalizeApplication(app, handle.client, handle.state.live, this.options.client);
        // Waiting for a confirmation: the annotation that gives it brings the app back.
        if (step.awaitingConfirmation !== undefined) this.log(`app ${name}: deletion waits for confirmation of ${step.awaitingConfirmation.join(', ')}`);
        else if (step.remaining > 0) this.queue.addAfter(name, 1000);
        return;
      }
      const target = handle ?? { client: this.options.client, state: this.local };
      // Reachability is judged by the reconcile itself (an unreachable destination is reported, not thrown).
      if (handle !== undefined) await handle.state.ready().catch(() => undefined);
      const refresh = app.metadata.annotations?.[applicationRefreshAnnotation];
      // A refresh needs a fetch that starts after it was asked for: refreshes of many apps at once share one.
      if (refresh !== undefined && (this.refreshSeenAt.get(name) ?? Date.now()) >= this.generationStartedAt) this.newGeneration();
      const result = await reconcileApp(app, {
        client: target.client, appClient: this.options.client, live: target.state.live, destination,
        projectClusters: projectClustersOf(app.spec.project, clusters),
        differ: target.state.differ,
        controllerNamespace: this.options.namespace,
        render: { ...this.options.render, generation: this.generation, ...(refresh === 'hard' ? { hardRefresh: true } : {}),
          tracking: { method: this.settings.trackingMethod, instanceLabelKey: this.settings.instanceLabelKey },
          ...(this.settings.kustomizeBuildOptions.length > 0 ? { kustomizeBuildOptions: this.settings.kustomizeBuildOptions } : {}) },
        waveDelayMs: this.options.waveDelayMs ?? 2000, now: this.options.now ?? (() => new Date()), settings: this.settings,
        ...(this.options.compat ? { compat: this.options.compat } : {}),
        // As Argo CD's GetAppProjectByName: clusters scoped to the project are its destinations too.
        projectOf: (project) => { const p = this.projects.get(project); return p && withProjectClusters(p, clusters); }, log: this.log,
      });
      // Later reconciles start from what was written, not from a watch event that may lag behind (and
      // that is then ignored). What the answer shows changed since this reconcile read the app — ours
      // or someone else's write meanwhile, say a requested operation — is reconciled again; the removed
      // refresh annotation is not.
      let updated = result.updated;
      if (refresh !== undefined) {
        updated = await this.options.client.patch(result.updated as unknown as KubeObject,
          { metadata: { annotations: { [applicationRefreshAnnotation]: null } } }, 'merge') as unknown as Application;
      }
      this.apps.set(name, updated);
      const { [applicationRefreshAnnotation]: _r, ...annotations } = app.metadata.annotations ?? {};
      const before = trigger({ ...app, metadata: { ...app.metadata, annotations } });
      this.triggers.set(name, trigger(updated));
      if (trigger(updated) !== before) this.queue.add(name);
      if (refresh !== undefined) this.refreshSeenAt.delete(name);
      // timeout.reconciliation 0 turns periodic refresh off: only changes reconcile.
      if (result.requeueAfterMs !== undefined) this.queue.addAfter(name, result.requeueAfterMs);
      else if (result.unreachable) this.queue.addAfter(name, this.options.unreachableRetryMs ?? 10_000);
      else if (interval > 0) this.queue.addAfter(name, interval + jitter);
    } catch (err) {
      this.log(`reconcile ${name}: ${describeError(err)}`);
      throw err;
    }
  }
}
