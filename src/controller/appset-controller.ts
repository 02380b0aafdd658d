// The ApplicationSet controller: watches ApplicationSets, the Applications
// they own, the cluster Secrets and the AppProjects of the control namespace,
// and reconciles each ApplicationSet through a keyed work queue — on a spec,
// refresh or deletion change; when an owned Application's spec, labels,
// annotations or finalizers change or it is deleted (its status too, under
// RollingSync); when a cluster Secret or an AppProject changes; when a fetch
// of a repository it reads moves the commit it resolved (fetches are shared
// with the Application controller through the RepositoryStore); and every
// `requeueAfterSeconds` of its git generators.
import { setMaxListeners } from 'node:events';
import type { Application } from '../api/application.ts';
import type { ApplicationSet, ApplicationsSyncPolicy } from '../api/application-set.ts';
import type { KubeObject } from '../api/kube-object.ts';
import type { ClusterSecretInfo } from '../appset/generators/generator-context.ts';
import { inClusterName, inClusterServer } from '../appset/generators/cluster-generator.ts';
import type { Schema } from '../appset/generators/schema-check.ts';
import { controllingAppSet } from '../appset/owned-applications.ts';
import type { EvalJq } from '../diff/jq.ts';
import { canonicalJson } from '../diff/server-side-diff.ts';
import { describeError } from '../errors.ts';
import type { KubeClient } from '../kube/kube-client.ts';
import type { RepositoryStore } from '../source/repository-store.ts';
import { rollingSyncEnabled } from '../status/appset-rollout.ts';
import type { RenderTemplates } from '../template/template-types.ts';
import { clusterOfSecret, clusterSecretSelector, repositorySources } from './appset-sources.ts';
import { reconcileAppSet, type AppSetDeps } from './reconcile-appset.ts';
import { WorkQueue } from './work-queue.ts';

export interface AppSetControllerOptions {
  readonly client: KubeClient;
  readonly namespace: string;
  readonly repositories: RepositoryStore;
  readonly render: RenderTemplates;
  readonly evalJq?: EvalJq;
  /** The Application spec schema generated Applications must fit (the CRD's). */
  readonly specSchema?: Schema;
  /** RollingSync strategies run (Argo CD needs --enable-progressive-syncs). @default true */
  readonly progressiveSyncs?: boolean;
  readonly policyOverride?: ApplicationsSyncPolicy;
  /** @default 180 (Argo CD's ARGOCD_APPLICATIONSET_CONTROLLER_REQUEUE_AFTER) */
  readonly defaultGitRequeueSeconds?: number;
  readonly workers?: number;
  readonly log?: (line: string) => void;
  readonly now?: () => Date;
}

const refreshAnnotation = 'argocd.argoproj.io/application-set-refresh';

function appSetTrigger(s: ApplicationSet): string {
  return canonicalJson({ spec: s.spec, refresh: s.metadata.annotations?.[refreshAnnotation] ?? null, deleting: s.metadata.deletionTimestamp ?? null,
    finalizers: s.metadata.finalizers ?? [], uid: s.metadata.uid ?? null });
}

/** What of an Application's state RollingSync follows. */
function statusTrigger(a: Application): string {
  return canonicalJson({ health: a.status?.health?.status ?? null, sync: a.status?.sync?.status ?? null, phase: a.status?.operationState?.phase ?? null,
    started: a.status?.operationState?.startedAt ?? null, operation: a.operation ?? null });
}

/** What of an owned Application the ApplicationSet controls (shouldRequeueApplicationSet). */
function appTrigger(a: Application, withStatus: boolean): string {
  return canonicalJson({ spec: a.spec, labels: a.metadata.labels ?? {}, annotations: a.metadata.annotations ?? {}, finalizers: a.metadata.finalizers ?? [],
    owner: controllingAppSet(a) ?? null, deleting: a.metadata.deletionTimestamp ?? null, ...(withStatus ? { status: statusTrigger(a) } : {}) });
}

const newer = (known: KubeObject | undefined, obj: KubeObject): boolean =>
  known === undefined || Number(obj.metadata.resourceVersion) >= Number(known.metadata.resourceVersion);

