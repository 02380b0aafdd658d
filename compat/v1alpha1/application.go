// Package v1alpha1 mirrors the Application type as Argo CD 3.5 declares it
// (pkg/apis/application/v1alpha1; the package name too, since it shows in
// decoding errors), reduced to what a generated Application carries: type and object metadata (apimachinery's own types) and the spec.
// Field names, Go types, JSON tags and patch strategies match Argo CD's, so
// decoding, omitempty/omitzero encoding, error messages and the strategic
// merge patch schema behave as they do there. Status and operation are left
// out: a template has neither.
package v1alpha1

import (
	"encoding/json"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
)

type Application struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              ApplicationSpec `json:"spec"`
}

type ApplicationSpec struct {
	Source               *ApplicationSource     `json:"source,omitempty"`
	Destination          ApplicationDestination `json:"destination"`
	Project              string                 `json:"project"`
	SyncPolicy           *SyncPolicy            `json:"syncPolicy,omitempty"`
	IgnoreDifferences    IgnoreDifferences      `json:"ignoreDifferences,omitempty"`
	Info                 []Info                 `json:"info,omitempty"`
	RevisionHistoryLimit *int64                 `json:"revisionHistoryLimit,omitempty"`
	Sources              ApplicationSources     `json:"sources,omitempty"`
	SourceHydrator       *SourceHydrator        `json:"sourceHydrator,omitempty"`
}

type ApplicationSources []ApplicationSource

type ApplicationSource struct {
	RepoURL        string                      `json:"repoURL"`
	Path           string                      `json:"path,omitempty"`
	TargetRevision string                      `json:"targetRevision,omitempty"`
	Helm           *ApplicationSourceHelm      `json:"helm,omitempty"`
	Kustomize      *ApplicationSourceKustomize `json:"kustomize,omitempty"`
	Directory      *ApplicationSourceDirectory `json:"directory,omitempty"`
	Plugin         *ApplicationSourcePlugin    `json:"plugin,omitempty"`
	Chart          string                      `json:"chart,omitempty"`
	Ref            string                      `json:"ref,omitempty"`
	Name           string                      `json:"name,omitempty"`
	TagPrefix      string                      `json:"tagPrefix,omitempty"`
}

type ApplicationSourceHelm struct {
	ValueFiles              []string              `json:"valueFiles,omitempty"`
	Parameters              []HelmParameter       `json:"parameters,omitempty"`
	ReleaseName             string                `json:"releaseName,omitempty"`
	Values                  string                `json:"values,omitempty" patchStrategy:"replace"`
	FileParameters          []HelmFileParameter   `json:"fileParameters,omitempty"`
	Version                 string                `json:"version,omitempty"`
	PassCredentials         bool                  `json:"passCredentials,omitempty"`
	IgnoreMissingValueFiles bool                  `json:"ignoreMissingValueFiles,omitempty"`
	SkipCrds                bool                  `json:"skipCrds,omitempty"`
	ValuesObject            *runtime.RawExtension `json:"valuesObject,omitempty"`
	Namespace               string                `json:"namespace,omitempty"`
	KubeVersion             string                `json:"kubeVersion,omitempty"`
	APIVersions             []string              `json:"apiVersions,omitempty"`
	SkipTests               bool                  `json:"skipTests,omitempty"`
	SkipSchemaValidation    bool                  `json:"skipSchemaValidation,omitempty"`
}

type HelmParameter struct {
	Name        string `json:"name,omitempty"`
	Value       string `json:"value,omitempty"`
	ForceString bool   `json:"forceString,omitempty"`
}

type HelmFileParameter struct {
	Name string `json:"name,omitempty"`
	Path string `json:"path,omitempty"`
}

type KustomizeImage string

type KustomizeImages []KustomizeImage

type KustomizeReplica struct {
	Name  string             `json:"name"`
	Count intstr.IntOrString `json:"count"`
}

