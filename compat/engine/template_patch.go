// templatePatch: rendered as a string, then applied to the rendered
// Application as Argo CD's applyTemplatePatch does.
package engine

func applyTemplatePatch(app any, patch string, r *walker) (any, error) {
	return nil, &RenderError{Class: ClassPatch, Message: "templatePatch is not supported yet"}
}
