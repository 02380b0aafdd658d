// Built-in health of live objects, following the semantics Argo CD documents
// for its Go checks (gitops-engine pkg/health): Deployment, StatefulSet,
// DaemonSet, ReplicaSet, Pod, Job, CronJob, PersistentVolumeClaim, Service,
// Ingress, HorizontalPodAutoscaler, APIService, Namespace, and Application
// (app of apps). Objects being deleted are Progressing. Kinds without a check have no
// health (undefined).
import { groupOf, type KubeObject } from '../api/kube-object.ts';

export type HealthStatusCode = 'Healthy' | 'Progressing' | 'Degraded' | 'Suspended' | 'Missing' | 'Unknown';

export interface HealthStatus {
  readonly status: HealthStatusCode;
  readonly message?: string;
}

type Check = (obj: KubeObject) => HealthStatus;
type Conditions = Array<{ type: string; status: string; reason?: string; message?: string }>;

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const statusOf = (obj: KubeObject): Record<string, unknown> => (obj['status'] as Record<string, unknown> | undefined) ?? {};
const specOf = (obj: KubeObject): Record<string, unknown> => (obj['spec'] as Record<string, unknown> | undefined) ?? {};
const conditionsOf = (obj: KubeObject): Conditions => (statusOf(obj)['conditions'] as Conditions | undefined) ?? [];
const generationLag = (obj: KubeObject): boolean => num(obj.metadata.generation) > num(statusOf(obj)['observedGeneration']);