type KustomizeReplicas []KustomizeReplica

type KustomizeGvk struct {
	Group   string `json:"group,omitempty"`
	Version string `json:"version,omitempty"`
	Kind    string `json:"kind,omitempty"`
}

type KustomizeResId struct {
	KustomizeGvk `json:",inline,omitempty"`
	Name         string `json:"name,omitempty"`
	Namespace    string `json:"namespace,omitempty"`
}

type KustomizeSelector struct {
	KustomizeResId     `json:",inline,omitempty"`
	AnnotationSelector string `json:"annotationSelector,omitempty"`
	LabelSelector      string `json:"labelSelector,omitempty"`
}

type KustomizePatch struct {
	Path    string             `json:"path,omitempty"`
	Patch   string             `json:"patch,omitempty"`
	Target  *KustomizeSelector `json:"target,omitempty"`
	Options map[string]bool    `json:"options,omitempty"`
}

type KustomizePatches []KustomizePatch

type ApplicationSourceKustomize struct {
	NamePrefix                string            `json:"namePrefix,omitempty"`
	NameSuffix                string            `json:"nameSuffix,omitempty"`
	Images                    KustomizeImages   `json:"images,omitempty"`
	CommonLabels              map[string]string `json:"commonLabels,omitempty"`
	Version                   string            `json:"version,omitempty"`
	CommonAnnotations         map[string]string `json:"commonAnnotations,omitempty"`
	ForceCommonLabels         bool              `json:"forceCommonLabels,omitempty"`
	ForceCommonAnnotations    bool              `json:"forceCommonAnnotations,omitempty"`
	Namespace                 string            `json:"namespace,omitempty"`
	CommonAnnotationsEnvsubst bool              `json:"commonAnnotationsEnvsubst,omitempty"`
	Replicas                  KustomizeReplicas `json:"replicas,omitempty"`
	Patches                   KustomizePatches  `json:"patches,omitempty"`
	Components                []string          `json:"components,omitempty"`
	IgnoreMissingComponents   bool              `json:"ignoreMissingComponents,omitempty"`
	LabelWithoutSelector      bool              `json:"labelWithoutSelector,omitempty"`
	KubeVersion               string            `json:"kubeVersion,omitempty"`
	APIVersions               []string          `json:"apiVersions,omitempty"`
	LabelIncludeTemplates     bool              `json:"labelIncludeTemplates,omitempty"`
}

type JsonnetVar struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	Code  bool   `json:"code,omitempty"`
}

type ApplicationSourceJsonnet struct {
	ExtVars []JsonnetVar `json:"extVars,omitempty"`
	TLAs    []JsonnetVar `json:"tlas,omitempty"`
	Libs    []string     `json:"libs,omitempty"`
}

// IsZero drives the omitzero of ApplicationSourceDirectory.Jsonnet.
func (j *ApplicationSourceJsonnet) IsZero() bool {
	return j == nil || len(j.ExtVars) == 0 && len(j.TLAs) == 0 && len(j.Libs) == 0
}

type ApplicationSourceDirectory struct {
	Recurse bool                     `json:"recurse,omitempty"`
	Jsonnet ApplicationSourceJsonnet `json:"jsonnet,omitempty,omitzero"`
	Exclude string                   `json:"exclude,omitempty"`
	Include string                   `json:"include,omitempty"`
}

type EnvEntry struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type Env []*EnvEntry

type OptionalMap struct {
	Map map[string]string `json:"map"`
}

type OptionalArray struct {
	Array []string `json:"array"`
}

type ApplicationSourcePluginParameter struct {
	Name           string  `json:"name,omitempty"`
	String_        *string `json:"string,omitempty"` //nolint:revive // Argo CD's field name
	*OptionalMap   `json:",omitempty"`
	*OptionalArray `json:",omitempty"`
}

