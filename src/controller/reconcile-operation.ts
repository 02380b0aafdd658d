// The operation step of a reconcile: advance the requested operation by one
// sync pass (rendering at the operation's revision, with discovery and the
// project's checks; a sync window that forbids it keeps it Running and
// untouched), notice a terminate requested meanwhile (Argo CD reads
// the app again before writing a Running state, so a Terminating phase is not
// overwritten), and record history for a successful, non-dry-run,
// non-selective sync; or, without an operation, start an automated one.
import type { Application } from '../api/application.ts';
import { sourcesOf } from '../api/application.ts';
import type { AppProject } from '../api/app-project.ts';
import type { Operation, OperationState, RevisionHistoryEntry } from '../api/application-status.ts';
import { resourceKey, type KubeObject } from '../api/kube-object.ts';
import type { KubeClient } from '../kube/kube-client.ts';
import type { LiveCache } from '../kube/cache/live-cache.ts';
import { renderApplication, type RenderServices } from '../render/render-application.ts';
import { appendHistory } from '../status/history.ts';
import type { AppCondition } from '../status/conditions.ts';
import { projectPermissionError } from './app-conditions.ts';
import { inClusterName, inClusterServer } from './app-destination.ts';
import { permittedLive, syncWindowBlockedMessage, windowRecheckDelay } from './project-scope.ts';
import type { ProjectCluster, ResolvedDestination } from '../project/permissions.ts';
import type { SyncWindowDecision } from '../project/sync-windows.ts';
import { decideAutoSync } from './auto-sync.ts';
import { compareAppState, type Comparison } from './compare-app-state.ts';
import { applyCrdScopes, crdScopes } from './crd-scopes.ts';
import { kubeSyncPorts } from './kube-sync-ports.ts';
import { operationSyncOptions, processOperation } from './process-operation.ts';
import type { EngineSettings } from '../settings/argocd-cm.ts';
import { assertReachable, managedLive, withoutExcluded } from './desired-guards.ts';
import { respectIgnoreDifferencesOption, type ResourceChecks } from './resource-checks.ts';

export const csaMigrationManagerAnnotation = 'argocd.argoproj.io/client-side-apply-migration-manager';

/** What the API server serves, by apiVersion/kind (a snapshot of discovery for one reconcile). */
export type ServedKinds = ReadonlyMap<string, { readonly namespaced: boolean }>;

export interface OperationDeps {
  /** The destination cluster's client (the sync applies through it). */
  readonly client: KubeClient;
  /** Where the Application is read (default: `client`). */
  readonly appClient?: KubeClient;
  /** The destination's server, for exclusions that name clusters (default: in-cluster). */
  readonly server?: string;
  readonly live: LiveCache;
  readonly checks: ResourceChecks;
  readonly settings: EngineSettings;
  readonly render: RenderServices;
  readonly waveDelayMs: number;
  readonly watchKinds: (objects: readonly KubeObject[]) => Promise<unknown>;
  readonly served: () => Promise<ServedKinds>;
  readonly now: () => Date;
}

export interface OperationOutcome {
  readonly operationState: OperationState;
  /** null: the operation is over and `operation` is cleared. */
  readonly operation?: null;
  readonly history?: RevisionHistoryEntry[];
  readonly requeueAfterMs: number;
}

export interface OperationInput {
  readonly app: Application;
  readonly project: AppProject | undefined;
  /** The reconcile's own render and comparison, reused when the operation syncs the spec's revision. */
  readonly current?: { readonly desired: readonly KubeObject[]; readonly revisions: readonly string[]; readonly comparison: Comparison };
  readonly blocking: readonly AppCondition[];
  readonly shared: readonly AppCondition[];
  /** The destination as resolved (undefined when it does not resolve: the spec error then blocks the sync). */
  readonly destination?: ResolvedDestination;
  /** The clusters scoped to the app's project (permitOnlyProjectScopedClusters). */
  readonly projectClusters?: readonly ProjectCluster[];
  /** The sync windows' verdict for a manual (true) or automated sync. */
  readonly syncWindow?: (manual: boolean) => SyncWindowDecision;
}

