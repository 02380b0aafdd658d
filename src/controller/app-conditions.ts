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
import {
  isAppNamespacePermitted, isDestinationPermitted, isGroupKindPermitted, isSourcePermitted, type ProjectCluster, type ResolvedDestination,
} from '../project/permissions.ts';
import type { PlanResource } from '../sync/plan/plan-sync.ts';
import type { AppCondition } from '../status/conditions.ts';
import type { DestinationResolution } from './app-destination.ts';

/**
 * Conditions from the app's spec and project, as Argo CD's
 * refreshAppConditions and ValidatePermissions write them: InvalidSpecError
 * for a missing project, each source repository the project does not permit
 * (every source of a multi-source app), a destination that does not resolve
 * or that the project does not permit; UnknownError when the app's namespace
 * may not use the project (sourceNamespaces).
 */
export function specErrors(app: Application, project: AppProject | undefined, destination: DestinationResolution,
  controllerNamespace: string, projectClusters: readonly ProjectCluster[] = []): AppCondition[] {
  const invalid = (message: string): AppCondition => ({ type: 'InvalidSpecError', message });
  if (project === undefined) return [invalid(`Application referencing project ${app.spec.project} which does not exist`)];
  if (!isAppNamespacePermitted(project.spec, app.metadata.namespace, controllerNamespace)) {
    return [{ type: 'UnknownError',
      message: `application '${app.metadata.name ?? ''}' in namespace '${app.metadata.namespace ?? ''}' is not permitted to use project '${app.spec.project}'` }];
  }
  const errors: AppCondition[] = [];
  for (const s of sourcesOf(app.spec)) {
    if (!isSourcePermitted(project.spec, s.repoURL)) errors.push(invalid(`application repo ${s.repoURL} is not permitted in project '${app.spec.project}'`));
  }
  if (destination.error !== undefined) {
    errors.push(invalid(destination.error));
    return errors;
  }
  const namespace = app.spec.destination?.namespace ?? '';
  if (!isDestinationPermitted(project.spec, { ...destination.resolved, namespace }, projectClusters)) {
    // As Argo CD, the message shows the spec's server (empty for a destination by name).
    errors.push(invalid(`application destination server '${app.spec.destination?.server ?? ''}' and namespace '${namespace}' do not match any of the allowed destinations in project '${app.spec.project}'`));
  }
  return errors;
}

/** Why the project forbids syncing an object (Argo CD's sync permission validator); undefined when allowed. */
export function projectPermissionError(project: AppProject, obj: KubeObject, namespaced: boolean,
  destination: ResolvedDestination, projectClusters: readonly ProjectCluster[] = []): string | undefined {
  const group = groupOf(obj.apiVersion);
  const name = project.metadata.name ?? '';
  if (!isGroupKindPermitted(project.spec, group, obj.kind, namespaced, obj.metadata.name)) {
    return `resource ${group}:${obj.kind} is not permitted in project ${name}`;
  }
  if (namespaced && !isDestinationPermitted(project.spec, { ...destination, namespace: obj.metadata.namespace ?? '' }, projectClusters)) {
    return `namespace ${obj.metadata.namespace ?? ''} is not permitted in project '${name}'`;
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
