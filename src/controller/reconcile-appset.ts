// One reconcile of an ApplicationSet, as ordered steps (Argo CD's
// ApplicationSetReconciler.Reconcile, made fail-closed): generate the desired
// Applications; on any generator, template or validation error write the
// error conditions and stop — no Application is created, changed or deleted,
// so a broken commit or an unreachable repository never removes what runs;
// otherwise plan the RollingSync step, create the missing Applications,
// update the changed ones and delete the ones no longer generated, each as
// `syncPolicy.applicationsSync` allows; then write the status once.
import type { Application } from '../api/application.ts';
import { applicationSetRefreshAnnotation, type ApplicationSet, type ApplicationSetStatus, type ApplicationsSyncPolicy } from '../api/application-set.ts';
import type { KubeObject } from '../api/kube-object.ts';
import { generateApplications } from '../appset/generators/generate-applications.ts';
import { AppSetGeneratorError, type GeneratorSources } from '../appset/generators/generator-context.ts';
import { requeueAfterSeconds } from '../appset/generators/requeue.ts';
import type { Schema } from '../appset/generators/schema-check.ts';
import { summarizeProblems, validateApplications } from '../appset/generators/validate-applications.ts';
import { applicationToCreate, controllingAppSet, planApplicationUpdate } from '../appset/owned-applications.ts';
import type { EvalJq } from '../diff/jq.ts';
import { canonicalJson } from '../diff/server-side-diff.ts';
import { CapstanError, describeError } from '../errors.ts';
import type { KubeClient } from '../kube/kube-client.ts';
import { appSetConditions, type AppSetOutcome } from '../status/appset-conditions.ts';
import { planRollout, rollingSyncEnabled } from '../status/appset-rollout.ts';
import { finalizeApplicationSet } from './appset-deletion.ts';

export const appSetFieldManager = 'capstan-applicationset';
/** Argo CD's ReconcileRequeueOnValidationError. */
export const errorRequeueMs = 180_000;

export interface AppSetDeps {
  readonly client: KubeClient;
  readonly namespace: string;
  /**
   * What the generators read. `forceFetch`: fetch every repository (a refresh request);
   * `maxFetchAgeMs`: fetch a repository whose last fetch, by anyone, is older.
   */
  readonly sources: (appSet: ApplicationSet, forceFetch: boolean, maxFetchAgeMs?: number) => GeneratorSources;
  /** Applications whose controller is the ApplicationSet of that name. */
  readonly ownedApps: (appSetName: string) => Application[];
  readonly liveApp: (name: string) => Application | undefined;
  /** Remembers what a write returned (newer than the watch may have delivered). */
  readonly stored: (app: Application) => void;
  readonly projects: () => ReadonlySet<string> | undefined;
  readonly clusterNames: () => ReadonlySet<string>;
  readonly clusterServers: () => ReadonlySet<string>;
  readonly specSchema?: Schema;
  readonly evalJq?: EvalJq;
  readonly progressiveSyncs: boolean;
  /** A controller-wide policy that overrides every ApplicationSet's (Argo CD's --policy). */
  readonly policyOverride?: ApplicationsSyncPolicy;
  readonly defaultGitRequeueSeconds?: number;
  readonly now: () => Date;
  readonly log: (line: string) => void;
}

export interface AppSetReconcileResult {
  readonly requeueAfterMs?: number;
  /** The error that made nothing be applied, if any (for logs and tests). */
  readonly error?: string;
  /** The ApplicationSet as last written (status, annotations). */
  readonly updated?: ApplicationSet;
}

export function policyOf(appSet: ApplicationSet, override?: ApplicationsSyncPolicy): ApplicationsSyncPolicy {
  return override ?? appSet.spec.syncPolicy?.applicationsSync ?? 'sync';
}
const allowsUpdate = (p: ApplicationsSyncPolicy): boolean => p === 'sync' || p === 'create-update';
const allowsDelete = (p: ApplicationsSyncPolicy): boolean => p === 'sync' || p === 'create-delete';

type Ref = Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>;
const refOf = (app: Application): Ref => ({ apiVersion: app.apiVersion, kind: app.kind, metadata: { name: app.metadata.name!, namespace: app.metadata.namespace! } });