export class AppSetController {
  private readonly appSets = new Map<string, ApplicationSet>();
  private readonly triggers = new Map<string, string>();
  private readonly apps = new Map<string, Application>();
  private readonly clusters = new Map<string, ClusterSecretInfo>();
  private readonly projects = new Set<string>();
  private projectsSynced = false;
  /** Per ApplicationSet, the commit each (repository, revision) it read resolved to. */
  private readonly reads = new Map<string, Map<string, string>>();
  private readonly queue: WorkQueue;
  private readonly stop = new AbortController();
  private unsubscribe: (() => void) | undefined;
  private readonly log: (line: string) => void;
  /** Reconciles wait until every watch has listed once (or they would miss what exists). */
  private readonly ready: Promise<void>;
  private markReady!: () => void;
  /** Last error per ApplicationSet (nothing applied), for tests and the CLI. */
  readonly lastErrors = new Map<string, string>();

  constructor(private readonly options: AppSetControllerOptions) {
    this.log = options.log ?? (() => undefined);
    setMaxListeners(0, this.stop.signal);
    this.queue = new WorkQueue((name) => this.reconcile(name), { workers: options.workers ?? 2 });
    this.ready = new Promise((resolve) => { this.markReady = resolve; });
  }

  async start(): Promise<void> {
    const ns = this.options.namespace;
    const signal = this.stop.signal;
    const synced: Array<Promise<void>> = [];
    const watch = (apiVersion: string, kind: string, onSync: (objects: KubeObject[]) => void, onEvent: (type: string, obj: KubeObject) => void,
      labelSelector?: string): void => {
      let done!: () => void;
      synced.push(new Promise<void>((resolve) => { done = resolve; }));
      void this.options.client.watch(apiVersion, kind, {
        onSync: (objects) => { onSync(objects); done(); },
        onEvent,
        onError: (err) => this.log(`watch ${kind}: ${describeError(err)}`),
      }, { namespace: ns, signal, ...(labelSelector ? { labelSelector } : {}) });
    };
    watch('v1', 'Secret', (objects) => {
      this.clusters.clear();
      for (const o of objects) this.clusters.set(o.metadata.name!, clusterOfSecret(o));
      this.requeueAll();
    }, (type, o) => {
      if (type === 'DELETED') this.clusters.delete(o.metadata.name!);
      else this.clusters.set(o.metadata.name!, clusterOfSecret(o));
      this.requeueAll();
    }, clusterSecretSelector);
    watch('argoproj.io/v1alpha1', 'AppProject', (objects) => {
      this.projects.clear();
      for (const o of objects) this.projects.add(o.metadata.name!);
      this.projectsSynced = true;
      this.requeueAll();
    }, (type, o) => {
      const had = this.projects.has(o.metadata.name!);
      if (type === 'DELETED') this.projects.delete(o.metadata.name!);
      else this.projects.add(o.metadata.name!);
      if (had !== this.projects.has(o.metadata.name!)) this.requeueAll();
    });
    watch('argoproj.io/v1alpha1', 'Application', (objects) => {
      this.apps.clear();
      for (const o of objects) this.apps.set(o.metadata.name!, o as unknown as Application);
    }, (type, o) => this.observeApp(type, o as unknown as Application));
    watch('argoproj.io/v1alpha1', 'ApplicationSet', (objects) => {
      const names = new Set(objects.map((o) => o.metadata.name!));
      for (const name of this.appSets.keys()) if (!names.has(name)) this.forget(name);
      for (const o of objects) this.observeAppSet(o as unknown as ApplicationSet);
    }, (type, o) => (type === 'DELETED' ? this.forget(o.metadata.name!) : this.observeAppSet(o as unknown as ApplicationSet)));
    this.unsubscribe = this.options.repositories.onFetched((url) => { void this.onRepositoryFetched(url); });
    await Promise.all(synced);
    this.markReady();
  }

  close(): void {
    this.stop.abort();
    this.queue.stop();
    this.unsubscribe?.();
  }

