// The function map of Argo CD's ApplicationSet Go templates
// (applicationset/utils/utils.go, template_functions.go): sprig's generic map
// without env, expandenv and getHostByName, plus Argo's normalize, slugify,
// toYaml, fromYaml and fromYamlArray.
package engine

import (
	"regexp"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig/v3"
	"github.com/gosimple/slug"
	"sigs.k8s.io/yaml"
)

// baseTemplate carries the function map; every rendered string parses into a
// clone of it, as Argo CD does, so error messages name the template "base".
var baseTemplate = template.New("base").Funcs(templateFuncs())

func templateFuncs() template.FuncMap {
	funcs := sprig.GenericFuncMap()
	// Argo CD removes these so a template cannot read the controller's environment.
	delete(funcs, "env")
	delete(funcs, "expandenv")
	delete(funcs, "getHostByName")
	funcs["normalize"] = sanitizeName
	funcs["slugify"] = slugifyName
	funcs["toYaml"] = toYAML
	funcs["fromYaml"] = fromYAML
	funcs["fromYamlArray"] = fromYAMLArray
	return funcs
}

var invalidDNSNameChars = regexp.MustCompile("[^-a-z0-9.]")

// sanitizeName makes a DNS-1123 subdomain-ish name: lower case, invalid
// characters replaced by '-', at most 253 bytes, no leading or trailing '-' or '.'.
func sanitizeName(name string) string {
	const maxDNSNameLength = 253
	name = strings.ToLower(name)
	name = invalidDNSNameChars.ReplaceAllString(name, "-")
	if len(name) > maxDNSNameLength {
		name = name[:maxDNSNameLength]
	}
	return strings.Trim(name, "-.")
}

// slugifyName is `slugify [maxSize] [smartTruncate] name`: the last argument
// is the name, the first the maximum length (default 50), the second whether
// to truncate at a word boundary (default true). Wrong argument types panic,
// which text/template reports as "error calling slugify".
func slugifyName(args ...any) string {
	maxSize := 50
	smartTruncate := true
	name := ""
	for idx, arg := range args {
		switch idx {
		case len(args) - 1:
			name = arg.(string)
		case 0:
			maxSize = arg.(int)
		case 1:
			smartTruncate = arg.(bool)
		}
	}
	slug.EnableSmartTruncate = smartTruncate
	slug.MaxLength = maxSize
	return slug.Make(sanitizeName(name))
}

func toYAML(v any) (string, error) {
	data, err := yaml.Marshal(v)
	if err != nil {
		return "", err
	}
	return strings.TrimSuffix(string(data), "\n"), nil
}

func fromYAML(str string) (map[string]any, error) {
	m := map[string]any{}
	if err := yaml.Unmarshal([]byte(str), &m); err != nil {
		return nil, err
	}
	return m, nil
}

func fromYAMLArray(str string) ([]any, error) {
	a := []any{}
	if err := yaml.Unmarshal([]byte(str), &a); err != nil {
		return nil, err
	}
	return a, nil
}