export async function advanceOperation(input: OperationInput, deps: OperationDeps): Promise<OperationOutcome> {
  const { app } = input;
  const operation = app.operation!;
  const name = app.metadata.name!;
  const current = app.status?.operationState;
  const ongoing = current && (current.phase === 'Running' || current.phase === 'Terminating') ? current : undefined;
  const destNs = app.spec.destination?.namespace ?? '';
  const destination = input.destination ?? { server: inClusterServer, name: inClusterName };
  // As Argo CD's SyncAppState: a sync window that forbids this sync keeps the operation Running, untouched.
  const window = ongoing?.phase === 'Terminating' ? undefined
    : input.syncWindow?.((ongoing?.operation ?? operation).initiatedBy?.automated !== true);
  if (window !== undefined && !window.allowed) {
    const state: OperationState = ongoing ?? { operation, phase: 'Running', startedAt: deps.now().toISOString() };
    return { operationState: { ...state, message: window.error ? `${syncWindowBlockedMessage}: ${window.error}` : syncWindowBlockedMessage },
      requeueAfterMs: windowRecheckDelay(window, deps.now().getTime()) };
  }
  const permitted = permittedLive(input.project, destination, input.projectClusters);
  const served = await deps.served();
  const namespacedOf = (o: KubeObject): boolean | undefined => served.get(`${o.apiVersion}/${o.kind}`)?.namespaced;
  const step = await processOperation({
    operation, ...(ongoing ? { state: ongoing } : {}), now: deps.now(),
    ports: kubeSyncPorts({ client: deps.client, assessHealth: (o) => deps.checks.health(o), waveDelayMs: deps.waveDelayMs,
      onWritten: (obj) => writeThrough(deps.live, obj), predictions: deps.checks.predictions }),
    namespace: destNs, specSyncOptions: app.spec.syncPolicy?.syncOptions ?? [],
    ...(app.spec.syncPolicy?.managedNamespaceMetadata ? { managedNamespaceMetadata: app.spec.syncPolicy.managedNamespaceMetadata } : {}),
    ...(deps.live.index.get(`/Namespace//${destNs}`) ? { liveNamespace: deps.live.index.get(`/Namespace//${destNs}`)! } : {}),
    // Argo CD's FormatAppConditions: "Type: message", joined with ";".
    blockingConditions: input.blocking.map((c) => `${c.type}: ${c.message}`),
    sharedResources: input.shared.map((c) => c.message),
    // As Argo CD, a kind the server does not serve yet is checked once it is (each pass checks again).
    ...(input.project ? { permissionError: (o: KubeObject) => {
      const namespaced = namespacedOf(o);
      return namespaced === undefined ? undefined : projectPermissionError(input.project!, o, namespaced, destination, input.projectClusters);
    } } : {}),
    ...(app.metadata.annotations?.[csaMigrationManagerAnnotation]
      ? { clientSideApplyMigrationManager: app.metadata.annotations[csaMigrationManagerAnnotation] } : {}),
    ...(app.metadata.annotations ? { appAnnotations: app.metadata.annotations } : {}),
    prepare: async (revs) => {
      const reuse = revs === undefined && input.current !== undefined;
      const rendered = reuse ? { objects: input.current!.desired, revisions: input.current!.revisions }
        : await renderApplication({ appName: name, spec: app.spec, ...(revs ? { revisions: revs } : {}) }, deps.render)
          .then((r) => ({ objects: withoutExcluded(applyCrdScopes(r.objects, (v, k) => served.has(`${v}/${k}`)), deps.settings, [], deps.server),
            revisions: r.revisions }));
      await assertReachable(deps.live);
      const scopes = crdScopes(rendered.objects);
      await deps.watchKinds(rendered.objects);
      const comparison = reuse ? input.current!.comparison : await compareAppState({ desired: rendered.objects,
        live: managedLive(deps.live, name, deps.settings, deps.server).filter(permitted),
        lookupLive: (t) => { const l = deps.live.index.get(resourceKey(t)); return l && permitted(l) ? l : undefined; },
        diff: (t, l) => deps.checks.diff(t, l) });
      const options = operationSyncOptions(operation, app.spec.syncPolicy?.syncOptions ?? []);
      const resources = options.includes(respectIgnoreDifferencesOption)
        ? await deps.checks.respectIgnoreDifferences(comparison.pairs) : comparison.pairs;
      return { resources, revisions: rendered.revisions,
        isServed: (o) => served.has(`${o.apiVersion}/${o.kind}`),
        isNamespaced: (o) => namespacedOf(o) ?? scopes.get(`${o.apiVersion}/${o.kind}`) };
    },
  });
  let state = step.state;
  if (state.phase === 'Running') {
    // A terminate requested while this pass ran must not be overwritten by a Running state.
    const fresh = await (deps.appClient ?? deps.client).get(app.apiVersion, 'Application', app.metadata.namespace, name) as unknown as Application | undefined;
    if (fresh?.status?.operationState?.phase === 'Terminating') state = { ...state, phase: 'Terminating', message: 'operation is terminating' };
  }
  if (!step.completed) return { operationState: state, requeueAfterMs: state.phase === 'Terminating' ? 50 : step.retryInMs ?? 1000 };
  const sync = operation.sync ?? {};
  let history: RevisionHistoryEntry[] | undefined;
  if (state.phase === 'Succeeded' && !sync.dryRun && (sync.resources ?? []).length === 0) {
    const rev = state.syncResult?.revision;
    history = appendHistory(app.status?.history, {
      ...(rev ? { revision: rev } : {}), ...(state.syncResult?.revisions ? { revisions: state.syncResult.revisions } : {}),
      deployedAt: deps.now().toISOString(), deployStartedAt: state.startedAt,
      ...(app.spec.source ? { source: app.spec.source } : {}), ...(app.spec.sources ? { sources: app.spec.sources } : {}),
      ...(operation.initiatedBy ? { initiatedBy: operation.initiatedBy } : {}),
    }, app.spec.revisionHistoryLimit);
  }
  return { operationState: withSources(state, app), operation: null, ...(history ? { history } : {}), requeueAfterMs: 100 };
}

