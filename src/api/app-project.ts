// Argo CD's AppProject (argoproj.io/v1alpha1), field names and JSON shape as
// Argo CD defines them (pkg/apis/application/v1alpha1 AppProjectSpec).
import type { ObjectMeta } from './kube-object.ts';

export interface GroupKind {
  group: string;
  kind: string;
}

/** A clusterResourceWhitelist/Blacklist entry: a group/kind, optionally narrowed to names (a glob). */
export interface ClusterResourceRestrictionItem extends GroupKind {
  name?: string;
}

/** The service account a sync impersonates for a destination (sync impersonation). */
export interface ApplicationDestinationServiceAccount {
  server: string;
  namespace?: string;
  defaultServiceAccount: string;
}

export interface OrphanedResourceKey {
  group?: string;
  kind?: string;
  name?: string;
}

export interface ApplicationDestination {
  server?: string;
  name?: string;
  namespace?: string;
}

export interface ProjectRole {
  name: string;
  description?: string;
  policies?: string[];
  groups?: string[];
  jwtTokens?: Array<{ iat: number; exp?: number; id?: string }>;
}

export interface SyncWindow {
  kind?: string;
  schedule?: string;
  duration?: string;
  applications?: string[];
  namespaces?: string[];
  clusters?: string[];
  manualSync?: boolean;
  timeZone?: string;
  andOperator?: boolean;
  description?: string;
  /** Lets a sync already running continue past the window's boundary. */
  syncOverrun?: boolean;
}

export interface AppProjectSpec {
  description?: string;
  sourceRepos?: string[];
  sourceNamespaces?: string[];
  destinations?: ApplicationDestination[];
  clusterResourceWhitelist?: ClusterResourceRestrictionItem[];
  clusterResourceBlacklist?: ClusterResourceRestrictionItem[];
  namespaceResourceWhitelist?: GroupKind[];
  namespaceResourceBlacklist?: GroupKind[];
  roles?: ProjectRole[];
  syncWindows?: SyncWindow[];
  orphanedResources?: { warn?: boolean; ignore?: OrphanedResourceKey[] };
  signatureKeys?: Array<{ keyID: string }>;
  permitOnlyProjectScopedClusters?: boolean;
  destinationServiceAccounts?: ApplicationDestinationServiceAccount[];
}

export interface AppProject {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'AppProject';
  metadata: ObjectMeta;
  spec: AppProjectSpec;
  status?: unknown;
}

/** The project every installation has; it permits everything, as Argo CD creates it. */
export function defaultAppProject(namespace: string): AppProject {
  return {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject',
    metadata: { name: 'default', namespace },
    spec: {
      sourceRepos: ['*'],
      destinations: [{ server: '*', namespace: '*', name: '*' }],
      clusterResourceWhitelist: [{ group: '*', kind: '*' }],
    },
  };
}
