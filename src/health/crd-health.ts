// Built-in health for widely used custom resources the platforms install,
// with the semantics of Argo CD's bundled resource_customizations scripts and
// the projects' documented status: cert-manager Certificate (Issuing first,
// then Ready) and Issuer/ClusterIssuer (Ready); CloudNativePG Cluster
// (reconciliation disabled, hibernation, then its documented phases);
// Strimzi Kafka (Ready, or NotReady other than while Creating); External
// Secrets ExternalSecret (Ready, fresh for refreshPolicy OnChange) and
// SecretStore/ClusterSecretStore (Ready); Bitnami SealedSecret (Synced); Argo
// Rollouts Rollout (observed generation, then status.phase, else the
// conditions, pause and replica counts). A `argocd-cm` Lua script for the
// same kind takes precedence over these.
import { groupOf, type KubeObject } from '../api/kube-object.ts';
import type { HealthStatus, HealthStatusCode } from './builtin-health.ts';

type Check = (obj: KubeObject) => HealthStatus;
interface Condition { type?: string; status?: string; reason?: string; message?: string; lastTransitionTime?: string }

const statusOf = (obj: KubeObject): Record<string, unknown> => (obj['status'] as Record<string, unknown> | undefined) ?? {};
const specOf = (obj: KubeObject): Record<string, unknown> => (obj['spec'] as Record<string, unknown> | undefined) ?? {};
const conditionsOf = (obj: KubeObject): Condition[] => {
  const c = statusOf(obj)['conditions'];
  return Array.isArray(c) ? (c as Condition[]) : [];
};
const withMessage = (status: HealthStatusCode, message: unknown): HealthStatus =>
  (typeof message === 'string' && message !== '' ? { status, message } : { status });

/** The first condition of `type` that is True or False decides; otherwise Progressing with `waiting`. */
function readyCondition(type: string, waiting: string): Check {
  return (obj) => {
    for (const c of conditionsOf(obj)) {
      if (c.type !== type) continue;
      if (c.status === 'False') return withMessage('Degraded', c.message);
      if (c.status === 'True') return withMessage('Healthy', c.message);
    }
    return { status: 'Progressing', message: waiting };
  };
}

function deletionPending(obj: KubeObject): HealthStatus | undefined {
  if (!obj.metadata.deletionTimestamp) return undefined;
  const finalizers = obj.metadata.finalizers ?? [];
  return { status: 'Progressing', message: finalizers.length > 0 ? `Pending deletion; blocked by finalizers: ${finalizers.join(', ')}` : 'Pending deletion' };
}

const certificate: Check = (obj) => {
  const issuing = conditionsOf(obj).find((c) => c.type === 'Issuing' && c.status === 'True');
  if (issuing) return withMessage('Progressing', issuing.message);
  return readyCondition('Ready', 'Waiting for certificate')(obj);
};

const cnpgPhases: Readonly<Record<string, HealthStatusCode>> = {
  'Cluster in healthy state': 'Healthy',
  'Setting up primary': 'Progressing', 'Creating a new replica': 'Progressing', 'Upgrading cluster': 'Progressing',
  'Waiting for the instances to become active': 'Progressing', 'Promoting to primary cluster': 'Progressing',
  'Switchover in progress': 'Degraded', 'Failing over': 'Degraded', 'Upgrading Postgres major version': 'Degraded',
  'Cluster upgrade delayed': 'Degraded', 'Waiting for user action': 'Degraded', 'Primary instance is being restarted in-place': 'Degraded',
  'Primary instance is being restarted without a switchover': 'Degraded',
  'Cluster cannot execute instance online upgrade due to missing architecture binary': 'Degraded',
  'Online upgrade in progress': 'Degraded', 'Applying configuration': 'Degraded',
  'Unable to create required cluster objects': 'Suspended',
  'Cluster cannot proceed to reconciliation due to an unknown plugin being required': 'Suspended',
  'Cluster has incomplete or invalid image catalog': 'Suspended',
  'Cluster is unrecoverable and needs manual intervention': 'Suspended',
};

const cnpgCluster: Check = (obj) => {
  if (obj.metadata.annotations?.['cnpg.io/reconciliation'] === 'disabled') return { status: 'Suspended', message: 'Cluster reconciliation is suspended' };
  const st = statusOf(obj);
  if (Array.isArray(st['conditions'])) {
    const hibernation = conditionsOf(obj).find((c) => c.type === 'cnpg.io/hibernation');
    if (hibernation) return withMessage(hibernation.status === 'True' ? 'Suspended' : 'Degraded', hibernation.message);
    const phase = typeof st['phase'] === 'string' ? cnpgPhases[st['phase']] : undefined;
    return withMessage(phase ?? 'Unknown', st['phaseReason']);
  }
  return withMessage('Progressing', st['phaseReason']);
};

const kafka: Check = (obj) => {
  const deleting = deletionPending(obj);
  if (deleting) return deleting;
  for (const c of conditionsOf(obj)) {
    if (c.type === 'NotReady' && c.status === 'True' && c.reason !== 'Creating') return withMessage('Degraded', c.message);
    if (c.type === 'Ready' && c.status === 'True') return { status: 'Healthy' };
  }
  return { status: 'Progressing', message: 'Waiting for Kafka Cluster' };
};

