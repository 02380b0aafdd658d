// Deleting an Application: with `resources-finalizer.argocd.argoproj.io`
// (or its /foreground and /background forms) every live object the app tracks
// is deleted (objects annotated Delete=false stay), and the finalizer is
// removed once none is left; without it the app goes and its objects stay.
import type { Application } from '../api/application.ts';
import type { KubeObject } from '../api/kube-object.ts';
import { syncOptions } from '../api/sync-annotations.ts';
import type { KubeClient } from '../kube/kube-client.ts';
import { hasResourceOption } from '../sync/plan/sync-options.ts';

export const resourcesFinalizer = 'resources-finalizer.argocd.argoproj.io';

export interface DeletionStep {
  /** Objects still being deleted; the app is requeued until none is left. */
  readonly remaining: number;
  readonly finalizerRemoved: boolean;
}

export async function finalizeApplication(app: Application, client: KubeClient, managed: readonly KubeObject[]): Promise<DeletionStep> {
  const finalizers = app.metadata.finalizers ?? [];
  const ours = finalizers.filter((f) => f === resourcesFinalizer || f.startsWith(`${resourcesFinalizer}/`));
  if (ours.length === 0) return { remaining: 0, finalizerRemoved: false };
  const policy = ours.some((f) => f.endsWith('/background')) ? 'Background' : 'Foreground';
  const toDelete = managed.filter((o) => !hasResourceOption(o, syncOptions.deleteFalse));
  let remaining = 0;
  for (const obj of toDelete) {
    const existed = obj.metadata.deletionTimestamp !== undefined ? true : await client.delete(obj, { propagationPolicy: policy });
    if (existed) remaining++;
  }
  if (remaining > 0) return { remaining, finalizerRemoved: false };
  await client.patch(app as unknown as KubeObject, { metadata: { finalizers: finalizers.filter((f) => !ours.includes(f)),
    resourceVersion: app.metadata.resourceVersion } }, 'merge');
  return { remaining: 0, finalizerRemoved: true };
}