const deployment: Check = (obj) => {
  const spec = specOf(obj); const st = statusOf(obj);
  if (spec['paused'] === true) return { status: 'Suspended', message: 'Deployment is paused' };
  if (generationLag(obj)) return { status: 'Progressing', message: 'Waiting for rollout to finish: observed deployment generation less than desired generation' };
  if (conditionsOf(obj).some((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded')) {
    return { status: 'Degraded', message: `Deployment "${obj.metadata.name}" exceeded its progress deadline` };
  }
  const replicas = spec['replicas'] === undefined ? 1 : num(spec['replicas']);
  const updated = num(st['updatedReplicas']); const total = num(st['replicas']); const available = num(st['availableReplicas']);
  if (updated < replicas) return { status: 'Progressing', message: `Waiting for rollout to finish: ${updated} out of ${replicas} new replicas have been updated...` };
  if (total > updated) return { status: 'Progressing', message: `Waiting for rollout to finish: ${total - updated} old replicas are pending termination...` };
  if (available < updated) return { status: 'Progressing', message: `Waiting for rollout to finish: ${available} of ${updated} updated replicas are available...` };
  return { status: 'Healthy' };
};

const statefulSet: Check = (obj) => {
  const spec = specOf(obj); const st = statusOf(obj);
  if (num(st['observedGeneration']) === 0 || generationLag(obj)) return { status: 'Progressing', message: 'Waiting for statefulset spec update to be observed...' };
  const replicas = spec['replicas'] as number | undefined;
  const ready = num(st['readyReplicas']); const updated = num(st['updatedReplicas']);
  if (replicas !== undefined && ready < replicas) return { status: 'Progressing', message: `Waiting for ${replicas - ready} pods to be ready...` };
  const strategy = (spec['updateStrategy'] as { type?: string; rollingUpdate?: { partition?: number } } | undefined) ?? {};
  // As gitops-engine: with a rollingUpdate block (the server always sets one), the partition decides, 0 included.
  if ((strategy.type ?? 'RollingUpdate') === 'RollingUpdate' && strategy.rollingUpdate !== undefined) {
    const partition = strategy.rollingUpdate.partition;
    if (replicas !== undefined && partition !== undefined && updated < replicas - partition) {
      return { status: 'Progressing', message: `Waiting for partitioned roll out to finish: ${updated} out of ${replicas - partition} new pods have been updated...` };
    }
    return { status: 'Healthy', message: `partitioned roll out complete: ${updated} new pods have been updated...` };
  }
  if (strategy.type === 'OnDelete') return { status: 'Healthy', message: `statefulset has ${ready} ready pods` };
  if (st['updateRevision'] !== st['currentRevision']) {
    return { status: 'Progressing', message: `waiting for statefulset rolling update to complete ${updated} pods at revision ${String(st['updateRevision'] ?? '')}...` };
  }
  return { status: 'Healthy', message: `statefulset rolling update complete ${num(st['currentReplicas'])} pods at revision ${String(st['currentRevision'] ?? '')}...` };
};

const daemonSet: Check = (obj) => {
  const st = statusOf(obj);
  if (generationLag(obj)) return { status: 'Progressing', message: 'Waiting for rollout to finish: observed daemon set generation less than desired generation' };
  if ((specOf(obj)['updateStrategy'] as { type?: string } | undefined)?.type === 'OnDelete') {
    return { status: 'Healthy', message: `daemon set ${num(st['updatedNumberScheduled'])} out of ${num(st['desiredNumberScheduled'])} new pods have been updated` };
  }
  const desired = num(st['desiredNumberScheduled']);
  if (num(st['updatedNumberScheduled']) < desired) return { status: 'Progressing', message: `Waiting for daemon set "${obj.metadata.name}" rollout to finish: ${num(st['updatedNumberScheduled'])} out of ${desired} new pods have been updated...` };
  if (num(st['numberAvailable']) < desired) return { status: 'Progressing', message: `Waiting for daemon set "${obj.metadata.name}" rollout to finish: ${num(st['numberAvailable'])} of ${desired} updated pods are available...` };
  return { status: 'Healthy' };
};

const replicaSet: Check = (obj) => {
  const failure = conditionsOf(obj).find((c) => c.type === 'ReplicaFailure' && c.status === 'True');
  if (failure) return { status: 'Degraded', message: failure.message ?? '' };
  if (generationLag(obj)) return { status: 'Progressing', message: 'Waiting for rollout to finish: observed replica set generation less than desired generation' };
  const replicas = specOf(obj)['replicas'] === undefined ? 1 : num(specOf(obj)['replicas']);
  if (num(statusOf(obj)['availableReplicas']) < replicas) {
    return { status: 'Progressing', message: `Waiting for rollout to finish: ${num(statusOf(obj)['availableReplicas'])} out of ${replicas} new replicas are available...` };
  }
  return { status: 'Healthy' };
};

interface ContainerStatus {
  name?: string;
  state?: { waiting?: { reason?: string; message?: string }; terminated?: { reason?: string; exitCode?: number; message?: string } };
  lastState?: { terminated?: unknown };
}

function failMessage(c: ContainerStatus): string {
  const t = c.state?.terminated;
  if (t === undefined) return '';
  if (t.message) return t.message;
  if (t.reason === 'OOMKilled') return t.reason;
  if (t.exitCode !== undefined && t.exitCode !== 0) return `container "${c.name ?? ''}" failed with exit code ${t.exitCode}`;
  return '';
}

const pod: Check = (obj) => {
  const st = statusOf(obj); const phase = st['phase'] as string | undefined;
  const message = (st['message'] as string | undefined) ?? '';
  const containers = (st['containerStatuses'] as ContainerStatus[] | undefined) ?? [];
  const restart = (specOf(obj)['restartPolicy'] as string | undefined) ?? 'Always';
  const longRunning = restart === 'Always' || obj.metadata.annotations?.['argocd.argoproj.io/ignore-restart-policy'] === 'true';
  if (longRunning) {
    // Whatever the phase: a container waiting on an error or a back-off is Degraded (not for hook pods,
    // whose restart policy is not Always, so a pull error does not fail a hook early).
    const waiting = containers.map((c) => c.state?.waiting).filter((w) => w?.reason && (/^Err/.test(w.reason) || /Error$/.test(w.reason) || /BackOff$/.test(w.reason)));
    if (waiting.length > 0) return { status: 'Degraded', message: waiting.map((w) => w!.message ?? '').join(', ') };
  }
  switch (phase) {
    case 'Pending': return { status: 'Progressing', message };
    case 'Succeeded': return { status: 'Healthy', message };
    case 'Failed': {
      if (message) return { status: 'Degraded', message };
      const all = [...((st['initContainerStatuses'] as ContainerStatus[] | undefined) ?? []), ...containers];
      return { status: 'Degraded', message: all.map(failMessage).find((m) => m !== '') ?? '' };
    }
    case 'Running':
      if (!longRunning) return { status: 'Progressing', message };
      if (conditionsOf(obj).some((c) => c.type === 'Ready' && c.status === 'True')) return { status: 'Healthy', message };
      if (containers.some((c) => c.lastState?.terminated !== undefined)) return { status: 'Degraded', message };
      return { status: 'Progressing', message };
    default: return { status: 'Unknown', message };
  }
};

const job: Check = (obj) => {
  // As Argo CD: the condition types decide (Failed wins over Complete), then a True Suspended condition.
  let failed = false; let complete = false; let suspended = false; let message = ''; let failMessage = '';
  for (const c of conditionsOf(obj)) {
    if (c.type === 'Failed') { failed = true; complete = true; failMessage = c.message ?? ''; }
    else if (c.type === 'Complete') { complete = true; message = c.message ?? ''; }
    else if (c.type === 'Suspended') { complete = true; message = c.message ?? ''; if (c.status === 'True') suspended = true; }
  }
  if (!complete) return { status: 'Progressing', message };
  if (failed) return { status: 'Degraded', message: failMessage };
  if (suspended) return { status: 'Suspended', message };
  return { status: 'Healthy', message };
};

const cronJob: Check = (obj) => {
  if (specOf(obj)['suspend'] === true) return { status: 'Suspended', message: 'CronJob is Suspended' };
  if (obj['status'] === undefined) return { status: 'Progressing', message: 'Waiting for CronJob' };
  const st = statusOf(obj);
  const scheduled = st['lastScheduleTime'] as string | undefined; const succeeded = st['lastSuccessfulTime'] as string | undefined;
  if (scheduled === undefined) return { status: 'Healthy', message: 'CronJob has not been scheduled yet' };
  if (succeeded === undefined) return { status: 'Healthy', message: 'The Cronjob never completed succesfully. It may not be healthy' };
  if (((st['active'] as unknown[] | undefined) ?? []).length > 0) return { status: 'Healthy', message: 'The job is running. Its last execution may not have been successful' };
  // RFC 3339 times of one format compare as strings.
  if (succeeded < scheduled) return { status: 'Degraded', message: 'CronJob has not completed its last execution successfully' };
  return { status: 'Healthy', message: 'CronJob has completed its last execution successfully' };
};

const pvc: Check = (obj) => {
  const phase = statusOf(obj)['phase'];
  if (phase === 'Bound') return { status: 'Healthy' };
  if (phase === 'Pending') return { status: 'Progressing' };
  if (phase === 'Lost') return { status: 'Degraded' };
  return { status: 'Unknown' };
};

const hasIngress = (obj: KubeObject): boolean =>
  (((statusOf(obj)['loadBalancer'] as { ingress?: unknown[] } | undefined)?.ingress) ?? []).length > 0;

const service: Check = (obj) => (specOf(obj)['type'] === 'LoadBalancer' && !hasIngress(obj)
  ? { status: 'Progressing', message: 'Waiting for load balancer' } : { status: 'Healthy' });

const ingress: Check = (obj) => (hasIngress(obj) ? { status: 'Healthy' } : { status: 'Progressing', message: '' });

const hpaDegradedStates: ReadonlyArray<readonly [string, string]> = [
  ['AbleToScale', 'FailedGetScale'], ['AbleToScale', 'FailedUpdateScale'], ['ScalingActive', 'FailedGetResourceMetric'],
  ['ScalingActive', 'FailedGetObjectMetric'], ['ScalingActive', 'FailedGetPodsMetric'], ['ScalingActive', 'FailedGetExternalMetric'],
  ['ScalingActive', 'FailedComputeMetricsReplicas'], ['ScalingActive', 'InvalidSelector']];
const hpa: Check = (obj) => {
  // Conditions in order: the first degraded or healthy one decides.
  for (const c of conditionsOf(obj)) {
    if (hpaDegradedStates.some(([type, reason]) => c.type === type && c.reason === reason)) return { status: 'Degraded', message: c.message ?? '' };
    if ((c.type === 'AbleToScale' || c.type === 'ScalingLimited') && c.status === 'True') return { status: 'Healthy', message: c.message ?? '' };
  }
  return { status: 'Progressing', message: 'Waiting to Autoscale' };
};

const apiService: Check = (obj) => {
  const available = conditionsOf(obj).find((c) => c.type === 'Available');
  return available?.status === 'True' ? { status: 'Healthy', message: available.message ?? '' }
    : { status: 'Progressing', message: available?.message ?? 'Waiting to be processed' };
};

const namespace: Check = (obj) => (statusOf(obj)['phase'] === 'Terminating'
  ? { status: 'Progressing', message: 'Namespace is terminating' } : { status: 'Healthy' });

const stable = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (x !== null && typeof x === 'object' && !Array.isArray(x)
  ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x));

/**
 * A child Application (app of apps): its own status.health, Progressing while
 * it has none — the health check Argo CD documents for Applications
 * (operator-manual/health.md) — and, so a parent's waves do not run ahead of
 * a child whose spec was just changed, Progressing while the child syncs or
 * has not yet compared the source and destination its spec now names.
 */
const application: Check = (obj) => {
  const st = statusOf(obj);
  const h = (st['health'] as { status?: HealthStatusCode; message?: string } | undefined) ?? {};
  if (h.status === undefined) return { status: 'Progressing', message: '' };
  const phase = (st['operationState'] as { phase?: string } | undefined)?.phase;
  if (obj['operation'] !== undefined || phase === 'Running' || phase === 'Terminating') {
    return { status: 'Progressing', message: 'the application is syncing' };
  }
  const spec = specOf(obj);
  const compared = (st['sync'] as { comparedTo?: Record<string, unknown> } | undefined)?.comparedTo;
  const source = spec['sources'] !== undefined ? { sources: spec['sources'] } : { source: spec['source'] };
  const [key] = Object.keys(source) as ['source' | 'sources'];
  if (compared !== undefined && (stable(compared[key]) !== stable(source[key as keyof typeof source])
    || stable(compared['destination']) !== stable(spec['destination']))) {
    return { status: 'Progressing', message: 'the application has not compared its current spec yet' };
  }
  return { status: h.status, ...(h.message ? { message: h.message } : {}) };
};

const checks: Readonly<Record<string, Check>> = {
  'apps/Deployment': deployment, 'apps/StatefulSet': statefulSet, 'apps/DaemonSet': daemonSet, 'apps/ReplicaSet': replicaSet,
  '/Pod': pod, 'batch/Job': job, 'batch/CronJob': cronJob, '/PersistentVolumeClaim': pvc, '/Service': service,
  'networking.k8s.io/Ingress': ingress, 'extensions/Ingress': ingress, 'autoscaling/HorizontalPodAutoscaler': hpa,
  'apiregistration.k8s.io/APIService': apiService, 'argoproj.io/Application': application, '/Namespace': namespace,
};

/** Health of a live object, or undefined when its kind has no health check. */
export function assessBuiltinHealth(obj: KubeObject): HealthStatus | undefined {
  const check = checks[`${groupOf(obj.apiVersion)}/${obj.kind}`];
  if (obj.metadata.deletionTimestamp && !(obj.metadata.finalizers ?? []).includes('argocd.argoproj.io/hook-finalizer')) {
    return { status: 'Progressing', message: 'Pending deletion' };
  }
  return check?.(obj);
}

const order: readonly HealthStatusCode[] = ['Healthy', 'Suspended', 'Progressing', 'Missing', 'Degraded', 'Unknown'];

/** True when `a` is worse than `b` (Healthy < Suspended < Progressing < Missing < Degraded < Unknown). */
export function isWorse(a: HealthStatusCode, b: HealthStatusCode): boolean {
  return order.indexOf(a) > order.indexOf(b);
}
