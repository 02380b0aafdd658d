// The JSON shapes of Argo CD's API (server/application/application.proto,
// applicationset.proto, project.proto, cluster.proto and the v1alpha1 types)
// that the UI reads and sends. Resource types come from src/api; these are the
// API server's own messages around them.
import type { Application } from '../../api/application.ts';
import type { ApplicationSet } from '../../api/application-set.ts';
import type { AppProject } from '../../api/app-project.ts';
import type { HealthStatusCode, SyncOperationResource, SyncStrategy } from '../../api/application-status.ts';

export type { Application, ApplicationSet, AppProject };

export interface ListMeta { resourceVersion?: string }

export interface ApplicationList { metadata?: ListMeta; items: Application[] | null }
export interface ApplicationSetList { metadata?: ListMeta; items: ApplicationSet[] | null }
export interface AppProjectList { metadata?: ListMeta; items: AppProject[] | null }

/** A cluster as the clusters list returns it (credentials are never sent to the UI). */
export interface Cluster {
  server: string;
  name: string;
  namespaces?: string[];
  connectionState?: { status?: string; message?: string };
  info?: { connectionState?: { status?: string; message?: string }; serverVersion?: string; applicationsCount?: number };
}
export interface ClusterList { items: Cluster[] | null }

/** `GET /api/v1/stream/applications`: one of these per line, wrapped in `{result: …}`. */
export interface ApplicationWatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  application: Application;
}

export interface ResourceRef {
  group?: string;
  version?: string;
  kind: string;
  namespace?: string;
  name: string;
  uid?: string;
}

export interface ResourceNode extends ResourceRef {
  parentRefs?: ResourceRef[];
  info?: Array<{ name: string; value: string }>;
  networkingInfo?: { targetLabels?: Record<string, string>; targetRefs?: ResourceRef[]; ingress?: unknown[]; externalURLs?: string[] };
  resourceVersion?: string;
  images?: string[];
  health?: { status?: HealthStatusCode; message?: string };
  createdAt?: string;
}

/** `GET …/resource-tree` */
export interface ApplicationTree {
  nodes?: ResourceNode[] | null;
  orphanedNodes?: ResourceNode[] | null;
  hosts?: unknown[];
}

/**
 * One item of `GET …/managed-resources`. The states are JSON documents as
 * strings (Argo CD's ResourceDiff); the server masks Secret values, and the UI
 * masks them again before showing anything.
 */
export interface ResourceDiff {
  group?: string;
  kind: string;
  namespace?: string;
  name: string;
  targetState?: string;
  liveState?: string;
  normalizedLiveState?: string;
  predictedLiveState?: string;
  diff?: string;
  hook?: boolean;
  resourceVersion?: string;
  modified?: boolean;
}
export interface ManagedResourcesResponse { items?: ResourceDiff[] | null }

/** `GET …/resource`: the live object as a JSON string. */
export interface ApplicationResourceResponse { manifest?: string }

/** `POST …/sync` (ApplicationSyncRequest). */
export interface ApplicationSyncRequest {
  name: string;
  revision?: string;
  dryRun?: boolean;
  prune?: boolean;
  strategy?: SyncStrategy;
  resources?: SyncOperationResource[];
  syncOptions?: { items: string[] };
}

/** `POST …/rollback` (ApplicationRollbackRequest). */
export interface ApplicationRollbackRequest { name: string; id: number; dryRun?: boolean; prune?: boolean }

export interface UserInfo { loggedIn: boolean; username?: string; iss?: string; groups?: string[] }

/** The error body of every failed call. */
export interface ApiErrorBody { error?: string; code?: number; message?: string }
