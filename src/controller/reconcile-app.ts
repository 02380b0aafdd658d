// One reconcile of one Application, as ordered steps: render the desired
// state (a failure becomes ComparisonError and touches nothing live), compare
// with the live cache, assess health, advance a requested operation or start
// an automated one, then write status (and operation) in one patch. Diffs
// apply the app's and argocd-cm's ignoreDifferences, health the argocd-cm Lua
// scripts; kinds argocd-cm excludes are left out with a warning; a cluster
// whose watches fail is checked first and, if unreachable, the comparison is
// Unknown with a ComparisonError (never "all missing", never a prune).
import type { Application } from '../api/application.ts';
import type { Operation } from '../api/application-status.ts';
import { groupOf, resourceKey, type KubeObject } from '../api/kube-object.ts';
import { CapstanError, describeError } from '../errors.ts';
import { aggregateAppHealth } from '../health/app-health.ts';
import { assessBuiltinHealth, type HealthStatus } from '../health/builtin-health.ts';
import { UnknownKindError } from '../kube/api-error.ts';
import type { LiveCache } from '../kube/cache/live-cache.ts';
import type { KubeClient } from '../kube/kube-client.ts';
import { renderApplication, type RenderServices } from '../render/render-application.ts';
import type { ServerSideDiffer } from '../diff/server-side-diff.ts';
import { isHook } from '../sync/plan/hooks.ts';
import type { AppCondition } from '../status/conditions.ts';
import { appendHistory } from '../status/history.ts';
import { buildStatus } from './app-status.ts';
import { decideAutoSync } from './auto-sync.ts';
import { compareAppState, type Comparison } from './compare-app-state.ts';
import { kubeSyncPorts } from './kube-sync-ports.ts';
import { processOperation } from './process-operation.ts';
import { resourceChecks, respectIgnoreDifferencesOption, type CompatRuntime } from './resource-checks.ts';
import { defaultSettings, type EngineSettings } from '../settings/argocd-cm.ts';
import { isExcludedResource } from '../settings/resource-filter.ts';

export interface ReconcileDeps {
  readonly client: KubeClient;
  readonly live: LiveCache;
  readonly differ: ServerSideDiffer;
  readonly render: RenderServices;
  readonly controllerNamespace: string;
  readonly waveDelayMs: number;
  readonly now: () => Date;
  /** argocd-cm as last parsed (Argo CD's defaults without it). */
  readonly settings?: EngineSettings;
  /** gojq and gopher-lua, once the compatibility module is loaded. */
  readonly compat?: CompatRuntime;
}

const inClusterServer = 'https://kubernetes.default.svc';

export interface ReconcileResult {
  /** Reconcile again after this long (an operation in progress, a self-heal backoff). */
  readonly requeueAfterMs?: number;
  /** The Application as written. */
  readonly updated: Application;
}

const inCluster = (app: Application): boolean => {
  const d = app.spec.destination ?? {};
  return d.server === 'https://kubernetes.default.svc' || d.name === 'in-cluster' || (!d.server && !d.name);
};

export function healthOf(obj: KubeObject): HealthStatus | undefined {
  return assessBuiltinHealth(obj);
}

interface WatchOutcome {
  /** apiVersion/kind the server does not serve (no CRD yet). */
  readonly unknown: string[];
  /** Other failures (the cluster, permissions). */
  readonly failed: string[];
}

async function watchDesiredKinds(live: LiveCache, desired: readonly KubeObject[]): Promise<WatchOutcome> {
  const kinds = new Map(desired.map((o) => [`${o.apiVersion}/${o.kind}`, o]));
  const out: WatchOutcome = { unknown: [], failed: [] };
  await Promise.all([...kinds.values()].map((o) => live.ensureWatching(o.apiVersion, o.kind)
    .catch((err: unknown) => {
      if (err instanceof UnknownKindError) out.unknown.push(`${o.apiVersion}/${o.kind}`);
      else out.failed.push(`watching ${o.apiVersion}/${o.kind}: ${describeError(err)}`);
    })));
  return out;
}

/** Desired objects of kinds argocd-cm excludes are left out, with a warning (Argo CD's ExcludedResourceWarning). */
function withoutExcluded(desired: readonly KubeObject[], settings: EngineSettings, conditions: AppCondition[]): KubeObject[] {
  const excluded = desired.filter((o) => isExcludedResource(settings, groupOf(o.apiVersion), o.kind, inClusterServer));
  if (excluded.length === 0) return [...desired];
  conditions.push({ type: 'ExcludedResourceWarning',
    message: excluded.map((o) => `Resource ${groupOf(o.apiVersion)}/${o.kind} ${o.metadata.name ?? ''} is excluded in the settings`).join('; ') });
  return desired.filter((o) => !excluded.includes(o));
}

