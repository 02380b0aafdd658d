// The scope of kinds the API server does not serve yet but whose CRD comes in
// the same app: a custom resource of a cluster-scoped CRD gets no namespace,
// and its tracking id names none, from the first sync on (otherwise the
// destination namespace would be stamped on it until the CRD exists, and the
// object would show a tracking difference after its first apply).
import { groupOf, type KubeObject } from '../api/kube-object.ts';
import { formatTrackingId, parseTrackingId, trackingIdAnnotation } from '../kube/cache/tracking.ts';

interface CrdSpec { group?: string; scope?: string; names?: { kind?: string }; versions?: Array<{ name?: string }> }

/** apiVersion/kind → namespaced, for the kinds the CRDs among `objects` define. */
export function crdScopes(objects: readonly KubeObject[]): Map<string, boolean> {
  const scopes = new Map<string, boolean>();
  for (const o of objects) {
    if (o.kind !== 'CustomResourceDefinition' || groupOf(o.apiVersion) !== 'apiextensions.k8s.io') continue;
    const spec = o['spec'] as CrdSpec | undefined;
    if (!spec?.group || !spec.names?.kind) continue;
    for (const v of spec.versions ?? []) if (v.name) scopes.set(`${spec.group}/${v.name}/${spec.names.kind}`, spec.scope !== 'Cluster');
  }
  return scopes;
}

/** Removes the namespace (and fixes the tracking id) of objects of not-yet-served kinds their CRD makes cluster-scoped. */
export function applyCrdScopes(objects: KubeObject[], isServed: (apiVersion: string, kind: string) => boolean): KubeObject[] {
  const scopes = crdScopes(objects);
  if (![...scopes.values()].includes(false)) return objects;
  return objects.map((o) => {
    if (!o.metadata.namespace || isServed(o.apiVersion, o.kind) || scopes.get(`${o.apiVersion}/${o.kind}`) !== false) return o;
    const { namespace: _ns, ...metadata } = o.metadata;
    const fixed: KubeObject = { ...o, metadata };
    const id = metadata.annotations?.[trackingIdAnnotation];
    const app = id === undefined ? undefined : parseTrackingId(id)?.appName;
    if (app !== undefined) metadata.annotations = { ...metadata.annotations, [trackingIdAnnotation]: formatTrackingId(app, fixed) };
    return fixed;
  });
}
