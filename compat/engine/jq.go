// The "jq" method: a gojq program run on a JSON input with a time limit, as
// Argo CD runs ignoreDifferences jqPathExpressions
// (util/argo/normalizers/diff_normalizer.go: gojq.Parse, gojq.Compile,
// RunWithContext with ignore.normalizer.jq.timeout, default 1 s). Every
// output is returned; the caller decides what one, none or many mean.
// Compiled programs are cached by their text.
package engine

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/itchyny/gojq"
)

const defaultJqTimeout = time.Second

// Heap limit for one jq or Lua evaluation, checked while it runs.
const evalHeapLimit = 512 << 20

// JqRequest is one program run.
type JqRequest struct {
	Program   string `json:"program"`
	Input     any    `json:"input"`
	TimeoutMs int    `json:"timeoutMs,omitempty"`
}

// JqResult holds every output, or the first error and the first output before
// it, if any (Argo CD calls a program that yields a value and then fails
// "returned multiple objects").
type JqResult struct {
	OK         bool              `json:"ok"`
	Outputs    []json.RawMessage `json:"outputs"`
	Error      string            `json:"error,omitempty"`
	ErrorClass string            `json:"errorClass,omitempty"`
}

type compiledJq struct {
	code  *gojq.Code
	err   error
	class string
}

var jqCache = newMemo[compiledJq](1024)

func compileJq(program string) compiledJq {
	if hit, ok := jqCache.get(program); ok {
		return hit
	}
	var out compiledJq
	query, err := gojq.Parse(program)
	if err != nil {
		out = compiledJq{err: err, class: "parse"}
	} else if code, err := gojq.Compile(query); err != nil {
		out = compiledJq{err: err, class: "compile"}
	} else {
		out = compiledJq{code: code}
	}
	jqCache.put(program, out)
	return out
}

func evalJqBatch(input []byte) (any, error) {
	return streamRequests(input, evalJq)
}

func evalJq(req *JqRequest) JqResult {
	compiled := compileJq(req.Program)
	if compiled.err != nil {
		return JqResult{Error: compiled.err.Error(), ErrorClass: compiled.class, Outputs: []json.RawMessage{}}
	}
	timeout := defaultJqTimeout
	if req.TimeoutMs > 0 {
		timeout = time.Duration(req.TimeoutMs) * time.Millisecond
	}
	ctx := newDeadlineContext(timeout, evalHeapLimit)
	iter := compiled.code.RunWithContext(ctx, req.Input)
	outputs := []json.RawMessage{}
	for {
		v, ok := iter.Next()
		if !ok {
			break
		}
		if err, isErr := v.(error); isErr {
			return JqResult{Error: err.Error(), ErrorClass: jqErrorClass(err), Outputs: firstOutput(outputs)}
		}
		data, err := json.Marshal(v)
		if err != nil {
			return JqResult{Error: err.Error(), ErrorClass: "runtime", Outputs: firstOutput(outputs)}
		}
		outputs = append(outputs, data)
	}
	return JqResult{OK: true, Outputs: outputs}
}

func jqErrorClass(err error) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, ErrMemoryLimit):
		return "memory"
	default:
		return "runtime"
	}
}

func firstOutput(outputs []json.RawMessage) []json.RawMessage {
	if len(outputs) > 1 {
		return outputs[:1]
	}
	return outputs
}
