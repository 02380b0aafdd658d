// Deleting an ApplicationSet (Argo CD's Reconcile on a deletionTimestamp):
// the generated Applications are owned by it, so Kubernetes' garbage
// collector deletes them — and, through their resources finalizer, what they
// deployed. When the ApplicationSet carries
// `resources-finalizer.argocd.argoproj.io` and its policy does not allow
// deletion (create-only, create-update), the owner references are removed
// first so the Applications stay; then the finalizer is removed.
import type { Application } from '../api/application.ts';
import type { ApplicationSet, ApplicationsSyncPolicy } from '../api/application-set.ts';
import type { KubeObject } from '../api/kube-object.ts';
import type { KubeClient } from '../kube/kube-client.ts';

export const appSetFinalizer = 'resources-finalizer.argocd.argoproj.io';

export async function finalizeApplicationSet(appSet: ApplicationSet, owned: readonly Application[], client: KubeClient,
  policy: ApplicationsSyncPolicy): Promise<void> {
  const finalizers = appSet.metadata.finalizers ?? [];
  if (!finalizers.includes(appSetFinalizer)) return;
  if (policy !== 'sync' && policy !== 'create-delete') {
    for (const app of owned) {
      const refs = (app.metadata.ownerReferences ?? []).filter((r) => !(r.kind === 'ApplicationSet' && r.name === appSet.metadata.name));
      await client.patch(app as unknown as KubeObject, { metadata: { ownerReferences: refs.length > 0 ? refs : null } }, 'merge');
    }
  }
  await client.patch(appSet as unknown as KubeObject, { metadata: { finalizers: finalizers.filter((f) => f !== appSetFinalizer),
    resourceVersion: appSet.metadata.resourceVersion } }, 'merge');
}
