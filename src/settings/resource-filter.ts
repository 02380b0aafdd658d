// Which resource types the engine watches and manages, as Argo CD's
// `resource.exclusions` / `resource.inclusions` decide it
// (util/settings/resources_filter.go): the core exclusions (events,
// metrics, Leases) always apply; when `resource.exclusions` is absent, the
// list Argo CD's install manifest ships is used (Endpoints, EndpointSlices,
// APIServices, authn/authz reviews, CSRs, cert-manager CertificateRequests,
// Cilium and Kyverno internals). An excluded type is never excluded by an
// inclusion; with inclusions for the cluster, anything not included is out.
import { globMatch } from '../project/glob.ts';

export interface FilteredResource {
  readonly apiGroups?: readonly string[];
  readonly kinds?: readonly string[];
  readonly clusters?: readonly string[];
}

const coreExclusions: readonly FilteredResource[] = [
  { apiGroups: ['events.k8s.io', 'metrics.k8s.io'] },
  { apiGroups: [''], kinds: ['Event'] },
  { apiGroups: ['coordination.k8s.io'], kinds: ['Lease'] },
];

/** The `resource.exclusions` of Argo CD's install manifest (used when the key is absent). */
export const defaultExclusions: readonly FilteredResource[] = [
  { apiGroups: ['', 'discovery.k8s.io'], kinds: ['Endpoints', 'EndpointSlice'] },
  { apiGroups: ['apiregistration.k8s.io'], kinds: ['APIService'] },
  { apiGroups: ['coordination.k8s.io'], kinds: ['Lease'] },
  { apiGroups: ['authentication.k8s.io', 'authorization.k8s.io'],
    kinds: ['SelfSubjectReview', 'TokenReview', 'LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview'] },
  { apiGroups: ['certificates.k8s.io'], kinds: ['CertificateSigningRequest'] },
  { apiGroups: ['cert-manager.io'], kinds: ['CertificateRequest'] },
  { apiGroups: ['cilium.io'], kinds: ['CiliumIdentity', 'CiliumEndpoint', 'CiliumEndpointSlice'] },
  { apiGroups: ['kyverno.io', 'reports.kyverno.io', 'wgpolicyk8s.io'],
    kinds: ['PolicyReport', 'ClusterPolicyReport', 'EphemeralReport', 'ClusterEphemeralReport', 'AdmissionReport',
      'ClusterAdmissionReport', 'BackgroundScanReport', 'ClusterBackgroundScanReport', 'UpdateRequest'] },
];

function matchesAny(patterns: readonly string[] | undefined, value: string, glob: boolean): boolean {
  if (patterns === undefined || patterns.length === 0) return true;
  return patterns.some((p) => (glob ? globMatch(p, value) : p === '*' || p === value));
}

export function matchesFilter(r: FilteredResource, group: string, kind: string, cluster: string): boolean {
  return matchesAny(r.apiGroups, group, true) && matchesAny(r.kinds, kind, false) && matchesAny(r.clusters, cluster, true);
}

export interface ResourceFilterSettings {
  readonly exclusions: readonly FilteredResource[];
  readonly inclusions: readonly FilteredResource[];
}

/** True when the engine must neither watch nor manage group/kind on this cluster (its server URL). */
export function isExcludedResource(settings: ResourceFilterSettings, group: string, kind: string, cluster: string): boolean {
  if ([...coreExclusions, ...settings.exclusions].some((r) => matchesFilter(r, group, kind, cluster))) return true;
  if (settings.inclusions.some((r) => matchesFilter(r, group, kind, cluster))) return false;
  return settings.inclusions.some((r) => matchesAny(r.clusters, cluster, true));
}
