// templatePatch, as Argo CD's ApplicationSet controller applies it
// (applicationset/controllers/template: renderTemplatePatch, applyTemplatePatch):
// the patch string is rendered with the same parameters, read as YAML unless
// it starts with "{", checked by decoding it into an Application, and applied
// to the rendered Application with apimachinery's strategic merge patch,
// Argo CD's Application type (../v1alpha1) as the schema: maps merge, null
// deletes, lists are replaced except the merge lists of ObjectMeta
// (finalizers, ownerReferences), and $patch directives work. spec.project
// keeps its rendered value.
//
// Because the patch goes through the typed Application, so does the result:
// fields the type does not declare are dropped and empty ones omitted, as in
// Argo CD. The null creationTimestamp the type writes is left out.
package engine

import (
	"encoding/json"
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/util/strategicpatch"
	"sigs.k8s.io/yaml"

	"github.com/capstan/compat/v1alpha1"
)

func applyTemplatePatch(rendered any, patch string, r *walker) (any, error) {
	replaced, err := replaceString(patch, r.params, r.goTemplate, r.options)
	if err != nil {
		re := err.(*RenderError)
		return nil, &RenderError{Class: re.Class, Message: "error replacing values in templatePatch: " + re.Message}
	}
	app, err := toApplication(rendered)
	if err != nil {
		return nil, err
	}
	appJSON, err := json.Marshal(app)
	if err != nil {
		return nil, patchError("error while marhsalling Application %v", err)
	}
	patchJSON, err := convertYAMLToJSON(replaced)
	if err != nil {
		return nil, patchError("error while converting template to json %q: %v", patchJSON, err)
	}
	if err := json.Unmarshal([]byte(patchJSON), &v1alpha1.Application{}); err != nil {
		return nil, patchError("invalid templatePatch %q: %v", patchJSON, err)
	}
	merged, err := strategicpatch.StrategicMergePatch(appJSON, []byte(patchJSON), v1alpha1.Application{})
	if err != nil {
		return nil, patchError("error while applying templatePatch template to json %q: %v", patchJSON, err)
	}
	final := v1alpha1.Application{}
	if err := json.Unmarshal(merged, &final); err != nil {
		return nil, patchError("error while unmarhsalling patched application: %v", err)
	}
	// Argo CD: a templatePatch cannot change the project.
	final.Spec.Project = app.Spec.Project
	return fromApplication(&final)
}

func patchError(format string, args ...any) error {
	return &RenderError{Class: ClassPatch, Message: fmt.Sprintf(format, args...)}
}

// convertYAMLToJSON is Argo CD's ConvertYAMLToJSON: text starting with "{"
// (after spaces) is taken as JSON, anything else is YAML.
func convertYAMLToJSON(s string) (string, error) {
	if trimmed := strings.TrimSpace(s); trimmed != "" && trimmed[0] == '{' {
		return s, nil
	}
	out, err := yaml.YAMLToJSON([]byte(s))
	if err != nil {
		return s, err
	}
	return string(out), nil
}

func toApplication(v any) (*v1alpha1.Application, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, patchError("the rendered template is not JSON: %v", err)
	}
	app := &v1alpha1.Application{}
	if err := json.Unmarshal(data, app); err != nil {
		return nil, patchError("the rendered template is not an Application: %v", err)
	}
	return app, nil
}

func fromApplication(app *v1alpha1.Application) (any, error) {
	data, err := json.Marshal(app)
	if err != nil {
		return nil, patchError("error while marhsalling Application %v", err)
	}
	var out map[string]any
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, patchError("error while reading the patched Application: %v", err)
	}
	if meta, ok := out["metadata"].(map[string]any); ok {
		if ts, present := meta["creationTimestamp"]; present && ts == nil {
			delete(meta, "creationTimestamp")
		}
	}
	return out, nil
}