const externalSecret: Check = (obj) => {
  const onChange = specOf(obj)['refreshPolicy'] === 'OnChange';
  const refreshTime = statusOf(obj)['refreshTime'];
  for (const c of conditionsOf(obj)) {
    if (c.type !== 'Ready') continue;
    // With refreshPolicy OnChange, a Ready condition older than the last refresh is stale.
    if (onChange && !(typeof c.lastTransitionTime === 'string' && typeof refreshTime === 'string' && c.lastTransitionTime >= refreshTime)) continue;
    if (c.status === 'False') return withMessage('Degraded', c.message);
    if (c.status === 'True') return withMessage('Healthy', c.message);
    break;
  }
  return { status: 'Progressing', message: 'Waiting for ExternalSecret' };
};

const secretStore: Check = (obj) => deletionPending(obj) ?? readyCondition('Ready', 'Waiting for SecretStore')(obj);

const num = (v: unknown, fallback: number): number => (typeof v === 'number' ? v : fallback);

function rolloutGenerationObserved(obj: KubeObject): boolean {
  if (obj['status'] === undefined) return false;
  const st = statusOf(obj);
  const observed = Number(st['observedGeneration']);
  const generation = num(obj.metadata.generation, 0);
  // A non-numeric observedGeneration is an old (v0.9) Rollout: always observed.
  const specObserved = st['observedGeneration'] === undefined || Number.isNaN(observed) || observed >= generation;
  const workloadObserved = specOf(obj)['workloadRef'] === undefined || obj.metadata.annotations === undefined
    || String(Number(obj.metadata.annotations['rollout.argoproj.io/workload-generation'])) === String(Number(st['workloadObservedGeneration']));
  return specObserved && workloadObserved;
}

const rollout: Check = (obj) => {
  if (!rolloutGenerationObserved(obj)) return { status: 'Progressing', message: 'Waiting for rollout spec update to be observed' };
  const st = statusOf(obj); const spec = specOf(obj);
  if (typeof st['phase'] === 'string' && st['phase'] !== '') {
    const phase = st['phase'] === 'Paused' ? 'Suspended' : st['phase'];
    return withMessage(phase as HealthStatusCode, st['message']);
  }
  for (const c of conditionsOf(obj)) {
    if (c.type === 'InvalidSpec') return withMessage('Degraded', c.message);
    if (c.type === 'Progressing' && (c.reason === 'RolloutAborted' || c.reason === 'ProgressDeadlineExceeded')) return withMessage('Degraded', c.message);
  }
  const pauses = st['pauseConditions'];
  if ((Array.isArray(pauses) && pauses.length > 0) || spec['paused'] === true) return { status: 'Suspended', message: 'Rollout is paused' };
  if (st['currentPodHash'] === undefined) return { status: 'Progressing', message: 'Waiting for rollout to finish: status has not been reconciled.' };
  const desired = num(spec['replicas'], 1); const replicas = num(st['replicas'], 0);
  const updated = num(st['updatedReplicas'], 0); const available = num(st['availableReplicas'], 0);
  if (updated < desired) return { status: 'Progressing', message: 'Waiting for roll out to finish: More replicas need to be updated' };
  if (available < updated) return { status: 'Progressing', message: 'Waiting for roll out to finish: updated replicas are still becoming available' };
  const stableRS = typeof st['stableRS'] === 'string' ? st['stableRS']
    : ((st['canary'] as { stableRS?: string } | undefined)?.stableRS ?? '');
  const strategy = (spec['strategy'] as { blueGreen?: unknown; canary?: unknown } | undefined) ?? {};
  if (strategy.blueGreen !== undefined) {
    const active = (st['blueGreen'] as { activeSelector?: string } | undefined)?.activeSelector;
    if (active !== st['currentPodHash']) return { status: 'Progressing', message: 'active service cutover pending' };
    if (stableRS !== '' && stableRS !== st['currentPodHash']) return { status: 'Progressing', message: 'waiting for analysis to complete' };
  } else if (strategy.canary !== undefined) {
    if (replicas > updated) return { status: 'Progressing', message: 'Waiting for roll out to finish: old replicas are pending termination' };
    if (stableRS === '' || stableRS !== st['currentPodHash']) return { status: 'Progressing', message: 'Waiting for rollout to finish steps' };
  }
  return { status: 'Healthy' };
};

const checks: Readonly<Record<string, Check>> = {
  'cert-manager.io/Certificate': certificate,
  'cert-manager.io/Issuer': readyCondition('Ready', 'Initializing issuer'),
  'cert-manager.io/ClusterIssuer': readyCondition('Ready', 'Initializing ClusterIssuer'),
  'postgresql.cnpg.io/Cluster': cnpgCluster,
  'kafka.strimzi.io/Kafka': kafka,
  'external-secrets.io/ExternalSecret': externalSecret,
  'external-secrets.io/SecretStore': secretStore,
  'external-secrets.io/ClusterSecretStore': secretStore,
  'bitnami.com/SealedSecret': readyCondition('Synced', 'Waiting for Sealed Secret to be decrypted'),
  'argoproj.io/Rollout': rollout,
};

/** Health of one of these custom resources, or undefined for any other kind. */
export function assessCrdHealth(obj: KubeObject): HealthStatus | undefined {
  return checks[`${groupOf(obj.apiVersion)}/${obj.kind}`]?.(obj);
}
