// A bounded memo for compiled programs (parsed templates, jq code, Lua
// prototypes): two generations of at most `size` entries each; a full young
// generation becomes the old one, and a hit in the old one moves back. A
// working set under `size` never misses, and memory stays under 2 × size
// entries (a parsed template holds its own copy of the function map, ~40 KB).
package engine

type memo[V any] struct {
	size       int
	young, old map[string]V
}

func newMemo[V any](size int) *memo[V] {
	return &memo[V]{size: size, young: make(map[string]V, size)}
}

func (m *memo[V]) get(key string) (V, bool) {
	if v, ok := m.young[key]; ok {
		return v, true
	}
	v, ok := m.old[key]
	if ok {
		m.put(key, v)
	}
	return v, ok
}

func (m *memo[V]) put(key string, v V) {
	if len(m.young) >= m.size {
		m.old, m.young = m.young, make(map[string]V, m.size)
	}
	m.young[key] = v
}