/**
 * Puts an object the sync just wrote into the live cache — unless the watch
 * already delivered a newer version (the answer to a write can arrive after
 * the events of changes other controllers made since).
 */
export function writeThrough(live: Pick<LiveCache, 'index'>, obj: KubeObject): void {
  const cached = live.index.get(resourceKey(obj));
  if (cached !== undefined && Number(cached.metadata.resourceVersion) >= Number(obj.metadata.resourceVersion)) return;
  live.index.upsert(obj);
}

/** The source(s) an operation synced, recorded in its result (automated sync compares them with the spec). */
function withSources(state: OperationState, app: Application): OperationState {
  if (state.syncResult === undefined) return state;
  const multi = (app.spec.sources?.length ?? 0) > 0;
  return { ...state, syncResult: { ...state.syncResult, ...(multi ? { sources: app.spec.sources } : { source: app.spec.source }) } };
}

const withoutRevision = (s: unknown): string => {
  const { targetRevision: _t, ...rest } = (s ?? {}) as Record<string, unknown>;
  return JSON.stringify(rest);
};

/** The spec's sources, target revisions aside, equal those of the last sync (true when it recorded none). */
function sameSources(app: Application, state: OperationState | undefined): boolean {
  const recorded = state?.syncResult?.sources ?? (state?.syncResult?.source !== undefined ? [state.syncResult.source] : undefined);
  if (recorded === undefined) return true;
  const spec = sourcesOf(app.spec);
  return recorded.length === spec.length && recorded.every((s, i) => withoutRevision(s) === withoutRevision(spec[i]));
}

export interface AutomatedOutcome {
  readonly operation?: Operation;
  readonly requeueAfterMs?: number;
  readonly syncError?: string;
}

/** Starts an automated sync when the policy calls for one (see auto-sync.ts). */
export function automatedOperation(app: Application, comparison: Comparison, revisions: readonly string[], desiredCount: number,
  nowMs: number): AutomatedOutcome {
  const last = app.status?.operationState;
  const decision = decideAutoSync({
    automated: app.spec.syncPolicy?.automated, syncOptions: app.spec.syncPolicy?.syncOptions ?? [], retry: app.spec.syncPolicy?.retry,
    hasOperation: false, deleting: app.metadata.deletionTimestamp !== undefined, syncStatus: comparison.syncStatus, revisions,
    outOfSync: comparison.resources.filter((r) => r.status === 'OutOfSync')
      .map((r) => ({ ...(r.group ? { group: r.group } : {}), kind: r.kind, name: r.name, requiresPruning: r.requiresPruning === true })),
    desiredCount, selfHealAttempts: last?.operation.sync?.autoHealAttemptsCount ?? 0, nowMs,
    ...(last ? { lastOperation: {
      revisions: last.syncResult?.revisions ?? (last.syncResult?.revision ? [last.syncResult.revision] : []), phase: last.phase,
      sameSource: sameSources(app, last), message: last.message ?? '', automated: last.operation.initiatedBy?.automated === true,
      ...(last.finishedAt ? { finishedAtMs: Date.parse(last.finishedAt) } : {}) } } : {}),
  });
  if (decision.action === 'wait') return { requeueAfterMs: decision.delayMs };
  if (decision.action === 'skip') return decision.syncError ? { syncError: decision.syncError } : {};
  const r = decision.request;
  return {
    requeueAfterMs: 50,
    operation: { initiatedBy: { automated: true }, retry: r.retry, sync: {
      ...(revisions.length > 1 ? { revisions: [...revisions] } : { revision: revisions[0] ?? '' }), prune: r.prune,
      syncOptions: [...r.syncOptions], ...(r.selfHealAttempts ? { autoHealAttemptsCount: r.selfHealAttempts } : {}),
      ...(r.resources && r.resources.length > 0 ? { resources: r.resources.map((x) => ({ ...x })) } : {}) } },
  };
}
