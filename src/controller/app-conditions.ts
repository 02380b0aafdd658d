// Conditions an Application gets from its spec, its project and its live
// objects, with Argo CD's messages: InvalidSpecError for a missing project,
// a source repository or destination the project does not permit, or a
// destination Capstan cannot reach; SharedResourceWarning for each desired
// object whose live copy carries another application's tracking
// (FailOnSharedResource turns it into a failed sync); OrphanedResourceWarning
// when the project monitors orphaned resources and the destination namespace
// holds top-level objects no application tracks (docs: user-guide/
// orphaned-resources.md — the `default` ServiceAccount, the `kube-root-ca.crt`
// ConfigMap, kinds the project denies and `ignore` entries never count).
import type { Application } from '../api/application.ts';
import { sourcesOf } from '../api/application.ts';
import type { AppProject } from '../api/app-project.ts';
import { groupOf, type KubeObject } from '../api/kube-object.ts';
import { defaultInstanceLabel, parseTrackingId, trackingIdAnnotation, type TrackingOptions } from '../kube/cache/tracking.ts';
import { globMatch } from '../project/glob.ts';
import { isDestinationPermitted, isGroupKindPermitted, isSourcePermitted } from '../project/permissions.ts';
import type { PlanResource } from '../sync/plan/plan-sync.ts';
import type { AppCondition } from '../status/conditions.ts';

export const inClusterServer = 'https://kubernetes.default.svc';

export function isInCluster(app: Application): boolean {
  const d = app.spec.destination ?? {};
  return d.server === inClusterServer || d.name === 'in-cluster' || (!d.server && !d.name);
}

/** InvalidSpecError messages: project, permitted sources and destination, reachable destination. */
export function specErrors(app: Application, project: AppProject | undefined): string[] {
  if (project === undefined) return [`Application referencing project ${app.spec.project} which does not exist`];
  const errors: string[] = [];
  for (const s of sourcesOf(app.spec)) {
    if (!isSourcePermitted(project.spec, s.repoURL)) errors.push(`application repo ${s.repoURL} is not permitted in project '${app.spec.project}'`);
  }
  const dest = app.spec.destination ?? {};
  const server = dest.server ?? (dest.name === 'in-cluster' ? inClusterServer : '');
  if (!isInCluster(app)) {
    errors.push(`application destination ${dest.server ?? dest.name} is not a known cluster (only the in-cluster destination is supported)`);
  } else if (!isDestinationPermitted(project.spec, { ...dest, server, ...(dest.name ? {} : { name: 'in-cluster' }) })) {
    errors.push(`application destination server '${server}' and namespace '${dest.namespace ?? ''}' do not match any of the allowed destinations in project '${app.spec.project}'`);
  }
  return errors;
}

/** Why the project forbids syncing an object, as the sync reports it; undefined when allowed. */
export function projectPermissionError(project: AppProject, obj: KubeObject, namespaced: boolean, app: Application): string | undefined {
  const group = groupOf(obj.apiVersion);
  if (!isGroupKindPermitted(project.spec, group, obj.kind, namespaced)) {
    return `resource ${group}:${obj.kind} is not permitted in project ${project.metadata.name ?? app.spec.project}`;
  }
  const dest = app.spec.destination ?? {};
  if (namespaced && !isDestinationPermitted(project.spec, { server: dest.server ?? inClusterServer, name: dest.name ?? 'in-cluster',
    namespace: obj.metadata.namespace ?? '' })) {
    return `namespace ${obj.metadata.namespace ?? ''} is not permitted in project '${project.metadata.name ?? app.spec.project}'`;
  }
  return undefined;
}

/** The application name an object's tracking names (the copy of a tracking id counts, as in Argo CD). */
export function trackingAppName(obj: KubeObject, tracking: TrackingOptions = {}): string | undefined {
  if ((tracking.method ?? 'annotation') === 'label') return obj.metadata.labels?.[tracking.instanceLabelKey ?? defaultInstanceLabel];
  const raw = obj.metadata.annotations?.[trackingIdAnnotation];
  return raw === undefined ? undefined : parseTrackingId(raw)?.appName;
}

export function sharedResourceWarnings(app: Application, pairs: readonly PlanResource[], tracking?: TrackingOptions): AppCondition[] {
  const name = app.metadata.name ?? '';
  const qualified = `${app.metadata.namespace ?? ''}/${name}`;
  const out: AppCondition[] = [];
  for (const p of pairs) {
    if (p.target === undefined || p.live === undefined) continue;
    const other = trackingAppName(p.live, tracking);
    if (other !== undefined && other !== name) {
      out.push({ type: 'SharedResourceWarning',
        message: `${p.live.kind}/${p.live.metadata.name ?? ''} is part of applications ${qualified} and ${other.replaceAll('_', '/')}` });
    }
  }
  return out;
}

const neverOrphaned = (obj: KubeObject): boolean => {
  const group = groupOf(obj.apiVersion);
  return (group === '' && obj.kind === 'ServiceAccount' && obj.metadata.name === 'default')
    || (group === '' && obj.kind === 'ConfigMap' && obj.metadata.name === 'kube-root-ca.crt')
    || (group === '' && obj.kind === 'Service' && obj.metadata.name === 'kubernetes' && obj.metadata.namespace === 'default')
    || (group === '' && obj.kind === 'Secret' && (obj['type'] === 'kubernetes.io/service-account-token'));
};

/**
 * OrphanedResourceWarning ("Application has N orphaned resources") when the
 * project monitors orphans with warnings on; `objects` are the live objects
 * of the destination namespace, `isTracked` says whether any app tracks one.
 */
export function orphanedResourceWarning(project: AppProject | undefined, objects: readonly KubeObject[],
  isTracked: (obj: KubeObject) => boolean): AppCondition | undefined {
  const settings = project?.spec.orphanedResources;
  if (settings === undefined || settings === null || settings.warn === false) return undefined;
  const ignored = (obj: KubeObject): boolean => (settings.ignore ?? []).some((i) =>
    globMatch(i.group ?? '*', groupOf(obj.apiVersion)) && globMatch(i.kind ?? '*', obj.kind) && globMatch(i.name ?? '*', obj.metadata.name ?? ''));
  const orphans = objects.filter((o) => (o.metadata.ownerReferences ?? []).length === 0 && !neverOrphaned(o) && !isTracked(o)
    && isGroupKindPermitted(project!.spec, groupOf(o.apiVersion), o.kind, true) && !ignored(o));
  return orphans.length === 0 ? undefined : { type: 'OrphanedResourceWarning', message: `Application has ${orphans.length} orphaned resources` };
}
