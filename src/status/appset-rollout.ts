// Progressive sync with `strategy.type: RollingSync`, as Argo CD's
// ApplicationSet controller runs it (applicationset_controller.go,
// Progressive-Syncs.md). Generated Applications are put in steps by their
// labels (all matchExpressions of a step must hold; In/NotIn, NotIn wins; an
// Application is in the first step that selects it, and one no step selects
// is never synced). Each Application's `status.applicationStatus[]` entry
// moves Waiting → Pending (allowed to sync, within the step's `maxUpdate`) →
// Progressing (its sync ran) → Healthy; an OutOfSync Application goes back
// to Waiting. A step may start only when every Application of the steps
// before it is Healthy. Automated sync is turned off on the generated
// Applications: the ApplicationSet syncs them by setting `operation`.
import type { Application } from '../api/application.ts';
import type { Operation } from '../api/application-status.ts';
import type { ApplicationSet, ApplicationSetApplicationStatus, ApplicationSetCondition, ApplicationSetRolloutStep } from '../api/application-set.ts';

export function rollingSyncEnabled(appSet: ApplicationSet): boolean {
  const s = appSet.spec.strategy;
  return s?.type === 'RollingSync' && (s.rollingSync?.steps?.length ?? 0) > 0;
}

/** Step index (0-based) of each generated Application, by its labels. */
export function stepsOf(appSet: ApplicationSet, apps: readonly Application[]): Map<string, number> {
  const steps = appSet.spec.strategy?.rollingSync?.steps ?? [];
  const out = new Map<string, number>();
  for (const app of apps) {
    const labels = app.metadata.labels ?? {};
    const index = steps.findIndex((step) => (step.matchExpressions ?? []).every((e) => {
      const key = e.key ?? '';
      if (!Object.hasOwn(labels, key)) return e.operator !== 'In';
      if (e.operator !== 'In' && e.operator !== 'NotIn') return false;
      const listed = (e.values ?? []).includes(labels[key]!);
      return e.operator === 'In' ? listed : !listed;
    }));
    if (index >= 0) out.set(app.metadata.name!, index);
  }
  return out;
}

function revisionsOf(app: Application): string[] {
  const sync = app.status?.sync;
  if (sync?.revisions && sync.revisions.length > 0) return [...sync.revisions];
  return sync?.revision ? [sync.revision] : [];
}

function isHealthy(app: Application | undefined): boolean {
  if (app === undefined) return false;
  const phase = app.status?.operationState?.phase ?? '';
  return app.status?.health?.status === 'Healthy' && app.status?.sync?.status !== 'OutOfSync' && (phase === 'Succeeded' || phase === '');
}

const stepText = (steps: ReadonlyMap<string, number>, name: string): string => String((steps.get(name) ?? -2) + 1);

/** Each current Application's entry, moved on by what its status shows (updateApplicationSetApplicationStatus). */
function advanceStatuses(appSet: ApplicationSet, current: readonly Application[], steps: ReadonlyMap<string, number>, now: string): ApplicationSetApplicationStatus[] {
  const previous = appSet.status?.applicationStatus ?? [];
  return current.map((app) => {
    const name = app.metadata.name!;
    const phase = app.status?.operationState?.phase ?? '';
    const known = previous.find((s) => s.application === name);
    let s: ApplicationSetApplicationStatus = known
      ? { ...known, targetRevisions: known.targetRevisions?.length ? known.targetRevisions : revisionsOf(app) }
      : { application: name, lastTransitionTime: now, message: 'No Application status found, defaulting status to Waiting.', status: 'Waiting', step: stepText(steps, name), targetRevisions: revisionsOf(app) };
    const move = (status: string, message: string, extra: Partial<ApplicationSetApplicationStatus> = {}): void => {
      s = { ...s, ...extra, lastTransitionTime: now, status, message, step: stepText(steps, name) };
    };
    if (app.status?.sync?.status === 'OutOfSync' && s.status !== 'Waiting' && s.status !== 'Pending') {
      move('Waiting', 'Application has pending changes, setting status to Waiting.', { targetRevisions: revisionsOf(app) });
    }
    if (s.status === 'Pending') {
      if (phase === 'Succeeded') {
        const result = app.status?.operationState?.syncResult;
        const synced = result?.revisions?.length ? result.revisions : result?.revision ? [result.revision] : [];
        if (JSON.stringify(s.targetRevisions) === JSON.stringify(synced)) {
          move('Progressing', 'Application resource completed a sync successfully, updating status from Pending to Progressing.');
        }
      } else if (phase === 'Running' || app.status?.health?.status === 'Progressing') {
        move('Progressing', 'Application resource became Progressing, updating status from Pending to Progressing.');
      }
    }
    if (s.status === 'Waiting' && isHealthy(app)) move('Healthy', 'Application resource is already Healthy, updating status from Waiting to Healthy.');
    if (s.status === 'Progressing' && isHealthy(app)) move('Healthy', 'Application resource became Healthy, updating status from Progressing to Healthy.');
    return s;
  });
}

