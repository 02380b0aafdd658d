// Argo CD's Application (argoproj.io/v1alpha1) spec, with Argo CD's field
// names and JSON shape (pkg/apis/application/v1alpha1/types.go), so an
// Application written for Argo CD reads here unchanged. Status and operation
// types are in application-status.ts.
import type { ApplicationDestination } from './app-project.ts';
import type { ApplicationStatus, Operation, RetryStrategySpec } from './application-status.ts';
import type { ObjectMeta } from './kube-object.ts';

export type { ApplicationDestination } from './app-project.ts';

export interface HelmParameter {
  name: string;
  value: string;
  forceString?: boolean;
}

export interface HelmFileParameter {
  name: string;
  path: string;
}

export interface ApplicationSourceHelm {
  valueFiles?: string[];
  parameters?: HelmParameter[];
  releaseName?: string;
  values?: string;
  fileParameters?: HelmFileParameter[];
  version?: string;
  passCredentials?: boolean;
  ignoreMissingValueFiles?: boolean;
  skipCrds?: boolean;
  skipTests?: boolean;
  skipSchemaValidation?: boolean;
  valuesObject?: unknown;
  namespace?: string;
  kubeVersion?: string;
  apiVersions?: string[];
}

export interface KustomizeReplica {
  name: string;
  count: number | string;
}

export interface KustomizePatch {
  path?: string;
  patch?: string;
  target?: {
    group?: string; version?: string; kind?: string; name?: string; namespace?: string;
    labelSelector?: string; annotationSelector?: string;
  };
  options?: Record<string, boolean>;
}

export interface ApplicationSourceKustomize {
  namePrefix?: string;
  nameSuffix?: string;
  images?: string[];
  commonLabels?: Record<string, string>;
  version?: string;
  commonAnnotations?: Record<string, string>;
  forceCommonLabels?: boolean;
  forceCommonAnnotations?: boolean;
  namespace?: string;
  commonAnnotationsEnvsubst?: boolean;
  replicas?: KustomizeReplica[];
  patches?: KustomizePatch[];
  components?: string[];
  ignoreMissingComponents?: boolean;
  labelWithoutSelector?: boolean;
  labelIncludeTemplates?: boolean;
  kubeVersion?: string;
  apiVersions?: string[];
}

export interface ApplicationSourceDirectory {
  recurse?: boolean;
  jsonnet?: unknown;
  exclude?: string;
  include?: string;
}

export interface ApplicationSource {
  repoURL: string;
  path?: string;
  targetRevision?: string;
  helm?: ApplicationSourceHelm;
  kustomize?: ApplicationSourceKustomize;
  directory?: ApplicationSourceDirectory;
  plugin?: unknown;
  chart?: string;
  ref?: string;
  name?: string;
}

export interface SyncPolicyAutomated {
  prune?: boolean;
  selfHeal?: boolean;
  allowEmpty?: boolean;
  enabled?: boolean;
}

export interface SyncPolicy {
  automated?: SyncPolicyAutomated;
  syncOptions?: string[];
  retry?: RetryStrategySpec;
  managedNamespaceMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
}

export interface ResourceIgnoreDifferences {
  group?: string;
  kind: string;
  name?: string;
  namespace?: string;
  jsonPointers?: string[];
  jqPathExpressions?: string[];
  managedFieldsManagers?: string[];
}

export interface ApplicationSpec {
  source?: ApplicationSource;
  sources?: ApplicationSource[];
  destination: ApplicationDestination;
  project: string;
  syncPolicy?: SyncPolicy;
  ignoreDifferences?: ResourceIgnoreDifferences[];
  info?: Array<{ name: string; value: string }>;
  revisionHistoryLimit?: number;
}

export interface Application {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'Application';
  metadata: ObjectMeta;
  spec: ApplicationSpec;
  status?: ApplicationStatus;
  operation?: Operation;
}

/** The sources of an app: `sources` when non-empty, else `source`. */
export function sourcesOf(spec: ApplicationSpec): ApplicationSource[] {
  if (spec.sources !== undefined && spec.sources.length > 0) return spec.sources;
  return spec.source === undefined ? [] : [spec.source];
}

/** Asks the controller for a refresh (`normal` or `hard`); it removes the annotation when done. */
export const applicationRefreshAnnotation = 'argocd.argoproj.io/refresh';
