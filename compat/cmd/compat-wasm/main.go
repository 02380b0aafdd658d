//go:build wasip1

// compat-wasm: the compatibility engine as a WebAssembly reactor
// (GOOS=wasip1 GOARCH=wasm, -buildmode=c-shared). The host calls _initialize
// once, then per batch: capstan_alloc(n) for an input buffer it fills,
// capstan_call(method, ptr, n), which frees the input and returns the result
// buffer packed as ptr<<32 | len, and capstan_free(ptr) once it has read it.
// Buffers are Go byte slices kept reachable in `pinned` until freed (Go's GC
// does not move objects, so the addresses stay valid).
package main

import (
	"unsafe"

	"github.com/capstan/compat/engine"
)

var pinned = map[uint32][]byte{}

func pin(buf []byte) uint32 {
	if len(buf) == 0 {
		buf = make([]byte, 1)[:0:1]
	}
	ptr := uint32(uintptr(unsafe.Pointer(unsafe.SliceData(buf))))
	pinned[ptr] = buf
	return ptr
}

//go:wasmexport capstan_alloc
func alloc(size uint32) uint32 {
	return pin(make([]byte, size))
}

//go:wasmexport capstan_free
func free(ptr uint32) {
	delete(pinned, ptr)
}

//go:wasmexport capstan_call
func call(method uint32, ptr uint32, size uint32) uint64 {
	input := pinned[ptr]
	delete(pinned, ptr)
	var out []byte
	if int(method) >= len(engine.Methods) || len(input) < int(size) {
		out = []byte(`{"error":"compat: bad call"}`)
	} else {
		out = engine.Call(engine.Methods[method], input[:size])
	}
	return uint64(pin(out))<<32 | uint64(len(out))
}

func main() {}