/** Which Applications may sync: every step up to and including the first one not yet all Healthy (buildAppSyncMap). */
function syncAllowed(stepCount: number, steps: ReadonlyMap<string, number>, statuses: readonly ApplicationSetApplicationStatus[],
  current: ReadonlyMap<string, Application>): Map<string, boolean> {
  const byStep: string[][] = Array.from({ length: stepCount }, () => []);
  for (const [name, i] of steps) byStep[i]!.push(name);
  const allowed = new Map<string, boolean>();
  let enabled = true;
  for (const names of byStep) {
    for (const name of names) allowed.set(name, enabled);
    for (const name of names) {
      const status = statuses.find((s) => s.application === name);
      enabled = status !== undefined && isHealthy(current.get(name)) && status.status === 'Healthy';
      if (!enabled) break;
    }
  }
  return allowed;
}

/** intstr.GetScaledValueFromIntOrPercent(maxUpdate, total, false), with Argo CD's minimum of 1 for a non-zero percentage. */
export function maxUpdateOf(step: ApplicationSetRolloutStep | undefined, total: number): number {
  const max = step?.maxUpdate;
  if (max === undefined || max === null) return Number.POSITIVE_INFINITY;
  if (typeof max === 'number') return max;
  const m = /^(\d+)%$/.exec(max);
  // A string that is no percentage is an error in Argo CD, which then lets one Application through.
  const value = m ? Math.floor((Number(m[1]) * total) / 100) : 0;
  return max !== '0%' && value < 1 ? 1 : value;
}

/** Waiting → Pending where the step allows it and maxUpdate leaves room (updateApplicationSetApplicationStatusProgress). */
function promote(appSet: ApplicationSet, statuses: ApplicationSetApplicationStatus[], allowed: ReadonlyMap<string, boolean>,
  steps: ReadonlyMap<string, number>, now: string): ApplicationSetApplicationStatus[] {
  const specSteps = appSet.spec.strategy?.rollingSync?.steps ?? [];
  // An Application in no step counts in step 1, as in Argo CD (a missing map entry is 0).
  const stepIndex = (name: string): number => steps.get(name) ?? 0;
  const updating = specSteps.map(() => 0);
  const total = specSteps.map(() => 0);
  for (const s of statuses) {
    total[stepIndex(s.application)]!++;
    if (s.status === 'Pending' || s.status === 'Progressing') updating[stepIndex(s.application)]!++;
  }
  return statuses.map((s) => {
    const i = stepIndex(s.application);
    const room = updating[i]! < maxUpdateOf(specSteps[i], total[i]!);
    if (s.status !== 'Waiting' || allowed.get(s.application) !== true || !room) return s;
    updating[i]!++;
    return { ...s, lastTransitionTime: now, status: 'Pending', step: stepText(steps, s.application),
      message: 'Application moved to Pending status, watching for the Application resource to start Progressing.' };
  });
}

export interface RolloutPlan {
  readonly applicationStatus: ApplicationSetApplicationStatus[];
  /** The desired Applications with automated sync off, and a sync operation for those to sync now. */
  readonly desired: Application[];
  readonly condition: Omit<ApplicationSetCondition, 'lastTransitionTime'>;
}

function syncOperation(app: Application, prune: boolean): Operation {
  const policy = app.spec.syncPolicy;
  return {
    initiatedBy: { username: 'applicationset-controller', automated: true },
    info: [{ name: 'Reason', value: 'ApplicationSet RollingSync triggered a sync of this Application resource.' }],
    sync: { ...(policy?.syncOptions ? { syncOptions: [...policy.syncOptions] } : {}), ...(policy ? { prune } : {}) },
    ...(policy?.retry ? { retry: policy.retry } : {}),
  };
}

export function planRollout(appSet: ApplicationSet, desired: readonly Application[], current: readonly Application[], now: string): RolloutPlan {
  const steps = stepsOf(appSet, desired);
  const byName = new Map(current.map((a) => [a.metadata.name!, a]));
  const advanced = advanceStatuses(appSet, current, steps, now);
  const allowed = syncAllowed(appSet.spec.strategy?.rollingSync?.steps?.length ?? 0, steps, advanced, byName);
  const statuses = promote(appSet, advanced, allowed, steps, now);
  const planned = desired.map((app) => {
    const name = app.metadata.name!;
    const policy = app.spec.syncPolicy;
    const prune = policy?.automated?.prune === true;
    const spec = policy?.automated ? { ...app.spec, syncPolicy: Object.fromEntries(Object.entries(policy).filter(([k]) => k !== 'automated')) } : app.spec;
    const next = { ...app, spec } as Application;
    const pending = statuses.find((s) => s.application === name)?.status === 'Pending';
    const live = byName.get(name);
    if (allowed.get(name) === true && pending && live?.status?.sync?.status === 'OutOfSync' && live.operation === undefined) {
      return { ...next, operation: syncOperation(next, prune) };
    }
    return next;
  });
  const progressing = statuses.some((s) => s.status !== 'Healthy');
  return {
    applicationStatus: statuses,
    desired: planned,
    condition: progressing
      ? { type: 'RolloutProgressing', status: 'True', reason: 'ApplicationSetModified', message: 'ApplicationSet Rollout Rollout started' }
      : { type: 'RolloutProgressing', status: 'False', reason: 'ApplicationSetRolloutComplete', message: 'ApplicationSet Rollout Rollout complete' },
  };
}
