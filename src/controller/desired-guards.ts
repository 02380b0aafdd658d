// Guards on an app's state before it is compared or synced: kinds argocd-cm
// excludes are left out with Argo CD's ExcludedResourceWarning (desired) or
// silently (live: never compared, never pruned), and
// an unreachable cluster is never compared (a stale or empty cache would look
// like drift or "all missing"). Exclusions may name clusters, so each check
// takes the destination's server (the in-cluster one by default).
import { groupOf, type KubeObject } from '../api/kube-object.ts';
import { CapstanError, describeError } from '../errors.ts';
import { KubeApiError } from '../kube/api-error.ts';
import type { LiveCache } from '../kube/cache/live-cache.ts';
import type { EngineSettings } from '../settings/argocd-cm.ts';
import { isExcludedResource } from '../settings/resource-filter.ts';
import type { AppCondition } from '../status/conditions.ts';

const inClusterServer = 'https://kubernetes.default.svc';

/** Desired objects of kinds argocd-cm excludes are left out, with a warning (Argo CD's ExcludedResourceWarning). */
export function withoutExcluded(desired: readonly KubeObject[], settings: EngineSettings, conditions: AppCondition[],
  server = inClusterServer): KubeObject[] {
  const excluded = desired.filter((o) => isExcludedResource(settings, groupOf(o.apiVersion), o.kind, server));
  if (excluded.length === 0) return [...desired];
  conditions.push({ type: 'ExcludedResourceWarning',
    message: excluded.map((o) => `Resource ${groupOf(o.apiVersion)}/${o.kind} ${o.metadata.name ?? ''} is excluded in the settings`).join('; ') });
  return desired.filter((o) => !excluded.includes(o));
}

/** An unreachable cluster is never compared: a stale or empty cache would look like drift or "all missing". */
export async function assertReachable(live: LiveCache): Promise<void> {
  const unreachable = await live.unreachable();
  if (unreachable !== undefined) throw new CapstanError('ClusterUnreachable', unreachable, { retry: 'transient' });
}

/** The live objects an app tracks, without kinds argocd-cm excludes (never compared, never pruned). */
export function managedLive(live: LiveCache, name: string, settings: EngineSettings, server = inClusterServer): KubeObject[] {
  return live.managedBy(name).filter((o) => !isExcludedResource(settings, groupOf(o.apiVersion), o.kind, server));
}

/** A destination whose API cannot be read (discovery failed), named: unreachable when no answer came at all. */
export function clusterReadFailure(cluster: string, err: unknown): CapstanError {
  const noAnswer = err instanceof KubeApiError && err.status === 0;
  return new CapstanError('ClusterUnreachable', noAnswer ? `cluster ${cluster} is unreachable: ${describeError(err)}`
    : `cannot read the API of cluster ${cluster}: ${describeError(err)}`, { retry: 'transient', cause: err });
}
