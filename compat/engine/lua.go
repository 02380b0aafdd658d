// The "lua" method: a script run by gopher-lua in Argo CD's environment
// (util/lua/lua.go runLuaWithResourceActionParameters): without openLibs
// only the package, base and table libraries and the safe os (os.time,
// os.date) are opened; with openLibs every standard library is opened first
// and os.time/os.date are replaced by the safe ones. The object is the global
// `obj`, action parameters the global `actionParams` (an empty table unless
// given). The value the script leaves on top of the stack is returned,
// converted to JSON by layeh.com/gopher-json as Argo CD converts it (an empty
// table is []). Runtime errors lose their stack trace, as in Argo CD.
//
// Sandbox: Argo CD's default call stack (256 frames) and fixed registry; a
// time limit (default 1 s, Argo CD's) and a heap limit polled before every
// instruction, also inside coroutines; os.exit raises an error instead of
// ending the process. In WebAssembly the host gives no files, sockets or
// environment, so io, dofile and the like fail.
package engine

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/parse"
	luajson "layeh.com/gopher-json"
)

const defaultLuaTimeout = time.Second

// LuaRequest is one script run.
type LuaRequest struct {
	Script    string         `json:"script"`
	Obj       any            `json:"obj"`
	OpenLibs  bool           `json:"openLibs,omitempty"`
	TimeoutMs int            `json:"timeoutMs,omitempty"`
	Globals   map[string]any `json:"globals,omitempty"`
}

// LuaResult is the script's value, or its error.
type LuaResult struct {
	OK         bool            `json:"ok"`
	Value      json.RawMessage `json:"value,omitempty"`
	LuaType    string          `json:"luaType,omitempty"`
	Error      string          `json:"error,omitempty"`
	ErrorClass string          `json:"errorClass,omitempty"`
}

type compiledLua struct {
	proto *lua.FunctionProto
	err   error
}

var luaCache = newMemo[compiledLua](512)

// compileLua compiles a chunk as LState.LoadString would, once per script text.
func compileLua(script string) compiledLua {
	if hit, ok := luaCache.get(script); ok {
		return hit
	}
	var out compiledLua
	chunk, err := parse.Parse(strings.NewReader(script), "<string>")
	if err == nil {
		out.proto, err = lua.Compile(chunk, "<string>")
	}
	if err != nil {
		out = compiledLua{err: &lua.ApiError{Type: lua.ApiErrorSyntax, Object: lua.LString(err.Error()), Cause: err}}
	}
	luaCache.put(script, out)
	return out
}

func runLuaBatch(input []byte) (any, error) {
	return streamRequests(input, runLua)
}

func runLua(req *LuaRequest) LuaResult {
	compiled := compileLua(req.Script)
	if compiled.err != nil {
		return LuaResult{Error: compiled.err.Error(), ErrorClass: "syntax"}
	}
	timeout := defaultLuaTimeout
	if req.TimeoutMs > 0 {
		timeout = time.Duration(req.TimeoutMs) * time.Millisecond
	}
	ctx := newDeadlineContext(timeout, evalHeapLimit)
	l, err := newLuaState(req, ctx)
	if err != nil {
		return LuaResult{Error: err.Error(), ErrorClass: "runtime"}
	}
	defer l.Close()
	l.Push(l.NewFunctionFromProto(compiled.proto))
	if err := l.PCall(0, lua.MultRet, nil); err != nil {
		var apiErr *lua.ApiError
		if errors.As(err, &apiErr) && apiErr.Type == lua.ApiErrorRun {
			apiErr.StackTrace = ""
		}
		return LuaResult{Error: err.Error(), ErrorClass: luaErrorClass(ctx)}
	}
	ret := l.Get(-1)
	result := LuaResult{OK: true, LuaType: ret.Type().String()}
	switch ret.Type() {
	case lua.LTTable, lua.LTString, lua.LTNumber, lua.LTBool, lua.LTNil:
		data, err := luajson.Encode(ret)
		if err != nil {
			return LuaResult{Error: err.Error(), ErrorClass: "encode"}
		}
		result.Value = data
	default:
		result.Value = json.RawMessage("null")
	}
	return result
}

func luaErrorClass(ctx *deadlineContext) string {
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return "timeout"
	case errors.Is(ctx.Err(), ErrMemoryLimit):
		return "memory"
	default:
		return "runtime"
	}
}