// MarshalJSON writes name always, string when set, and map/array when set,
// an unset-but-present map or array as {} / [], as Argo CD does.
func (p ApplicationSourcePluginParameter) MarshalJSON() ([]byte, error) {
	out := map[string]any{"name": p.Name}
	if p.String_ != nil {
		out["string"] = p.String_
	}
	if p.OptionalMap != nil {
		if p.Map == nil {
			out["map"] = map[string]string{}
		} else {
			out["map"] = p.Map
		}
	}
	if p.OptionalArray != nil {
		if p.Array == nil {
			out["array"] = []string{}
		} else {
			out["array"] = p.Array
		}
	}
	return json.Marshal(out)
}

type ApplicationSourcePluginParameters []ApplicationSourcePluginParameter

type ApplicationSourcePlugin struct {
	Name       string `json:"name,omitempty"`
	Env        `json:"env,omitempty"`
	Parameters ApplicationSourcePluginParameters `json:"parameters,omitempty"`
}

type ApplicationDestination struct {
	Server    string `json:"server,omitempty"`
	Namespace string `json:"namespace,omitempty"`
	Name      string `json:"name,omitempty"`
}

type SyncPolicy struct {
	Automated                *SyncPolicyAutomated      `json:"automated,omitempty"`
	SyncOptions              SyncOptions               `json:"syncOptions,omitempty"`
	Retry                    *RetryStrategy            `json:"retry,omitempty"`
	ManagedNamespaceMetadata *ManagedNamespaceMetadata `json:"managedNamespaceMetadata,omitempty"`
}

type SyncPolicyAutomated struct {
	Prune      *bool `json:"prune,omitempty"`
	SelfHeal   *bool `json:"selfHeal,omitempty"`
	AllowEmpty *bool `json:"allowEmpty,omitempty"`
	Enabled    *bool `json:"enabled,omitempty"`
}

type SyncOptions []string

type RetryStrategy struct {
	Limit   int64    `json:"limit,omitempty"`
	Backoff *Backoff `json:"backoff,omitempty"`
	Refresh bool     `json:"refresh,omitempty"`
}

type Backoff struct {
	Duration    string `json:"duration,omitempty"`
	Factor      *int64 `json:"factor,omitempty"`
	MaxDuration string `json:"maxDuration,omitempty"`
}

type ManagedNamespaceMetadata struct {
	Labels      map[string]string `json:"labels,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
}

type ResourceIgnoreDifferences struct {
	Group                 string   `json:"group,omitempty"`
	Kind                  string   `json:"kind"`
	Name                  string   `json:"name,omitempty"`
	Namespace             string   `json:"namespace,omitempty"`
	JSONPointers          []string `json:"jsonPointers,omitempty"`
	JQPathExpressions     []string `json:"jqPathExpressions,omitempty"`
	ManagedFieldsManagers []string `json:"managedFieldsManagers,omitempty"`
}

type IgnoreDifferences []ResourceIgnoreDifferences

type Info struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type SourceHydrator struct {
	DrySource  DrySource  `json:"drySource"`
	SyncSource SyncSource `json:"syncSource"`
	HydrateTo  *HydrateTo `json:"hydrateTo,omitempty"`
}

type DrySource struct {
	RepoURL        string                      `json:"repoURL"`
	TargetRevision string                      `json:"targetRevision"`
	Path           string                      `json:"path"`
	Helm           *ApplicationSourceHelm      `json:"helm,omitempty"`
	Kustomize      *ApplicationSourceKustomize `json:"kustomize,omitempty"`
	Directory      *ApplicationSourceDirectory `json:"directory,omitempty"`
	Plugin         *ApplicationSourcePlugin    `json:"plugin,omitempty"`
}

type SyncSource struct {
	TargetBranch string `json:"targetBranch"`
	Path         string `json:"path"`
	RepoURL      string `json:"repoURL,omitempty"`
}

type HydrateTo struct {
	TargetBranch string `json:"targetBranch"`
}
