// Argo CD's Application `operation` and `status` (argoproj.io/v1alpha1),
// field names and JSON shape as Argo CD writes them, so its CLI and UI can
// read what Capstan records.
import type { HookType, SyncPhase } from './sync-annotations.ts';

export type SyncStatusCode = 'Synced' | 'OutOfSync' | 'Unknown';
export type HealthStatusCode = 'Healthy' | 'Progressing' | 'Degraded' | 'Suspended' | 'Missing' | 'Unknown';
export type OperationPhaseCode = 'Running' | 'Terminating' | 'Failed' | 'Error' | 'Succeeded';
export type ResultCodeName = 'Synced' | 'SyncFailed' | 'Pruned' | 'PruneSkipped';

export interface SyncOperationResource {
  group?: string;
  kind: string;
  name: string;
  namespace?: string;
}

export interface SyncStrategy {
  apply?: { force?: boolean };
  hook?: { force?: boolean };
}

export interface RetryStrategySpec {
  limit?: number;
  backoff?: { duration?: string; factor?: number; maxDuration?: string };
  refresh?: boolean;
}

export interface SyncOperation {
  revision?: string;
  revisions?: string[];
  prune?: boolean;
  dryRun?: boolean;
  syncStrategy?: SyncStrategy;
  resources?: SyncOperationResource[];
  source?: unknown;
  sources?: unknown[];
  manifests?: string[];
  syncOptions?: string[];
  autoHealAttemptsCount?: number;
}

export interface Operation {
  sync?: SyncOperation;
  initiatedBy?: { username?: string; automated?: boolean };
  info?: Array<{ name: string; value: string }>;
  retry?: RetryStrategySpec;
}

export interface ResourceResultStatus {
  group: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
  status?: ResultCodeName;
  message?: string;
  hookType?: HookType;
  hookPhase?: OperationPhaseCode;
  syncPhase?: SyncPhase;
  images?: string[];
}

export interface SyncOperationResult {
  resources?: ResourceResultStatus[];
  revision: string;
  revisions?: string[];
  source?: unknown;
  sources?: unknown[];
  managedNamespaceMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
}

export interface OperationState {
  operation: Operation;
  phase: OperationPhaseCode;
  message?: string;
  syncResult?: SyncOperationResult;
  startedAt: string;
  finishedAt?: string;
  retryCount?: number;
}

export interface ResourceStatus {
  group?: string;
  version: string;
  kind: string;
  namespace?: string;
  name: string;
  status?: SyncStatusCode;
  health?: { status?: HealthStatusCode; message?: string };
  hook?: boolean;
  requiresPruning?: boolean;
  syncWave?: number;
  requiresDeletionConfirmation?: boolean;
}

export interface ApplicationCondition {
  type: string;
  message: string;
  lastTransitionTime?: string;
}

export interface RevisionHistoryEntry {
  id: number;
  revision?: string;
  revisions?: string[];
  deployedAt: string;
  deployStartedAt?: string;
  source?: unknown;
  sources?: unknown[];
  initiatedBy?: { username?: string; automated?: boolean };
}

export interface ApplicationStatus {
  resources?: ResourceStatus[];
  sync?: {
    status: SyncStatusCode;
    revision?: string;
    revisions?: string[];
    comparedTo?: { source?: unknown; sources?: unknown[]; destination?: unknown; ignoreDifferences?: unknown[] };
  };
  health?: { status: HealthStatusCode; message?: string; lastTransitionTime?: string };
  history?: RevisionHistoryEntry[];
  conditions?: ApplicationCondition[];
  reconciledAt?: string;
  operationState?: OperationState;
  sourceType?: string;
  sourceTypes?: string[];
  summary?: { externalURLs?: string[]; images?: string[] };
  resourceHealthSource?: string;
  controllerNamespace?: string;
}
