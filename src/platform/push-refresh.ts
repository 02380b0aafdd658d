// A push to the local platform's git server: the Applications with a source,
// and the ApplicationSets with a git generator, that read the pushed
// repository (under any of its URLs: cnoe://<name>, the server's clone URL)
// are asked to refresh, so the push is synced at once rather than at the next
// reconciliation period.
import { applicationRefreshAnnotation, sourcesOf, type Application } from '../api/application.ts';
import { applicationSetRefreshAnnotation, type ApplicationSet } from '../api/application-set.ts';
import type { KubeObject } from '../api/kube-object.ts';
import { gitRepositories } from '../appset/generators/requeue.ts';
import type { KubeClient } from '../kube/kube-client.ts';

export interface PushRefreshResult {
  readonly applications: readonly string[];
  readonly applicationSets: readonly string[];
}

const argo = 'argoproj.io/v1alpha1';

/** Refreshes what reads any of `urls` (compared without a trailing `.git` or `/`). */
export async function refreshReadersOf(client: KubeClient, namespace: string, urls: Iterable<string>): Promise<PushRefreshResult> {
  const norm = (u: string): string => u.replace(/\/+$/, '').replace(/\.git$/, '');
  const wanted = new Set([...urls].map(norm));
  const reads = (url: string | undefined): boolean => url !== undefined && wanted.has(norm(url));
  const apps = (await client.list(argo, 'Application', { namespace })) as unknown as Application[];
  const sets = (await client.list(argo, 'ApplicationSet', { namespace })) as unknown as ApplicationSet[];
  const appHits = apps.filter((a) => sourcesOf(a.spec).some((s) => reads(s.repoURL)));
  const setHits = sets.filter((s) => gitRepositories(s.spec.generators ?? []).some(reads));
  const patch = (kind: string, name: string, annotation: string, value: string): Promise<KubeObject> =>
    client.patch({ apiVersion: argo, kind, metadata: { name, namespace } }, { metadata: { annotations: { [annotation]: value } } }, 'merge');
  await Promise.all([
    ...appHits.map((a) => patch('Application', a.metadata.name!, applicationRefreshAnnotation, 'normal')),
    ...setHits.map((s) => patch('ApplicationSet', s.metadata.name!, applicationSetRefreshAnnotation, 'true')),
  ]);
  return { applications: appHits.map((a) => a.metadata.name!), applicationSets: setHits.map((s) => s.metadata.name!) };
}
