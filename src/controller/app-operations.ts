// Requesting operations on an Application the way Argo CD's API server and
// CLI do: by writing its `operation` field (the controller runs it), or, to
// terminate, by setting `status.operationState.phase` to Terminating; and
// deleting with or without its resources through the resources finalizer.
// Shared by `capstan app` and the API server. The manual-sync checks are
// Argo CD's: the project must exist and its sync windows must let a manual
// sync through; an operation is refused while another one runs, and the
// write carries the resourceVersion it was decided on, so two requests at
// once cannot both start one.
import type { AppProject } from '../api/app-project.ts';
import type { Application } from '../api/application.ts';
import type { Operation } from '../api/application-status.ts';
import type { KubeObject } from '../api/kube-object.ts';
import { deletionApprovedAnnotation } from '../api/sync-annotations.ts';
import { CapstanError } from '../errors.ts';
import type { KubeClient } from '../kube/kube-client.ts';
import { canSync, matchingWindows } from '../project/sync-windows.ts';
import { resourcesFinalizer } from './app-deletion.ts';

export const appApiVersion = 'argoproj.io/v1alpha1';

export async function getApp(client: KubeClient, namespace: string, name: string): Promise<Application> {
  const app = await client.get(appApiVersion, 'Application', namespace, name);
  if (app === undefined) throw new CapstanError('NotFound', `application "${name}" not found in namespace ${namespace}`);
  return app as unknown as Application;
}

const appRef = (namespace: string, name: string): KubeObject => ({ apiVersion: appApiVersion, kind: 'Application', metadata: { name, namespace } });

/**
 * Refuses a manual sync as Argo CD's API server does: when the app's project
 * does not exist, or its sync windows do not let a manual sync through now.
 */
export function assertManualSyncAllowedBy(project: AppProject | undefined, app: Application, now = Date.now()): void {
  if (project === undefined) {
    throw new CapstanError('InvalidArgument', `application references project ${app.spec.project} which does not exist`);
  }
  const windows = matchingWindows(project.spec.syncWindows, { name: app.metadata.name ?? '', destination: app.spec.destination ?? {} });
  const decision = canSync(windows, true, now);
  if (!decision.allowed) {
    throw new CapstanError('PermissionDenied', `cannot sync: blocked by sync window${decision.error ? `: ${decision.error}` : ''}`);
  }
}

export async function assertManualSyncAllowed(client: KubeClient, app: Application, now = Date.now()): Promise<void> {
  const project = await client.get(appApiVersion, 'AppProject', app.metadata.namespace, app.spec.project) as unknown as AppProject | undefined;
  assertManualSyncAllowedBy(project, app, now);
}

export function hasOperationInProgress(app: Application): boolean {
  const phase = app.status?.operationState?.phase;
  return app.operation !== undefined || phase === 'Running' || phase === 'Terminating';
}

export function isAutomated(app: Application): boolean {
  const automated = app.spec.syncPolicy?.automated;
  return automated !== undefined && automated !== null && automated.enabled !== false;
}

/**
 * Requests an operation; refuses while another one runs (also when one started
 * since `app` was read). `initiatedBy` names who asked. Returns the updated app
 * and the time it was requested.
 */
export async function requestOperation(client: KubeClient, app: Application, operation: Operation, initiatedBy: string): Promise<{ app: Application; requested: string }> {
  if (hasOperationInProgress(app)) {
    throw new CapstanError('OperationInProgress', `another operation is already in progress on application "${app.metadata.name}"`);
  }
  const requested = new Date().toISOString();
  try {
    const updated = await client.patch(appRef(app.metadata.namespace!, app.metadata.name!),
      { metadata: { resourceVersion: app.metadata.resourceVersion }, operation: { ...operation, initiatedBy: { username: initiatedBy } } }, 'merge');
    return { app: updated as unknown as Application, requested };
  } catch (err) {
    if ((err as { status?: number }).status === 409) {
      throw new CapstanError('OperationInProgress', `application "${app.metadata.name}" changed while the operation was requested; another operation may be in progress`);
    }
    throw err;
  }
}

/** The sync a rollback to history entry `id` requests (Argo CD's Rollback): that entry's revision(s). */
export function rollbackOperation(app: Application, id: number | string, options: { dryRun?: boolean; prune?: boolean } = {}): Operation {
  if (isAutomated(app) && !options.dryRun) throw new CapstanError('FailedPrecondition', 'rollback cannot be initiated when auto-sync is enabled');
  const entry = app.status?.history?.find((h) => String(h.id) === String(id));
  if (entry === undefined) throw new CapstanError('InvalidArgument', `application ${app.metadata.name} does not have deployment with id ${id}`);
  return { sync: { ...(entry.revisions ? { revisions: entry.revisions } : { revision: entry.revision ?? '' }),
    prune: options.prune ?? false, dryRun: options.dryRun ?? false } };
}

export async function terminateOperation(client: KubeClient, app: Application): Promise<void> {
  if (app.status?.operationState?.phase !== 'Running') {
    throw new CapstanError('NoOperation', `application "${app.metadata.name}" has no running operation`);
  }
  await client.patch(appRef(app.metadata.namespace!, app.metadata.name!), { status: { operationState: { phase: 'Terminating' } } }, 'merge');
}

/**
 * Approves the Prune=confirm and Delete=confirm deletions the app waits for
 * (`argocd app confirm-deletion`): the deletion-approved annotation set to now.
 */
export async function confirmDeletion(client: KubeClient, app: Application, now = new Date()): Promise<string> {
  const at = now.toISOString().replace(/\.\d+Z$/, 'Z');
  await client.patch(appRef(app.metadata.namespace!, app.metadata.name!), { metadata: { annotations: { [deletionApprovedAnnotation]: at } } }, 'merge');
  return at;
}

/**
 * The finalizers a deletion leaves on the app (Argo CD's Delete): cascade
 * keeps or adds the resources finalizer — `…/background` for the background
 * propagation policy — and without cascade it is removed, so the resources
 * stay. `cascade` undefined leaves the finalizers as they are.
 */
export function deletionFinalizers(finalizers: readonly string[], cascade: boolean | undefined, propagationPolicy = ''): string[] {
  const policy = propagationPolicy.toLowerCase();
  if (policy !== '' && policy !== 'foreground' && policy !== 'background') {
    throw new CapstanError('InvalidArgument', `invalid propagation policy: ${propagationPolicy}`);
  }
  if (cascade === undefined) return [...finalizers];
  const others = finalizers.filter((f) => f !== resourcesFinalizer && !f.startsWith(`${resourcesFinalizer}/`));
  if (!cascade) return others;
  const present = finalizers.find((f) => f === resourcesFinalizer || f.startsWith(`${resourcesFinalizer}/`));
  if (present !== undefined && policy === '') return [...finalizers];
  return [...others, policy === 'background' ? `${resourcesFinalizer}/background` : resourcesFinalizer];
}

/** Deletes an app, first setting the finalizers the cascade choice calls for. */
export async function deleteApplication(client: KubeClient, app: Application, cascade: boolean | undefined, propagationPolicy = ''): Promise<void> {
  const current = app.metadata.finalizers ?? [];
  const want = deletionFinalizers(current, cascade, propagationPolicy);
  const ref = appRef(app.metadata.namespace!, app.metadata.name!);
  if (JSON.stringify(want) !== JSON.stringify(current)) await client.patch(ref, { metadata: { finalizers: want } }, 'merge');
  await client.delete(ref);
}
