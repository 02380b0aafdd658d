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
// from the next reconcile, and a change refreshes every app.
import type { Application } from '../api/application.ts';
import type { AppProject } from '../api/app-project.ts';
import { setMaxListeners } from 'node:events';
import { groupOf, type KubeObject } from '../api/kube-object.ts';
import { describeError } from '../errors.ts';
import { canonicalJson, ServerSideDiffer } from '../diff/server-side-diff.ts';
import { LiveCache } from '../kube/cache/live-cache.ts';
import type { KubeClient } from '../kube/kube-client.ts';
import type { RenderServices } from '../render/render-application.ts';
import { hasAppOption } from '../sync/plan/sync-options.ts';
import { argoSsaFieldManager, capstanFieldManager } from '../sync/plan/task-actions.ts';
import { defaultSettings, type EngineSettings } from '../settings/argocd-cm.ts';
import { isExcludedResource } from '../settings/resource-filter.ts';
import { finalizeApplication } from './app-deletion.ts';
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
}

const refreshAnnotation = 'argocd.argoproj.io/refresh';
const refreshGatherMs = 100;

/** What, in an Application, calls for a reconcile (our own status writes do not). */
function trigger(app: Application): string {
  return canonicalJson({ spec: app.spec, operation: app.operation ?? null, refresh: app.metadata.annotations?.[refreshAnnotation] ?? null,
    deleting: app.metadata.deletionTimestamp ?? null, finalizers: app.metadata.finalizers ?? [],
    phase: app.status?.operationState?.phase ?? null });
}

export class AppController {
  private readonly apps = new Map<string, Application>();
  private readonly projects = new Map<string, AppProject>();
  private readonly triggers = new Map<string, string>();
  private readonly queue: WorkQueue;
  private readonly live: LiveCache;
  private readonly differs: Record<string, ServerSideDiffer>;
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
    const debounce = options.liveDebounceMs ?? 250;
    this.live = new LiveCache(options.client, {
      onChange: (app) => { if (this.apps.has(app)) this.queue.addAfter(app, debounce); },
      isExcluded: (apiVersion, kind) => isExcludedResource(this.settings, groupOf(apiVersion), kind, 'https://kubernetes.default.svc'),
    });
    // Server-side diff applies as the manager the sync will apply with.
    const differFor = (fieldManager: string): ServerSideDiffer =>
      new ServerSideDiffer((desired) => options.client.apply(desired, { fieldManager, force: true, dryRun: true }));
    this.differs = { [capstanFieldManager]: differFor(capstanFieldManager), [argoSsaFieldManager]: differFor(argoSsaFieldManager) };
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
    await this.live.start();
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
    if (previous.trackingMethod !== next.trackingMethod || previous.instanceLabelKey !== next.instanceLabelKey) {
      this.live.setTracking({ method: next.trackingMethod, instanceLabelKey: next.instanceLabelKey });
    }
    if (previous.reconciliationMs !== next.reconciliationMs && this.generationTimer !== undefined) this.startGenerationTimer();
    for (const differ of Object.values(this.differs)) differ.clear();
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
    const newRefresh = app.metadata.annotations?.[refreshAnnotation] !== undefined && !this.refreshSeenAt.has(name);
    if (newRefresh) this.refreshSeenAt.set(name, Date.now());
    const t = trigger(app);
    if (this.triggers.get(name) !== t) {
      this.triggers.set(name, t);
      // Refreshes asked for together (say, of every app of a repository) wait a moment so they share one fetch.
      if (newRefresh) this.queue.addAfter(name, refreshGatherMs); else this.queue.add(name);
    }
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
      if (app.metadata.deletionTimestamp) {
        const step = await finalizeApplication(app, this.options.client, this.live);
        if (step.remaining > 0) this.queue.addAfter(name, 1000);
        return;
      }
      const refresh = app.metadata.annotations?.[refreshAnnotation];
      // A refresh needs a fetch that starts after it was asked for: refreshes of many apps at once share one.
      if (refresh !== undefined && (this.refreshSeenAt.get(name) ?? Date.now()) >= this.generationStartedAt) this.newGeneration();
      const ssa = hasAppOption(app.spec.syncPolicy?.syncOptions, 'ServerSideApply=true');
      const result = await reconcileApp(app, {
        client: this.options.client, live: this.live, differ: this.differs[ssa ? argoSsaFieldManager : capstanFieldManager]!,
        controllerNamespace: this.options.namespace,
        render: { ...this.options.render, generation: this.generation, ...(refresh === 'hard' ? { hardRefresh: true } : {}),
          tracking: { method: this.settings.trackingMethod, instanceLabelKey: this.settings.instanceLabelKey },
          ...(this.settings.kustomizeBuildOptions.length > 0 ? { kustomizeBuildOptions: this.settings.kustomizeBuildOptions } : {}) },
        waveDelayMs: this.options.waveDelayMs ?? 2000, now: this.options.now ?? (() => new Date()), settings: this.settings,
        ...(this.options.compat ? { compat: this.options.compat } : {}),
        projectOf: (project) => this.projects.get(project), log: this.log,
      });
      // Later reconciles start from what was written, not from a watch event that may lag behind (and
      // that is then ignored). What the answer shows changed since this reconcile read the app — ours
      // or someone else's write meanwhile, say a requested operation — is reconciled again; the removed
      // refresh annotation is not.
      let updated = result.updated;
      if (refresh !== undefined) {
        updated = await this.options.client.patch(result.updated as unknown as KubeObject,
          { metadata: { annotations: { [refreshAnnotation]: null } } }, 'merge') as unknown as Application;
      }
      this.apps.set(name, updated);
      const { [refreshAnnotation]: _r, ...annotations } = app.metadata.annotations ?? {};
      const before = trigger({ ...app, metadata: { ...app.metadata, annotations } });
      this.triggers.set(name, trigger(updated));
      if (trigger(updated) !== before) this.queue.add(name);
      if (refresh !== undefined) this.refreshSeenAt.delete(name);
      // timeout.reconciliation 0 turns periodic refresh off: only changes reconcile.
      if (result.requeueAfterMs !== undefined) this.queue.addAfter(name, result.requeueAfterMs);
      else if (interval > 0) this.queue.addAfter(name, interval + jitter);
    } catch (err) {
      this.log(`reconcile ${name}: ${describeError(err)}`);
      throw err;
    }
  }
}
