// Deleting an Application: with `resources-finalizer.argocd.argoproj.io`
// (or its /foreground and /background forms) every live object the app
// tracks is deleted with that propagation — objects with Delete=false (on the
// object, or in the app's sync options when the object says nothing) stay —
// and the finalizer is removed once none is left; without it the app goes and
// its objects stay. Only objects carrying this app's own tracking are ever
// deleted; the kinds its status lists are watched first, so a controller that
// just started still finds them all. `client` and `live` are the destination
// cluster's, `appClient` the control plane's. When the destination names no
// cluster any more (its Secret is gone), nothing can be deleted there: as
// Argo CD does, the finalizer is removed and the app goes (`releaseApplication`).
// An object with Delete=confirm holds the whole deletion — nothing is deleted —
// until the app's `deletion-approved` annotation is no older than its
// deletionTimestamp.
import type { Application } from '../api/application.ts';
import type { KubeObject } from '../api/kube-object.ts';
import { deletionApproved, hookFinalizer } from '../api/sync-annotations.ts';
import type { LiveCache } from '../kube/cache/live-cache.ts';
import type { KubeClient } from '../kube/kube-client.ts';
import { optionValue } from '../sync/plan/sync-options.ts';

export const resourcesFinalizer = 'resources-finalizer.argocd.argoproj.io';

export interface DeletionStep {
  /** Objects still being deleted; the app is requeued until none is left. */
  readonly remaining: number;
  readonly finalizerRemoved: boolean;
  /** Delete=confirm objects waiting for the deletion-approved annotation (nothing was deleted). */
  readonly awaitingConfirmation?: readonly string[];
}

const ourFinalizers = (finalizers: readonly string[]): string[] =>
  finalizers.filter((f) => f === resourcesFinalizer || f.startsWith(`${resourcesFinalizer}/`));

export async function finalizeApplication(app: Application, client: KubeClient, live: Pick<LiveCache, 'ensureWatching' | 'managedBy'>,
  appClient: KubeClient = client): Promise<DeletionStep> {
  const finalizers = app.metadata.finalizers ?? [];
  const ours = ourFinalizers(finalizers);
  if (ours.length === 0) return { remaining: 0, finalizerRemoved: false };
  const policy = ours.some((f) => f.endsWith('/background')) ? 'Background' : 'Foreground';
  const kinds = new Map((app.status?.resources ?? []).map((r) => {
    const apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
    return [`${apiVersion}/${r.kind}`, [apiVersion, r.kind] as const];
  }));
  // A kind the server no longer serves has nothing left to delete.
  await Promise.all([...kinds.values()].map(([v, k]) => live.ensureWatching(v, k).catch(() => undefined)));
  const managed: KubeObject[] = live.managedBy(app.metadata.name!);
  const appOptions = app.spec.syncPolicy?.syncOptions ?? [];
  const toDelete = managed.filter((o) => optionValue(o, appOptions, 'Delete') !== 'false');
  const guarded = toDelete.filter((o) => optionValue(o, appOptions, 'Delete') === 'confirm');
  if (guarded.length > 0 && !deletionApproved(app.metadata.annotations, app.metadata.deletionTimestamp ?? '')) {
    return { remaining: guarded.length, finalizerRemoved: false,
      awaitingConfirmation: guarded.map((o) => `${o.apiVersion}/${o.kind}/${o.metadata.name ?? ''}`) };
  }
  let remaining = 0;
  for (const obj of toDelete) {
    const existed = obj.metadata.deletionTimestamp !== undefined ? true : await client.delete(obj, { propagationPolicy: policy });
    if (existed) remaining++;
    // A hook's finalizer is the engine's own: nothing else removes it once the app goes.
    const finalizersOf = obj.metadata.finalizers ?? [];
    if (obj.metadata.deletionTimestamp !== undefined && finalizersOf.includes(hookFinalizer)) {
      await client.patch(obj, { metadata: { finalizers: finalizersOf.filter((f) => f !== hookFinalizer),
        resourceVersion: obj.metadata.resourceVersion } }, 'merge').catch(() => undefined);
    }
  }
  if (remaining > 0) return { remaining, finalizerRemoved: false };
  await releaseApplication(app, appClient);
  return { remaining: 0, finalizerRemoved: true };
}

/** Removes the resources finalizer without deleting anything (the app's cluster is no longer known). */
export async function releaseApplication(app: Application, appClient: KubeClient): Promise<boolean> {
  const finalizers = app.metadata.finalizers ?? [];
  const ours = ourFinalizers(finalizers);
  if (ours.length === 0) return false;
  await appClient.patch(app as unknown as KubeObject, { metadata: { finalizers: finalizers.filter((f) => !ours.includes(f)),
    resourceVersion: app.metadata.resourceVersion } }, 'merge');
  return true;
}
