// Reading and changing Applications through the Kubernetes API for the CLI:
// operations are requested by writing `operation`, as Argo CD's CLI does.
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppProject } from '../../api/app-project.ts';
import type { Application } from '../../api/application.ts';
import type { Operation } from '../../api/application-status.ts';
import { CapstanError } from '../../errors.ts';
import { appApiVersion, getApp, requestOperation as requestAppOperation } from '../../controller/app-operations.ts';
import type { KubeClient } from '../../kube/kube-client.ts';
import { describeWindow, matchingWindows, syncWindowSummary } from '../../project/sync-windows.ts';

export { appApiVersion, assertManualSyncAllowed, getApp, terminateOperation } from '../../controller/app-operations.ts';

export async function listApps(client: KubeClient, namespace: string): Promise<Application[]> {
  return (await client.list(appApiVersion, 'Application', { namespace })) as unknown as Application[];
}

/** The sync window state and the windows assigned to the app, when any applies (for `app get`). */
export async function windowLines(client: KubeClient, app: Application, now = Date.now()): Promise<{ state: string; assigned: string[] } | undefined> {
  const project = await client.get(appApiVersion, 'AppProject', app.metadata.namespace, app.spec.project) as unknown as AppProject | undefined;
  const windows = matchingWindows(project?.spec.syncWindows, { name: app.metadata.name ?? '', destination: app.spec.destination ?? {} });
  const state = syncWindowSummary(windows, now);
  return state === undefined ? undefined : { state, assigned: windows.map(describeWindow) };
}

/** Requests an operation as the local user; refuses while another one runs. Returns the time it was requested. */
export async function requestOperation(client: KubeClient, app: Application, operation: Operation): Promise<string> {
  return (await requestAppOperation(client, app, operation, os.userInfo().username)).requested;
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
