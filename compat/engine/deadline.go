// Cancellation for the interpreters that poll a context (gopher-lua checks
// ctx.Done() before every instruction, gojq before every opcode).
//
// A context.WithTimeout would never fire inside WebAssembly: Go's timers run
// only when the busy goroutine yields, and an interpreter loop never does. So
// Done() itself samples the clock (every clockEvery calls) and the heap size
// (every memoryEvery clock samples), and closes its channel once the deadline
// or the heap limit is passed. The same code runs natively, so both builds
// stop a runaway script the same way.
package engine

import (
	"context"
	"errors"
	"runtime/metrics"
	"time"
)

const (
	clockEvery  = 1024
	memoryEvery = 64
)

// ErrMemoryLimit is reported when a script's heap grows past the limit.
var ErrMemoryLimit = errors.New("memory limit exceeded")

type deadlineContext struct {
	context.Context
	deadline  time.Time
	heapLimit uint64
	calls     int
	samples   int
	done      chan struct{}
	err       error
	memSample []metrics.Sample
	// afterFuncs cancel child contexts (context.WithCancel registers here
	// instead of starting a goroutine that would poll Done concurrently).
	afterFuncs []func()
}

func newDeadlineContext(timeout time.Duration, heapLimit uint64) *deadlineContext {
	return &deadlineContext{
		Context:   context.Background(),
		deadline:  time.Now().Add(timeout),
		heapLimit: heapLimit,
		done:      make(chan struct{}),
		memSample: []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}},
	}
}

func (c *deadlineContext) Deadline() (time.Time, bool) { return c.deadline, true }

func (c *deadlineContext) Done() <-chan struct{} {
	if c.err != nil {
		return c.done
	}
	c.calls++
	if c.calls%clockEvery != 0 {
		return c.done
	}
	if !time.Now().Before(c.deadline) {
		c.stop(context.DeadlineExceeded)
		return c.done
	}
	c.samples++
	if c.heapLimit > 0 && c.samples%memoryEvery == 0 {
		metrics.Read(c.memSample)
		if c.memSample[0].Value.Kind() == metrics.KindUint64 && c.memSample[0].Value.Uint64() > c.heapLimit {
			c.stop(ErrMemoryLimit)
		}
	}
	return c.done
}

func (c *deadlineContext) stop(err error) {
	c.err = err
	close(c.done)
	for _, f := range c.afterFuncs {
		f()
	}
	c.afterFuncs = nil
}

// AfterFunc implements the interface context.WithCancel looks for.
func (c *deadlineContext) AfterFunc(f func()) func() bool {
	if c.err != nil {
		f()
		return func() bool { return false }
	}
	c.afterFuncs = append(c.afterFuncs, f)
	return func() bool { return false }
}

func (c *deadlineContext) Err() error { return c.err }

func (c *deadlineContext) Value(any) any { return nil }
