// Reading and changing Applications through the Kubernetes API for the CLI:
// operations are requested by writing `operation`, as Argo CD's CLI does.
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppProject } from '../../api/app-project.ts';
import type { Application } from '../../api/application.ts';
import type { Operation } from '../../api/application-status.ts';
import type { KubeObject } from '../../api/kube-object.ts';
import { CapstanError } from '../../errors.ts';
import type { KubeClient } from '../../kube/kube-client.ts';
import { canSync, describeWindow, matchingWindows, syncWindowSummary } from '../../project/sync-windows.ts';

export const appApiVersion = 'argoproj.io/v1alpha1';

export async function getApp(client: KubeClient, namespace: string, name: string): Promise<Application> {
  const app = await client.get(appApiVersion, 'Application', namespace, name);
  if (app === undefined) throw new CapstanError('NotFound', `application "${name}" not found in namespace ${namespace}`);
  return app as unknown as Application;
}

export async function listApps(client: KubeClient, namespace: string): Promise<Application[]> {
  return (await client.list(appApiVersion, 'Application', { namespace })) as unknown as Application[];
}

const ref = (namespace: string, name: string): KubeObject => ({ apiVersion: appApiVersion, kind: 'Application', metadata: { name, namespace } });

/**
 * Refuses a manual sync as Argo CD's API server does: when the app's project
 * does not exist, or its sync windows do not let a manual sync through now.
 */
export async function assertManualSyncAllowed(client: KubeClient, app: Application, now = Date.now()): Promise<void> {
  const project = await client.get(appApiVersion, 'AppProject', app.metadata.namespace, app.spec.project) as unknown as AppProject | undefined;
  if (project === undefined) {
    throw new CapstanError('InvalidArgument', `application references project ${app.spec.project} which does not exist`);
  }
  const windows = matchingWindows(project.spec.syncWindows, { name: app.metadata.name ?? '', destination: app.spec.destination ?? {} });
  const decision = canSync(windows, true, now);
  if (!decision.allowed) {
    throw new CapstanError('PermissionDenied', `cannot sync: blocked by sync window${decision.error ? `: ${decision.error}` : ''}`);
  }
}

/** The sync window state and the windows assigned to the app, when any applies (for `app get`). */
export async function windowLines(client: KubeClient, app: Application, now = Date.now()): Promise<{ state: string; assigned: string[] } | undefined> {
  const project = await client.get(appApiVersion, 'AppProject', app.metadata.namespace, app.spec.project) as unknown as AppProject | undefined;
  const windows = matchingWindows(project?.spec.syncWindows, { name: app.metadata.name ?? '', destination: app.spec.destination ?? {} });
  const state = syncWindowSummary(windows, now);
  return state === undefined ? undefined : { state, assigned: windows.map(describeWindow) };
}

/** Requests an operation; refuses while another one runs. Returns the time it was requested. */
export async function requestOperation(client: KubeClient, app: Application, operation: Operation): Promise<string> {
  const phase = app.status?.operationState?.phase;
  if (app.operation !== undefined || phase === 'Running' || phase === 'Terminating') {
    throw new CapstanError('OperationInProgress', `another operation is already in progress on application "${app.metadata.name}"`);
  }
  const requested = new Date().toISOString();
  await client.patch(ref(app.metadata.namespace!, app.metadata.name!),
    { operation: { ...operation, initiatedBy: { username: os.userInfo().username } } }, 'merge');
  return requested;
}

/** Waits until the operation requested at `since` has finished; returns the final app. */
export async function waitForOperation(client: KubeClient, namespace: string, name: string, since: string, timeoutMs: number): Promise<Application> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const app = await getApp(client, namespace, name);
    const st = app.status?.operationState;
    if (app.operation === undefined && st?.finishedAt !== undefined && st.startedAt >= since.slice(0, 19)) return app;
    if (Date.now() > deadline) throw new CapstanError('Timeout', `operation on "${name}" did not finish within ${timeoutMs / 1000} s`);
    await sleep(500);
  }
}

export async function terminateOperation(client: KubeClient, app: Application): Promise<void> {
  if (app.status?.operationState?.phase !== 'Running') {
    throw new CapstanError('NoOperation', `application "${app.metadata.name}" has no running operation`);
  }
  await client.patch(ref(app.metadata.namespace!, app.metadata.name!), { status: { operationState: { phase: 'Terminating' } } }, 'merge');
}
