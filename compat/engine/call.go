// The batch call: a method name and a JSON array of requests in, a JSON
// object out ({"results": [...]} or {"error": "..."} when the batch itself is
// malformed). Both the WebAssembly exports and the native CLI go through Call,
// so the two builds answer identically.
package engine

import (
	"bytes"
	"encoding/json"
	"fmt"
	"runtime/debug"
)

// Methods by the numeric id the WebAssembly export takes.
var Methods = []string{"version", "templates", "jq", "lua"}

var handlers = map[string]func([]byte) (any, error){
	"version":   version,
	"templates": renderTemplates,
	"jq":        evalJqBatch,
	"lua":       runLuaBatch,
}

type callResponse struct {
	Results any    `json:"results,omitempty"`
	Error   string `json:"error,omitempty"`
}

// Call runs one batch.
func Call(method string, input []byte) []byte {
	handler, ok := handlers[method]
	if !ok {
		return encode(callResponse{Error: fmt.Sprintf("unknown method %q", method)})
	}
	results, err := safeHandle(handler, input)
	if err != nil {
		return encode(callResponse{Error: err.Error()})
	}
	if raw, ok := results.(json.RawMessage); ok {
		// Already encoded by the streaming handlers: wrap without re-scanning.
		out := make([]byte, 0, len(raw)+12)
		out = append(out, `{"results":`...)
		out = append(out, raw...)
		return append(out, '}')
	}
	return encode(callResponse{Results: results})
}

func safeHandle(handler func([]byte) (any, error), input []byte) (results any, err error) {
	defer func() {
		if r := recover(); r != nil {
			results, err = nil, fmt.Errorf("compat: internal error: %v", r)
		}
	}()
	return handler(input)
}

func encode(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		buf.Reset()
		_ = enc.Encode(callResponse{Error: "compat: cannot encode the results: " + err.Error()})
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// version reports the Go version and the module versions linked in.
func version([]byte) (any, error) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return nil, fmt.Errorf("no build information")
	}
	deps := map[string]string{}
	for _, dep := range info.Deps {
		deps[dep.Path] = dep.Version
	}
	return []any{map[string]any{"go": info.GoVersion, "modules": deps}}, nil
}
