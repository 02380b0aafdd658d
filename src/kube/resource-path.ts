// URL paths of Kubernetes resources and the way errors name an object. Pure:
// /api/v1 for the core group, /apis/<group>/<version> for the rest,
// /namespaces/<ns> for namespaced resources, then the plural resource, the
// name and an optional subresource (status, scale).

/** What an operation was about, for error messages and logs. */
export interface KubeTarget {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name?: string;
}

/** The part of a discovered resource that a URL needs. */
export interface ResourceLocation {
  readonly apiVersion: string;
  /** Plural resource name used in URLs. */
  readonly resource: string;
  readonly namespaced: boolean;
}

/** Group and version of an apiVersion: "v1" is the core group "". */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** /api/v1 or /apis/<group>/<version>: the discovery document of one group version. */
export function groupVersionPath(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

/**
 * URL path of a collection or object: /api/v1/namespaces/ns/configmaps[/name[/sub]].
 * A namespaced resource without a namespace is the all-namespaces collection;
 * a cluster-scoped resource ignores the namespace.
 */
export function resourcePath(res: ResourceLocation, namespace: string | undefined, name?: string, subresource?: string): string {
  const ns = res.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const object = name === undefined || name === '' ? '' : `/${encodeURIComponent(name)}`;
  const sub = object !== '' && subresource ? `/${encodeURIComponent(subresource)}` : '';
  return `${groupVersionPath(res.apiVersion)}${ns}/${res.resource}${object}${sub}`;
}

/** "apps/v1 Deployment ns/web", "v1 Namespace prod", "v1 ConfigMap in namespace ns". */
export function describeTarget(t: KubeTarget): string {
  const head = `${t.apiVersion} ${t.kind}`;
  if (t.name) return `${head} ${t.namespace ? `${t.namespace}/` : ''}${t.name}`;
  if (t.namespace) return `${head} in namespace ${t.namespace}`;
  return head;
}