  /** Resolves when no reconcile is queued or running. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  private requeueAll(): void {
    for (const name of this.appSets.keys()) this.queue.addAfter(name, 250);
  }

  private observeAppSet(s: ApplicationSet): void {
    const name = s.metadata.name!;
    if (!newer(this.appSets.get(name) as unknown as KubeObject | undefined, s as unknown as KubeObject)) return;
    this.appSets.set(name, s);
    const t = appSetTrigger(s);
    if (this.triggers.get(name) !== t) {
      this.triggers.set(name, t);
      this.queue.add(name);
    }
  }

  private forget(name: string): void {
    this.appSets.delete(name);
    this.triggers.delete(name);
    this.reads.delete(name);
    this.lastErrors.delete(name);
  }

  private observeApp(type: string, app: Application): void {
    const name = app.metadata.name!;
    const before = this.apps.get(name);
    if (type === 'DELETED') this.apps.delete(name);
    else if (newer(before as unknown as KubeObject | undefined, app as unknown as KubeObject)) this.apps.set(name, app);
    else return;
    const owner = controllingAppSet(app) ?? (before ? controllingAppSet(before) : undefined);
    if (owner === undefined) return;
    const set = this.appSets.get(owner);
    if (set === undefined) return;
    const withStatus = rollingSyncEnabled(set) && this.options.progressiveSyncs !== false;
    // Our own creates come back as ADDED: nothing to do for them.
    if (type === 'ADDED' && before === undefined) return;
    if (type === 'DELETED' || before === undefined || appTrigger(before, withStatus) !== appTrigger(app, withStatus)) this.queue.addAfter(owner, 100);
  }

  private async onRepositoryFetched(url: string): Promise<void> {
    for (const [name, reads] of this.reads) {
      for (const [key, commit] of reads) {
        const [repo, revision] = key.split('\0') as [string, string];
        if (repo !== url) continue;
        // Never resolve() here: a revision the mirror lacks would fetch again, and this runs after every fetch.
        const now = (await this.options.repositories.get(url).peek(revision || 'HEAD'))?.commit;
        if (now !== commit) { this.queue.addAfter(name, 500); break; }
      }
    }
  }

  /**
   * Keeps what a write returned. The answer may carry a status the watch has
   * not delivered yet; its event will then look unchanged, so under RollingSync
   * a status that moved is acted on here.
   */
  private storeWritten(app: Application): void {
    const name = app.metadata.name!;
    const before = this.apps.get(name);
    if (!newer(before as unknown as KubeObject | undefined, app as unknown as KubeObject)) return;
    this.apps.set(name, app);
    const owner = controllingAppSet(app);
    const set = owner === undefined ? undefined : this.appSets.get(owner);
    if (set !== undefined && before !== undefined && rollingSyncEnabled(set) && this.options.progressiveSyncs !== false
      && statusTrigger(before) !== statusTrigger({ ...app, operation: before.operation } as Application)) this.queue.addAfter(owner!, 100);
  }

  private owned(appSetName: string): Application[] {
    return [...this.apps.values()].filter((a) => controllingAppSet(a) === appSetName).sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
  }

  private deps(): AppSetDeps {
    const o = this.options;
    return {
      client: o.client, namespace: o.namespace,
      sources: (appSet, forceFetch, maxFetchAgeMs) => {
        const reads = new Map<string, string>();
        this.reads.set(appSet.metadata.name!, reads);
        return repositorySources({ repositories: o.repositories, generation: o.repositories.currentGeneration, forceFetch,
          ...(maxFetchAgeMs !== undefined ? { maxFetchAgeMs } : {}),
          clusters: () => [...this.clusters.values()].sort((a, b) => (a.name < b.name ? -1 : 1)), render: o.render,
          onResolved: (url, revision, commit) => reads.set(`${url}\0${revision}`, commit) });
      },
      ownedApps: (name) => this.owned(name),
      liveApp: (name) => this.apps.get(name),
      stored: (app) => this.storeWritten(app),
      projects: () => (this.projectsSynced ? this.projects : undefined),
      clusterNames: () => {
        const names = new Set([...this.clusters.values()].map((c) => c.name));
        if (![...this.clusters.values()].some((c) => c.server.replace(/\/+$/, '') === inClusterServer)) names.add(inClusterName);
        return names;
      },
      clusterServers: () => new Set([inClusterServer, ...[...this.clusters.values()].map((c) => c.server.replace(/\/+$/, ''))]),
      ...(o.specSchema ? { specSchema: o.specSchema } : {}), ...(o.evalJq ? { evalJq: o.evalJq } : {}),
      progressiveSyncs: o.progressiveSyncs !== false, ...(o.policyOverride ? { policyOverride: o.policyOverride } : {}),
      ...(o.defaultGitRequeueSeconds !== undefined ? { defaultGitRequeueSeconds: o.defaultGitRequeueSeconds } : {}),
      now: o.now ?? (() => new Date()), log: this.log,
    };
  }

  private async reconcile(name: string): Promise<void> {
    await this.ready;
    const appSet = this.appSets.get(name);
    if (appSet === undefined) return;
    try {
      const result = await reconcileAppSet(appSet, this.deps());
      if (result.updated !== undefined) this.observeAppSet(result.updated);
      if (result.error !== undefined) this.lastErrors.set(name, result.error);
      else this.lastErrors.delete(name);
      if (result.requeueAfterMs !== undefined) this.queue.addAfter(name, result.requeueAfterMs);
    } catch (err) {
      this.log(`reconcile applicationset ${name}: ${describeError(err)}`);
      throw err;
    }
  }
}
