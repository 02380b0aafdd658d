// The "templates" method: render JSON values as Argo CD's ApplicationSet
// renderer does (Render.RenderTemplateParams / RenderGeneratorParams in
// applicationset/utils/utils.go): every string of the value is rendered, map
// keys included, with the same Replace; null map entries are dropped, as
// Argo's walk drops nil map values; with no parameters at all the value is
// returned untouched. A templatePatch is rendered as a string and applied to
// the rendered Application (template_patch.go).
package engine

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// TemplateRequest is one value to render.
type TemplateRequest struct {
	Template          any            `json:"template"`
	Params            map[string]any `json:"params"`
	GoTemplate        bool           `json:"goTemplate"`
	GoTemplateOptions []string       `json:"goTemplateOptions,omitempty"`
	TemplatePatch     *string        `json:"templatePatch,omitempty"`
	// DefaultFinalizers are set on a rendered Application that has none,
	// before the patch, where Argo CD's RenderTemplateParams adds
	// resources-finalizer.argocd.argoproj.io (unless the ApplicationSet
	// preserves resources on deletion). Not with empty parameters, as there.
	DefaultFinalizers []string `json:"defaultFinalizers,omitempty"`
	// Target is "application" (default) or "generator": a generator spec
	// rendered for matrix/merge interpolation, whose errors Argo prefixes and
	// whose generator "values" maps resolve with missingkey=error first.
	Target string `json:"target,omitempty"`
}

// TemplateResult is the outcome of one request.
type TemplateResult struct {
	OK         bool   `json:"ok"`
	Value      any    `json:"value"`
	Error      string `json:"error,omitempty"`
	ErrorClass string `json:"errorClass,omitempty"`
}

// The TypeScript bridge sends {"templates": [...], "requests": [...]}: each
// distinct template once, referenced by index from a request's "ref", since
// an ApplicationSet renders one template with many parameter sets. A plain
// array of requests also works.
type sharedRequest struct {
	TemplateRequest
	Ref *int `json:"ref,omitempty"`
}

func renderTemplates(input []byte) (any, error) {
	if trimmed := bytes.TrimSpace(input); len(trimmed) == 0 || trimmed[0] != '{' {
		return streamRequests(input, renderTemplate)
	}
	dec := json.NewDecoder(bytes.NewReader(input))
	if err := expectDelim(dec, '{'); err != nil {
		return nil, err
	}
	var templates []any
	var out bytes.Buffer
	answered := false
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return nil, err
		}
		switch key {
		case "templates":
			if answered {
				return nil, fmt.Errorf("templates must come before requests")
			}
			if err := dec.Decode(&templates); err != nil {
				return nil, err
			}
		case "requests":
			answered = true
			err := streamArray(dec, &out, func(r *sharedRequest) TemplateResult {
				if r.Ref != nil {
					if *r.Ref < 0 || *r.Ref >= len(templates) {
						return TemplateResult{Error: fmt.Sprintf("no template %d in the batch", *r.Ref), ErrorClass: ClassInput}
					}
					r.Template = templates[*r.Ref]
				}
				return renderTemplate(&r.TemplateRequest)
			})
			if err != nil {
				return nil, err
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, err
			}
		}
	}
	if !answered {
		return nil, fmt.Errorf("the batch has no requests")
	}
	return json.RawMessage(out.Bytes()), nil
}

func renderTemplate(req *TemplateRequest) TemplateResult {
	value, err := renderValue(req)
	if err != nil {
		if re, ok := err.(*RenderError); ok {
			return TemplateResult{Error: re.Message, ErrorClass: re.Class}
		}
		return TemplateResult{Error: err.Error(), ErrorClass: ClassExec}
	}
	return TemplateResult{OK: true, Value: value}
}

func renderValue(req *TemplateRequest) (any, error) {
	r := walker{params: req.Params, goTemplate: req.GoTemplate, options: req.GoTemplateOptions}
	var value any
	switch req.Target {
	case "", "application":
		rendered, err := r.render(req.Template)
		if err != nil {
			return nil, err
		}
		if len(req.DefaultFinalizers) > 0 && len(req.Params) > 0 {
			rendered = withDefaultFinalizers(rendered, req.DefaultFinalizers)
		}
		value = rendered
	case "generator":
		rendered, err := r.renderGenerator(req.Template)
		if err != nil {
			return nil, &RenderError{Class: err.(*RenderError).Class, Message: "failed to replace parameters in generator: " + err.Error()}
		}
		value = rendered
	default:
		return nil, &RenderError{Class: ClassInput, Message: "unknown render target " + req.Target}
	}
	if req.TemplatePatch != nil {
		return applyTemplatePatch(value, *req.TemplatePatch, &r)
	}
	return value, nil
}

