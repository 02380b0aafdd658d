// Which application an object belongs to, read as Argo CD reads it: the
// `argocd.argoproj.io/tracking-id` annotation
// (`<app>:<group>/<Kind>:<namespace>/<name>`, only when it refers to the object
// itself, so a copied annotation does not count), or the instance label
// (`app.kubernetes.io/instance` by default) under label tracking.
import { groupOf, type KubeObject } from '../../api/kube-object.ts';

export const trackingIdAnnotation = 'argocd.argoproj.io/tracking-id';
export const defaultInstanceLabel = 'app.kubernetes.io/instance';

export type TrackingMethod = 'annotation' | 'annotation+label' | 'label';

export interface TrackingOptions {
  readonly method?: TrackingMethod;
  readonly instanceLabelKey?: string;
}

export interface TrackingId {
  readonly appName: string;
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

export function parseTrackingId(value: string): TrackingId | undefined {
  const m = /^([^:]+):([^/:]*)\/([^:]+):([^/]*)\/(.+)$/.exec(value);
  if (m === null) return undefined;
  return { appName: m[1]!, group: m[2]!, kind: m[3]!, namespace: m[4]!, name: m[5]! };
}

export function formatTrackingId(appName: string, obj: KubeObject): string {
  return `${appName}:${groupOf(obj.apiVersion)}/${obj.kind}:${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}

/** The app an object is tracked by, or undefined. */
export function trackedAppOf(obj: KubeObject, options: TrackingOptions = {}): string | undefined {
  const method = options.method ?? 'annotation';
  if (method === 'label') return obj.metadata.labels?.[options.instanceLabelKey ?? defaultInstanceLabel];
  const raw = obj.metadata.annotations?.[trackingIdAnnotation];
  if (raw === undefined) return undefined;
  const id = parseTrackingId(raw);
  if (id === undefined) return undefined;
  // As Argo CD's isSelfReferencedObj: a cluster-scoped object matches whatever namespace the id names
  // (a kind's scope may be unknown when the id is written, e.g. a CR whose CRD comes in the same sync).
  const namespace = obj.metadata.namespace ?? '';
  const selfReferencing = id.group === groupOf(obj.apiVersion) && id.kind === obj.kind
    && id.name === (obj.metadata.name ?? '') && (namespace === '' || id.namespace === namespace);
  return selfReferencing ? id.appName : undefined;
}