func newLuaState(req *LuaRequest, ctx *deadlineContext) (*lua.LState, error) {
	l := lua.NewState(lua.Options{SkipOpenLibs: !req.OpenLibs})
	for _, lib := range []struct {
		name string
		open lua.LGFunction
	}{
		{lua.LoadLibName, lua.OpenPackage},
		{lua.BaseLibName, lua.OpenBase},
		{lua.TabLibName, lua.OpenTable},
		{lua.OsLibName, openSafeOs},
	} {
		if err := l.CallByParam(lua.P{Fn: l.NewFunction(lib.open), NRet: 0, Protect: true}, lua.LString(lib.name)); err != nil {
			l.Close()
			return nil, err
		}
	}
	l.PreloadModule(lua.OsLibName, loadSafeOs)
	if req.OpenLibs {
		hardenOpenLibs(l, ctx)
	}
	l.SetContext(ctx)
	l.SetGlobal("actionParams", l.CreateTable(0, 0))
	for name, value := range req.Globals {
		l.SetGlobal(name, decodeLuaValue(l, value))
	}
	l.SetGlobal("obj", decodeLuaValue(l, req.Obj))
	return l, nil
}

// maxRepBytes bounds string.rep, the one library call that can allocate
// gigabytes in a single instruction.
const maxRepBytes = 64 << 20

// hardenOpenLibs keeps the full standard library inside the sandbox:
// os.exit raises an error, string.rep refuses results over 64 MiB, and
// coroutines poll the same deadline as the main thread (gopher-lua gives
// each coroutine a child context that nothing would ever cancel here).
func hardenOpenLibs(l *lua.LState, ctx *deadlineContext) {
	if str, ok := l.GetGlobal(lua.StringLibName).(*lua.LTable); ok {
		if rep, ok := str.RawGetString("rep").(*lua.LFunction); ok && rep.IsG {
			orig := rep.GFunction
			str.RawSetString("rep", l.NewFunction(func(l *lua.LState) int {
				if n := l.OptInt(2, 0); n > 0 && len(l.OptString(1, "")) > maxRepBytes/n {
					l.RaiseError("string.rep: the result would exceed %d bytes", maxRepBytes)
				}
				return orig(l)
			}))
		}
	}
	if osTable, ok := l.GetGlobal(lua.OsLibName).(*lua.LTable); ok {
		osTable.RawSetString("exit", l.NewFunction(func(l *lua.LState) int {
			l.RaiseError("os.exit is not available")
			return 0
		}))
	}
	co, ok := l.GetGlobal(lua.CoroutineLibName).(*lua.LTable)
	if !ok {
		return
	}
	if create, ok := co.RawGetString("create").(*lua.LFunction); ok && create.IsG {
		orig := create.GFunction
		co.RawSetString("create", l.NewFunction(func(l *lua.LState) int {
			n := orig(l)
			if th, ok := l.Get(-1).(*lua.LState); ok {
				th.SetContext(ctx)
			}
			return n
		}))
	}
	if wrap, ok := co.RawGetString("wrap").(*lua.LFunction); ok && wrap.IsG {
		orig := wrap.GFunction
		co.RawSetString("wrap", l.NewFunction(func(l *lua.LState) int {
			n := orig(l)
			if fn, ok := l.Get(-1).(*lua.LFunction); ok && len(fn.Upvalues) > 0 {
				if th, ok := fn.Upvalues[0].Value().(*lua.LState); ok {
					th.SetContext(ctx)
				}
			}
			return n
		}))
	}
}

// decodeLuaValue turns decoded JSON into Lua values as Argo CD's decodeValue
// does: numbers become Lua numbers, arrays sequences, objects tables.
func decodeLuaValue(l *lua.LState, value any) lua.LValue {
	switch v := value.(type) {
	case bool:
		return lua.LBool(v)
	case float64:
		return lua.LNumber(v)
	case string:
		return lua.LString(v)
	case json.Number:
		return lua.LString(v)
	case []any:
		arr := l.CreateTable(len(v), 0)
		for _, item := range v {
			arr.Append(decodeLuaValue(l, item))
		}
		return arr
	case map[string]any:
		tbl := l.CreateTable(0, len(v))
		for key, item := range v {
			tbl.RawSetH(lua.LString(key), decodeLuaValue(l, item))
		}
		return tbl
	default:
		return lua.LNil
	}
}
