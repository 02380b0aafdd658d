// Argo CD's ApplicationSet (argoproj.io/v1alpha1), with Argo CD's field names
// and JSON shape (pkg/apis/application/v1alpha1/applicationset_types.go), so
// an ApplicationSet written for Argo CD reads here unchanged. Generators
// Capstan does not run (scmProvider, pullRequest, clusterDecisionResource,
// plugin) are kept as free-form JSON and rejected with a condition.
import type { ApplicationSpec } from './application.ts';
import type { HealthStatusCode, SyncStatusCode } from './application-status.ts';
import type { ObjectMeta } from './kube-object.ts';

export interface LabelSelectorRequirement {
  key: string;
  /** In, NotIn, Exists, DoesNotExist. */
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface ApplicationSetTemplateMeta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
}

export interface ApplicationSetTemplate {
  metadata: ApplicationSetTemplateMeta;
  spec: ApplicationSpec;
}

export interface ListGenerator {
  /** Arbitrary JSON objects, one parameter set each. */
  elements?: unknown[];
  /** A YAML (or JSON) list of objects, typically rendered from a matrix's first generator. */
  elementsYaml?: string;
  template?: ApplicationSetTemplate;
}

export interface ClusterGenerator {
  selector?: LabelSelector;
  template?: ApplicationSetTemplate;
  values?: Record<string, string>;
  /** One parameter set `{clusters: [...]}` instead of one per cluster. */
  flatList?: boolean;
}

export interface GitDirectoryGeneratorItem {
  path: string;
  exclude?: boolean;
}

export interface GitFileGeneratorItem {
  path: string;
  exclude?: boolean;
}

export interface GitGenerator {
  repoURL: string;
  directories?: GitDirectoryGeneratorItem[];
  files?: GitFileGeneratorItem[];
  revision: string;
  requeueAfterSeconds?: number;
  template?: ApplicationSetTemplate;
  pathParamPrefix?: string;
  values?: Record<string, string>;
}

/** A generator inside a nested matrix or merge: never a matrix or merge itself. */
export interface ApplicationSetTerminalGenerator {
  list?: ListGenerator;
  clusters?: ClusterGenerator;
  git?: GitGenerator;
  scmProvider?: unknown;
  clusterDecisionResource?: unknown;
  pullRequest?: unknown;
  plugin?: unknown;
  selector?: LabelSelector;
}

/** A matrix inside a matrix or merge (kept as free-form JSON in the CRD, as Argo CD does). */
export interface NestedMatrixGenerator {
  generators: ApplicationSetTerminalGenerator[];
}

/** A merge inside a matrix or merge (kept as free-form JSON in the CRD, as Argo CD does). */
export interface NestedMergeGenerator {
  generators: ApplicationSetTerminalGenerator[];
  mergeKeys: string[];
}

/** A child of a top-level matrix or merge. */
export interface ApplicationSetNestedGenerator extends ApplicationSetTerminalGenerator {
  matrix?: NestedMatrixGenerator;
  merge?: NestedMergeGenerator;
}

export interface MatrixGenerator {
  generators: ApplicationSetNestedGenerator[];
  template?: ApplicationSetTemplate;
}

export interface MergeGenerator {
  generators: ApplicationSetNestedGenerator[];
  mergeKeys: string[];
  template?: ApplicationSetTemplate;
}

export interface ApplicationSetGenerator extends ApplicationSetTerminalGenerator {
  matrix?: MatrixGenerator;
  merge?: MergeGenerator;
}

export type ApplicationsSyncPolicy = 'create-only' | 'create-update' | 'create-delete' | 'sync';

export interface ApplicationSetSyncPolicy {
  /** Generated Applications get no resources finalizer: deleting them keeps what they deployed. */
  preserveResourcesOnDeletion?: boolean;
  applicationsSync?: ApplicationsSyncPolicy;
}

export interface ApplicationMatchExpression {
  key?: string;
  /** In or NotIn. */
  operator?: string;
  values?: string[];
}

export interface ApplicationSetRolloutStep {
  matchExpressions?: ApplicationMatchExpression[];
  /** How many Applications of the step sync at once: a count or a percentage ("25%"). @default 100% */
  maxUpdate?: number | string;
}

export interface ApplicationSetRollingSyncStrategy {
  steps?: ApplicationSetRolloutStep[];
}

export interface ApplicationSetStrategy {
  /** AllAtOnce or RollingSync. */
  type?: string;
  rollingSync?: ApplicationSetRollingSyncStrategy;
  /** AllAtOnce or Reverse. */
  deletionOrder?: string;
}

export interface ApplicationPreservedFields {
  annotations?: string[];
  labels?: string[];
}

export interface ApplicationSetResourceIgnoreDifferences {
  /** Only the generated Application of this name (all when empty). */
  name?: string;
  jsonPointers?: string[];
  jqPathExpressions?: string[];
}

export interface ApplicationSetSpec {
  goTemplate?: boolean;
  generators: ApplicationSetGenerator[];
  template: ApplicationSetTemplate;
  syncPolicy?: ApplicationSetSyncPolicy;
  strategy?: ApplicationSetStrategy;
  preservedFields?: ApplicationPreservedFields;
  goTemplateOptions?: string[];
  /** Deprecated and ignored: nested selectors always apply. */
  applyNestedSelectors?: boolean;
  ignoreApplicationDifferences?: ApplicationSetResourceIgnoreDifferences[];
  /** A Go-templated YAML/JSON patch merged over each generated Application (goTemplate only). */
  templatePatch?: string;
}

export type ApplicationSetConditionType = 'ErrorOccurred' | 'ParametersGenerated' | 'ResourcesUpToDate' | 'RolloutProgressing';

export interface ApplicationSetCondition {
  type: ApplicationSetConditionType;
  message: string;
  lastTransitionTime?: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
}

export type ApplicationSetApplicationStep = 'Waiting' | 'Pending' | 'Progressing' | 'Healthy';

export interface ApplicationSetApplicationStatus {
  application: string;
  lastTransitionTime?: string;
  message: string;
  status: string;
  step: string;
  targetRevisions: string[];
}

export interface ApplicationSetResourceStatus {
  group: string;
  version: string;
  kind: string;
  name: string;
  namespace: string;
  status?: SyncStatusCode;
  health?: { status?: HealthStatusCode };
}

export interface ApplicationSetStatus {
  conditions?: ApplicationSetCondition[];
  applicationStatus?: ApplicationSetApplicationStatus[];
  resources?: ApplicationSetResourceStatus[];
  resourcesCount?: number;
}

export interface ApplicationSet {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'ApplicationSet';
  metadata: ObjectMeta;
  spec: ApplicationSetSpec;
  status?: ApplicationSetStatus;
}

export const applicationSetRefreshAnnotation = 'argocd.argoproj.io/application-set-refresh';
