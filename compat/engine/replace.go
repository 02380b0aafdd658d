// One string rendered as Argo CD's Render.Replace does
// (applicationset/utils/utils.go): Go text/template when goTemplate is set
// (a clone of the "base" template, options applied, then parsed and executed
// against the parameters), fasttemplate with "{{" "}}" otherwise.
package engine

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"text/template"

	"github.com/valyala/fasttemplate"
)

// Error classes reported with every failed render.
const (
	ClassParse      = "parse"
	ClassExec       = "exec"
	ClassMissingKey = "missingKey"
	ClassOption     = "option"
	ClassPatch      = "patch"
	ClassInput      = "input"
)

// RenderError is a failed render with Argo CD's message and a class.
type RenderError struct {
	Class   string
	Message string
}

func (e *RenderError) Error() string { return e.Message }

// parsedTemplate is a cached parse: the template or the parse error.
type parsedTemplate struct {
	tmpl *template.Template
	err  error
}

// The cache only saves work: a parsed template executes the same every time.
var templateCache = newMemo[parsedTemplate](1024)

func cacheKey(tmpl string, options []string) string {
	if len(options) == 0 {
		return tmpl
	}
	return strings.Join(options, "\x00") + "\x01" + tmpl
}

func parseGoTemplate(tmpl string, options []string) (parsed parsedTemplate) {
	key := cacheKey(tmpl, options)
	if hit, ok := templateCache.get(key); ok {
		return hit
	}
	defer func() {
		if r := recover(); r != nil {
			// template.Option panics on an unknown option.
			parsed = parsedTemplate{err: &RenderError{Class: ClassOption, Message: fmt.Sprint(r)}}
		}
		templateCache.put(key, parsed)
	}()
	cloned, err := baseTemplate.Clone()
	if err != nil {
		return parsedTemplate{err: &RenderError{Class: ClassParse, Message: fmt.Sprintf("failed to clone base template: %v", err)}}
	}
	for _, option := range options {
		cloned = cloned.Option(option)
	}
	t, err := cloned.Parse(tmpl)
	if err != nil {
		return parsedTemplate{err: &RenderError{Class: ClassParse, Message: fmt.Sprintf("failed to parse template %s: %v", tmpl, err)}}
	}
	return parsedTemplate{tmpl: t}
}

func isMissingKey(msg string) bool {
	return strings.Contains(msg, "map has no entry for key") || strings.Contains(msg, "can't evaluate field")
}

func executeGoTemplate(tmpl string, params map[string]any, options []string) (out string, err error) {
	parsed := parseGoTemplate(tmpl, options)
	if parsed.err != nil {
		return "", parsed.err
	}
	defer func() {
		// text/template re-panics runtime errors raised outside a function call.
		if r := recover(); r != nil {
			out, err = "", &RenderError{Class: ClassExec, Message: fmt.Sprintf("failed to execute go template %s: %v", tmpl, r)}
		}
	}()
	var buf bytes.Buffer
	if err := parsed.tmpl.Execute(&buf, params); err != nil {
		class := ClassExec
		if isMissingKey(err.Error()) {
			class = ClassMissingKey
		}
		return "", &RenderError{Class: class, Message: fmt.Sprintf("failed to execute go template %s: %v", tmpl, err)}
	}
	return buf.String(), nil
}

// hasTemplateTag is Argo CD's test for "worth running fasttemplate on",
// the regular expression `.*{{.*}}.*`: some line has "{{" and, after it,
// "}}". Written out because the regular expression costs microseconds per
// string (replace_test.go checks they agree).
func hasTemplateTag(s string) bool {
	for s != "" {
		line := s
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			line, s = s[:i], s[i+1:]
		} else {
			s = ""
		}
		if open := strings.Index(line, "{{"); open >= 0 && strings.Contains(line[open+2:], "}}") {
			return true
		}
	}
	return false
}

type parsedFastTemplate struct {
	tmpl *fasttemplate.Template
	err  error
}

var fastTemplateCache = newMemo[parsedFastTemplate](1024)

func parseFastTemplate(tmpl string) parsedFastTemplate {
	if hit, ok := fastTemplateCache.get(tmpl); ok {
		return hit
	}
	fst, err := fasttemplate.NewTemplate(tmpl, "{{", "}}")
	parsed := parsedFastTemplate{tmpl: fst}
	if err != nil {
		parsed = parsedFastTemplate{err: &RenderError{Class: ClassParse, Message: fmt.Sprintf("invalid template: %v", err)}}
	}
	fastTemplateCache.put(tmpl, parsed)
	return parsed
}

func executeFastTemplate(tmpl string, params map[string]any) (string, error) {
	if !hasTemplateTag(tmpl) {
		return tmpl, nil
	}
	parsed := parseFastTemplate(tmpl)
	if parsed.err != nil {
		return "", parsed.err
	}
	return parsed.tmpl.ExecuteFuncString(func(w io.Writer, tag string) (int, error) {
		trimmed := strings.TrimSpace(tag)
		// Only string parameters substitute; anything else leaves the tag as written.
		replacement, ok := params[trimmed].(string)
		if trimmed == "" || !ok {
			return fmt.Fprintf(w, "{{%s}}", tag)
		}
		return w.Write([]byte(replacement))
	}), nil
}

// replaceString renders one string.
func replaceString(tmpl string, params map[string]any, goTemplate bool, options []string) (string, error) {
	if goTemplate {
		return executeGoTemplate(tmpl, params, options)
	}
	return executeFastTemplate(tmpl, params)
}