async function writeStatus(appSet: ApplicationSet, status: ApplicationSetStatus, deps: AppSetDeps): Promise<ApplicationSet | undefined> {
  const before = { conditions: appSet.status?.conditions, resources: appSet.status?.resources, resourcesCount: appSet.status?.resourcesCount,
    applicationStatus: appSet.status?.applicationStatus };
  const after = { conditions: status.conditions, resources: status.resources, resourcesCount: status.resourcesCount, applicationStatus: status.applicationStatus };
  if (canonicalJson(before) === canonicalJson(after)) return undefined;
  return await deps.client.patch(appSet as unknown as KubeObject, { status: { ...after, applicationStatus: status.applicationStatus ?? null } }, 'merge',
    { subresource: 'status', fieldManager: appSetFieldManager }) as unknown as ApplicationSet;
}

function resourcesOf(apps: readonly Application[]): Pick<ApplicationSetStatus, 'resources' | 'resourcesCount'> {
  const resources = apps.map((app) => ({
    group: 'argoproj.io', version: 'v1alpha1', kind: 'Application', name: app.metadata.name!, namespace: app.metadata.namespace!,
    ...(app.status?.sync?.status ? { status: app.status.sync.status } : {}),
    health: app.status?.health?.status ? { status: app.status.health.status } : {},
  })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { resources: resources.slice(0, 5000), resourcesCount: resources.length };
}

export async function reconcileAppSet(appSet: ApplicationSet, deps: AppSetDeps): Promise<AppSetReconcileResult> {
  if (appSet.metadata.deletionTimestamp) {
    await finalizeApplicationSet(appSet, deps.ownedApps(appSet.metadata.name!), deps.client, policyOf(appSet, deps.policyOverride));
    return {};
  }
  const name = appSet.metadata.name!;
  const now = deps.now().toISOString();
  const refresh = appSet.metadata.annotations?.[applicationSetRefreshAnnotation] !== undefined;
  const current = deps.ownedApps(name);
  const rolling = deps.progressiveSyncs && rollingSyncEnabled(appSet);
  const fail = async (outcome: Extract<AppSetOutcome, { ok: false }>): Promise<AppSetReconcileResult> => {
    deps.log(`applicationset ${name}: ${outcome.message} (nothing applied)`);
    const updated = await writeStatus(appSet, { ...appSet.status, conditions: appSetConditions(appSet.status?.conditions, outcome, now), ...resourcesOf(current) }, deps);
    return { requeueAfterMs: errorRequeueMs, error: outcome.message, ...(updated ? { updated } : {}) };
  };

  // 1. Generate. Any error: report it and touch nothing. The periodic requeue
  // (requeueAfterSeconds) reads git at most half a period old, as Argo CD,
  // which resolves the revision on every reconcile, sees a commit within one.
  const requeueSeconds = requeueAfterSeconds(appSet.spec.generators, deps.defaultGitRequeueSeconds);
  let generated;
  try {
    generated = await generateApplications(appSet, deps.sources(appSet, refresh, requeueSeconds > 0 ? requeueSeconds * 500 : undefined));
  } catch (err) {
    if (err instanceof AppSetGeneratorError) {
      const result = await fail({ ok: false, reason: err.reason, message: err.message, parametersGenerated: false });
      return err.retry === 'transient' ? { ...result, requeueAfterMs: 10_000 } : result;
    }
    if (err instanceof CapstanError && err.retry === 'transient') {
      const result = await fail({ ok: false, reason: 'ApplicationGenerationFromParamsError', message: `ApplicationSet "${name}": ${err.message}`, parametersGenerated: false });
      return { ...result, requeueAfterMs: 10_000 };
    }
    throw err;
  }

  // 2. Validate every Application before writing any.
  const problems = validateApplications(generated.applications, {
    appSetName: name, namespace: appSet.metadata.namespace!, clusterNames: deps.clusterNames(),
    ...(deps.projects() ? { projects: deps.projects()! } : {}), ...(deps.specSchema ? { specSchema: deps.specSchema } : {}),
  });
  if (problems.length > 0) return fail({ ok: false, reason: 'ApplicationValidationError', message: summarizeProblems(problems), parametersGenerated: true });

  // 3. Progressive sync decides which Applications sync now.
  let desired = generated.applications.map((g) => g.app);
  let applicationStatus: ApplicationSetStatus['applicationStatus'];
  let rollout;
  if (rolling) {
    const plan = planRollout(appSet, desired, current, now);
    desired = plan.desired;
    applicationStatus = plan.applicationStatus;
    rollout = plan.condition;
  }

  // 4. Create, update, delete as the policy allows.
  const policy = policyOf(appSet, deps.policyOverride);
  const writeError = await writeApplications(appSet, desired, current, policy, deps);

  // 5. The refresh request is served.
  let latest = appSet;
  if (refresh) {
    latest = await deps.client.patch(appSet as unknown as KubeObject, { metadata: { annotations: { [applicationSetRefreshAnnotation]: null } } },
      'merge') as unknown as ApplicationSet;
  }

  // 6. Status, once.
  const owned = deps.ownedApps(name);
  const outcome: AppSetOutcome = writeError === undefined ? { ok: true } : { ok: false, ...writeError, parametersGenerated: true };
  const written = await writeStatus(appSet, { conditions: appSetConditions(appSet.status?.conditions, outcome, now, rollout), ...resourcesOf(owned),
    ...(applicationStatus ? { applicationStatus } : {}) }, deps);
  const updated = written ?? (refresh ? latest : undefined);
  if (writeError !== undefined) return { requeueAfterMs: 10_000, error: writeError.message, ...(updated ? { updated } : {}) };
  return { ...(requeueSeconds > 0 ? { requeueAfterMs: requeueSeconds * 1000 } : {}), ...(updated ? { updated } : {}) };
}

interface WriteError { readonly reason: string; readonly message: string }

/** Writes to the API server in flight at once (each Application is one request). */
const writeConcurrency = 8;

async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

async function writeApplications(appSet: ApplicationSet, desired: readonly Application[], current: readonly Application[],
  policy: ApplicationsSyncPolicy, deps: AppSetDeps): Promise<WriteError | undefined> {
  const name = appSet.metadata.name!;
  let first: WriteError | undefined;
  const note = (reason: string, app: string, err: unknown): void => {
    const message = `ApplicationSet "${name}": Application "${app}": ${describeError(err)}`;
    deps.log(message);
    first ??= { reason, message };
  };
  await eachLimited(desired, writeConcurrency, async (app) => {
    const appName = app.metadata.name!;
    const live = deps.liveApp(appName);
    try {
      if (live === undefined) {
        deps.stored(await deps.client.create(applicationToCreate(app, appSet) as unknown as KubeObject, { fieldManager: appSetFieldManager }) as unknown as Application);
        deps.log(`applicationset ${name}: created Application ${appName}`);
        return;
      }
      if (live.metadata.deletionTimestamp) return;
      const owner = controllingAppSet(live);
      if (!allowsUpdate(policy) && owner === name) return;
      const write = planApplicationUpdate(app, live, appSet, deps.evalJq ? { evalJq: deps.evalJq } : {});
      if (write.action === 'none') return;
      const updated = write.action === 'patch'
        ? await deps.client.patch(refOf(live), write.patch, 'merge', { fieldManager: appSetFieldManager })
        : await deps.client.replace(write.object as unknown as KubeObject, { fieldManager: appSetFieldManager });
      deps.stored(updated as unknown as Application);
      deps.log(`applicationset ${name}: ${owner === name ? 'updated' : 'adopted'} Application ${appName}`);
    } catch (err) {
      note(live === undefined ? 'CreateApplicationError' : 'UpdateApplicationError', appName, err);
    }
  });
  if (!allowsDelete(policy)) return first;
  const wanted = new Set(desired.map((a) => a.metadata.name!));
  for (const app of current) {
    const appName = app.metadata.name!;
    if (wanted.has(appName) || app.metadata.deletionTimestamp) continue;
    try {
      await removeFinalizerOnInvalidDestination(app, deps);
      await deps.client.delete(refOf(app));
      deps.log(`applicationset ${name}: deleted Application ${appName}`);
    } catch (err) {
      note('DeleteApplicationError', appName, err);
    }
  }
  return first;
}

/** An Application whose cluster is gone could never finish its resources finalizer: Argo CD drops it first. */
async function removeFinalizerOnInvalidDestination(app: Application, deps: AppSetDeps): Promise<void> {
  const finalizers = app.metadata.finalizers ?? [];
  if (!finalizers.includes('resources-finalizer.argocd.argoproj.io')) return;
  const dest = app.spec.destination ?? {};
  const valid = dest.server ? deps.clusterServers().has(dest.server.replace(/\/+$/, '')) : dest.name ? deps.clusterNames().has(dest.name) : false;
  if (valid) return;
  deps.stored(await deps.client.patch(refOf(app), { metadata: { finalizers: finalizers.filter((f) => f !== 'resources-finalizer.argocd.argoproj.io') } },
    'merge', { fieldManager: appSetFieldManager }) as unknown as Application);
}