type walker struct {
	params     map[string]any
	goTemplate bool
	options    []string
	// valuesFilter is set while rendering a generator spec.
	valuesFilter bool
}

func (r *walker) replace(s string) (string, error) {
	return replaceString(s, r.params, r.goTemplate, r.options)
}

func (r *walker) render(v any) (any, error) {
	if len(r.params) == 0 {
		return v, nil
	}
	return r.walk(v, "")
}

// walk renders every string in v; field is v's key in its parent map.
func (r *walker) walk(v any, field string) (any, error) {
	switch t := v.(type) {
	case string:
		return r.replace(t)
	case []any:
		out := make([]any, len(t))
		for i, item := range t {
			rendered, err := r.walk(item, "")
			if err != nil {
				return nil, err
			}
			out[i] = rendered
		}
		return out, nil
	case map[string]any:
		return r.walkMap(t, field)
	default:
		return v, nil
	}
}

func (r *walker) walkMap(m map[string]any, field string) (map[string]any, error) {
	out := make(map[string]any, len(m))
	// Sorted, so that colliding rendered keys and the first error are
	// deterministic (Go's map order is random in Argo CD).
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		item := m[k]
		if item == nil {
			continue
		}
		var rendered any
		var err error
		if r.valuesFilter && k == "values" && generatorsWithValues[field] {
			rendered, err = r.resolveValues(item)
		} else {
			rendered, err = r.walk(item, k)
		}
		if err != nil {
			return nil, err
		}
		key, err := r.replace(k)
		if err != nil {
			return nil, err
		}
		out[key] = rendered
	}
	return out, nil
}

// generatorsWithValues are the generator kinds whose spec has a `values`
// map[string]string (ClusterGenerator, GitGenerator, SCMProviderGenerator,
// DuckTypeGenerator, PullRequestGenerator, PluginGenerator).
var generatorsWithValues = map[string]bool{
	"clusters": true, "git": true, "scmProvider": true, "clusterDecisionResource": true,
	"pullRequest": true, "plugin": true,
}

func (r *walker) renderGenerator(v any) (any, error) {
	if len(r.params) == 0 {
		return v, nil
	}
	r.valuesFilter = true
	defer func() { r.valuesFilter = false }()
	return r.walk(v, "")
}

// resolveValues pre-resolves a generator's values with missingkey=error and
// keeps a value whose parameters are not known yet, as Argo CD 3.x does, so a
// matrix child can reference values the parent generator sets later.
func (r *walker) resolveValues(v any) (any, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return r.walk(v, "values")
	}
	options := r.options
	if r.goTemplate {
		options = make([]string, 0, len(r.options)+1)
		for _, opt := range r.options {
			if !strings.HasPrefix(opt, "missingkey=") {
				options = append(options, opt)
			}
		}
		options = append(options, "missingkey=error")
	}
	out := make(map[string]any, len(m))
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		item := m[k]
		s, isString := item.(string)
		if !isString {
			out[k] = item
			continue
		}
		resolved, err := replaceString(s, r.params, r.goTemplate, options)
		if err != nil {
			if isMissingKey(err.Error()) {
				out[k] = s
				continue
			}
			return nil, &RenderError{Class: err.(*RenderError).Class, Message: fmt.Sprintf("failed to pre-resolve Values key %q: %v", k, err)}
		}
		out[k] = resolved
	}
	return out, nil
}

func withDefaultFinalizers(app any, finalizers []string) any {
	obj, ok := app.(map[string]any)
	if !ok {
		return app
	}
	meta, _ := obj["metadata"].(map[string]any)
	if meta == nil {
		meta = map[string]any{}
		obj["metadata"] = meta
	}
	if existing, _ := meta["finalizers"].([]any); len(existing) > 0 {
		return app
	}
	list := make([]any, len(finalizers))
	for i, f := range finalizers {
		list[i] = f
	}
	meta["finalizers"] = list
	return app
}
