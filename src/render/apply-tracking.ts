// After rendering, every object gets Argo CD's tracking (the
// `argocd.argoproj.io/tracking-id` annotation, and/or the instance label,
// per `application.resourceTrackingMethod`), and namespaced objects without a
// namespace get the destination namespace.
import { groupOf, type KubeObject } from '../api/kube-object.ts';
import { defaultInstanceLabel, formatTrackingId, trackingIdAnnotation, type TrackingOptions } from '../kube/cache/tracking.ts';

/** Kinds that are cluster-scoped in every Kubernetes release (group/Kind). */
const clusterScoped = new Set([
  '/Namespace', '/Node', '/PersistentVolume', '/ComponentStatus',
  'rbac.authorization.k8s.io/ClusterRole', 'rbac.authorization.k8s.io/ClusterRoleBinding',
  'apiextensions.k8s.io/CustomResourceDefinition', 'storage.k8s.io/StorageClass', 'storage.k8s.io/CSIDriver',
  'storage.k8s.io/CSINode', 'storage.k8s.io/VolumeAttachment', 'scheduling.k8s.io/PriorityClass',
  'networking.k8s.io/IngressClass', 'apiregistration.k8s.io/APIService', 'node.k8s.io/RuntimeClass',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration', 'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy', 'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'certificates.k8s.io/CertificateSigningRequest', 'flowcontrol.apiserver.k8s.io/FlowSchema',
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration', 'policy/PodSecurityPolicy',
  'cert-manager.io/ClusterIssuer', 'external-secrets.io/ClusterSecretStore', 'gateway.networking.k8s.io/GatewayClass',
]);

export type NamespacedLookup = (apiVersion: string, kind: string) => boolean | undefined;

/** Well-known scope, else the caller's discovery, else namespaced. */
export function isNamespacedKind(apiVersion: string, kind: string, lookup?: NamespacedLookup): boolean {
  const known = lookup?.(apiVersion, kind);
  if (known !== undefined) return known;
  return !clusterScoped.has(`${groupOf(apiVersion)}/${kind}`);
}

export interface TrackingInput {
  readonly appName: string;
  readonly namespace: string;
  readonly tracking?: TrackingOptions;
  readonly isNamespaced?: NamespacedLookup;
}

export function applyTracking(objects: readonly KubeObject[], input: TrackingInput): KubeObject[] {
  const method = input.tracking?.method ?? 'annotation';
  const labelKey = input.tracking?.instanceLabelKey ?? defaultInstanceLabel;
  return objects.map((obj) => {
    const metadata = { ...obj.metadata };
    if (!metadata.namespace && input.namespace && isNamespacedKind(obj.apiVersion, obj.kind, input.isNamespaced)) {
      metadata.namespace = input.namespace;
    }
    const out: KubeObject = { ...obj, metadata };
    if (method !== 'label') metadata.annotations = { ...metadata.annotations, [trackingIdAnnotation]: formatTrackingId(input.appName, out) };
    if (method !== 'annotation') metadata.labels = { ...metadata.labels, [labelKey]: input.appName.slice(0, 63) };
    return out;
  });
}
