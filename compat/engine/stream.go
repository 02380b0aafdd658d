// Batches are decoded and answered one request at a time: each result is
// encoded as soon as it exists, so the live heap holds one request, not the
// whole batch (with thousands of requests, a heap of decoded parameters and
// rendered values would make every garbage collection scan all of them).
package engine

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// streamArray decodes the JSON array dec is positioned at, element by
// element, and appends each answer to out as a JSON array.
func streamArray[Req any, Res any](dec *json.Decoder, out *bytes.Buffer, answer func(*Req) Res) error {
	if err := expectDelim(dec, '['); err != nil {
		return err
	}
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	out.WriteByte('[')
	for i := 0; dec.More(); i++ {
		var req Req
		if err := dec.Decode(&req); err != nil {
			return fmt.Errorf("request %d: %w", i, err)
		}
		if i > 0 {
			out.WriteByte(',')
		}
		if err := enc.Encode(answer(&req)); err != nil {
			return fmt.Errorf("result %d: %w", i, err)
		}
	}
	out.WriteByte(']')
	return expectDelim(dec, ']')
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("expected %q, found %v", want, tok)
	}
	return nil
}

// streamRequests answers a plain array of requests.
func streamRequests[Req any, Res any](input []byte, answer func(*Req) Res) (json.RawMessage, error) {
	var out bytes.Buffer
	out.Grow(len(input))
	if err := streamArray(json.NewDecoder(bytes.NewReader(input)), &out, answer); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
