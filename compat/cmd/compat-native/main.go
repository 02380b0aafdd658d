// compat-native: the compatibility engine as a CLI, for the differential
// tests. Reads {"method": "...", "requests": [...]} on stdin and writes the
// engine's response ({"results": [...]} or {"error": "..."}) on stdout.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/capstan/compat/engine"
)

func main() {
	input, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "compat-native: reading stdin:", err)
		os.Exit(1)
	}
	var batch struct {
		Method   string          `json:"method"`
		Requests json.RawMessage `json:"requests"`
	}
	if err := json.Unmarshal(input, &batch); err != nil {
		fmt.Fprintln(os.Stderr, "compat-native: the input is not a batch:", err)
		os.Exit(1)
	}
	os.Stdout.Write(engine.Call(batch.Method, batch.Requests))
	os.Stdout.Write([]byte("\n"))
}