/** The live objects an app tracks, without kinds argocd-cm excludes (never compared, never pruned). */
function managedLive(live: LiveCache, name: string, settings: EngineSettings): KubeObject[] {
  return live.managedBy(name).filter((o) => !isExcludedResource(settings, groupOf(o.apiVersion), o.kind, inClusterServer));
}

export async function reconcileApp(app: Application, deps: ReconcileDeps): Promise<ReconcileResult> {
  const name = app.metadata.name!;
  const now = deps.now().toISOString();
  const conditions: AppCondition[] = [];
  let desired: KubeObject[] = [];
  let revisions: string[] = [];
  let sourceTypes: string[] = [];
  let comparison: Comparison | undefined;
  const settings = deps.settings ?? defaultSettings();
  const checks = resourceChecks(app, settings, deps.differ, deps.compat);
  const unserved = new Set<string>();
  if (!inCluster(app)) {
    conditions.push({ type: 'InvalidSpecError', message: `application destination ${app.spec.destination?.server ?? app.spec.destination?.name} is not a known cluster (only the in-cluster destination is supported)` });
  } else {
    try {
      const rendered = await renderApplication({ appName: name, spec: app.spec }, deps.render);
      ({ revisions, sourceTypes } = rendered);
      desired = withoutExcluded(rendered.objects, settings, conditions);
      // An unreachable cluster is never compared: a stale or empty cache would look like drift or "all missing".
      const unreachable = await deps.live.unreachable();
      if (unreachable !== undefined) throw new CapstanError('ClusterUnreachable', unreachable, { retry: 'transient' });
      const watched = await watchDesiredKinds(deps.live, desired);
      for (const k of watched.unknown) {
        unserved.add(k);
        conditions.push({ type: 'ComparisonError', message: `the server does not serve ${k} (yet): its resources cannot be compared until the CRD exists` });
      }
      if (watched.failed.length > 0) throw new CapstanError('LiveStateUnavailable', watched.failed.join('; '), { retry: 'transient' });
      comparison = await compareAppState({
        desired, live: managedLive(deps.live, name, settings), lookupLive: (t) => deps.live.index.get(resourceKey(t)),
        diff: (t, l) => checks.diff(t, l),
      });
    } catch (err) {
      conditions.push({ type: 'ComparisonError', message: describeError(err) });
    }
  }
  const resourceHealth = new Map<string, HealthStatus & { status: NonNullable<HealthStatus['status']> }>();
  const inputs = (comparison?.pairs ?? []).map((p) => {
    const obj = (p.target ?? p.live)!;
    const h = p.live ? checks.health(p.live)
      : unserved.has(`${obj.apiVersion}/${obj.kind}`) ? { status: 'Missing' as const, message: `the server does not serve ${obj.apiVersion}/${obj.kind} (no CRD yet)` } : undefined;
    if (h) resourceHealth.set(`${groupOf(obj.apiVersion)}/${obj.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`, h);
    return { kind: obj.kind, group: groupOf(obj.apiVersion), hook: isHook(obj), live: p.live !== undefined, ...(h ? { health: h } : {}),
      ignoreHealth: obj.metadata.annotations?.['argocd.argoproj.io/ignore-healthcheck'] === 'true' };
  });
  const health = comparison ? aggregateAppHealth(inputs) : { status: 'Unknown' as const, message: conditions[0]?.message };
  let status = buildStatus({ app, ...(comparison ? { comparison } : {}), revisions, sourceTypes, health, resourceHealth,
    conditions, evaluated: ['ComparisonError', 'InvalidSpecError', 'SyncError', 'ExcludedResourceWarning'], desired, now, controllerNamespace: deps.controllerNamespace });
  let operation: Operation | null | undefined;
  let requeueAfterMs: number | undefined;
  if (app.operation) {
    const current = app.status?.operationState;
    const ongoing = current && (current.phase === 'Running' || current.phase === 'Terminating') ? current : undefined;
    const step = await processOperation({
      operation: app.operation, ...(ongoing ? { state: ongoing } : {}), now: deps.now(),
      ports: kubeSyncPorts({ client: deps.client, assessHealth: (o) => checks.health(o), waveDelayMs: deps.waveDelayMs }),
      namespace: app.spec.destination?.namespace ?? '', specSyncOptions: app.spec.syncPolicy?.syncOptions ?? [],
      ...(app.spec.syncPolicy?.managedNamespaceMetadata ? { managedNamespaceMetadata: app.spec.syncPolicy.managedNamespaceMetadata } : {}),
      ...(deps.live.index.get(`/Namespace//${app.spec.destination?.namespace ?? ''}`) ? { liveNamespace: deps.live.index.get(`/Namespace//${app.spec.destination?.namespace ?? ''}`)! } : {}),
      prepare: async (revs) => {
        const rendered = revs === undefined && comparison ? { objects: desired, revisions } : await renderApplication({ appName: name, spec: app.spec, ...(revs ? { revisions: revs } : {}) }, deps.render);
        const unreachable = await deps.live.unreachable();
        if (unreachable !== undefined) throw new CapstanError('ClusterUnreachable', unreachable, { retry: 'transient' });
        const objects = withoutExcluded(rendered.objects, settings, []);
        await watchDesiredKinds(deps.live, objects);
        const current2 = await compareAppState({ desired: objects, live: managedLive(deps.live, name, settings),
          lookupLive: (t) => deps.live.index.get(resourceKey(t)), diff: (t, l) => checks.diff(t, l) });
        const syncOptions = app.operation?.sync?.syncOptions ?? app.spec.syncPolicy?.syncOptions ?? [];
        const resources = syncOptions.includes(respectIgnoreDifferencesOption) ? await checks.respectIgnoreDifferences(current2.pairs) : current2.pairs;
        return { resources, revisions: rendered.revisions };
      },
    });
    status = { ...status, operationState: step.state };
    if (step.completed) {
      operation = null;
      if (step.state.phase === 'Succeeded' && !app.operation.sync?.dryRun) {
        const rev = step.state.syncResult?.revision;
        status.history = appendHistory(app.status?.history, {
          ...(rev ? { revision: rev } : {}), deployedAt: now, deployStartedAt: step.state.startedAt,
          ...(app.spec.source ? { source: app.spec.source } : {}), ...(app.spec.sources ? { sources: app.spec.sources } : {}),
          ...(app.operation.initiatedBy ? { initiatedBy: app.operation.initiatedBy } : {}),
        }, app.spec.revisionHistoryLimit);
      }
      requeueAfterMs = 100;
    } else {
      requeueAfterMs = step.retryInMs ?? 1000;
    }
  } else if (comparison) {
    const last = app.status?.operationState;
    const decision = decideAutoSync({
      automated: app.spec.syncPolicy?.automated, syncOptions: app.spec.syncPolicy?.syncOptions ?? [], retry: app.spec.syncPolicy?.retry,
      hasOperation: false, deleting: app.metadata.deletionTimestamp !== undefined, syncStatus: comparison.syncStatus, revisions,
      outOfSync: comparison.resources.filter((r) => r.status === 'OutOfSync').map((r) => ({ requiresPruning: r.requiresPruning === true })),
      desiredCount: desired.length, selfHealAttempts: last?.operation.sync?.autoHealAttemptsCount ?? 0, nowMs: deps.now().getTime(),
      ...(last ? { lastOperation: {
        revisions: last.syncResult?.revisions ?? (last.syncResult?.revision ? [last.syncResult.revision] : []), phase: last.phase,
        message: last.message ?? '', automated: last.operation.initiatedBy?.automated === true,
        ...(last.finishedAt ? { finishedAtMs: Date.parse(last.finishedAt) } : {}) } } : {}),
    });
    if (decision.action === 'sync') {
      const attempts = decision.request.selfHeal ? (last?.operation.sync?.autoHealAttemptsCount ?? 0) + 1 : 0;
      operation = { initiatedBy: { automated: true }, retry: decision.request.retry, sync: {
        ...(revisions.length > 1 ? { revisions } : { revision: revisions[0] ?? '' }), prune: decision.request.prune,
        syncOptions: [...decision.request.syncOptions], ...(attempts > 0 ? { autoHealAttemptsCount: attempts } : {}) } };
      requeueAfterMs = 50;
    } else if (decision.action === 'wait') {
      requeueAfterMs = decision.delayMs;
    } else if (decision.syncError) {
      status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== 'SyncError'),
        { type: 'SyncError', message: decision.syncError, lastTransitionTime: now }];
    }
  }
  const patch: Record<string, unknown> = { status };
  if (operation !== undefined) patch['operation'] = operation;
  const updated = await deps.client.patch(app as unknown as KubeObject, patch, 'merge') as unknown as Application;
  return requeueAfterMs === undefined ? { updated } : { requeueAfterMs, updated };
}
