package engine

import (
	"math/rand/v2"
	"regexp"
	"testing"
	"time"
)

// Argo CD's own test, which hasTemplateTag replaces.
var isTemplatedRegex = regexp.MustCompile(".*{{.*}}.*")

func TestHasTemplateTagAgreesWithArgoRegex(t *testing.T) {
	pieces := []string{"{", "}", "{{", "}}", "\n", "a", " ", "ü", "\xff", "{{}}", "}}{{"}
	rnd := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 200000; i++ {
		s := ""
		for n := rnd.IntN(8); n > 0; n-- {
			s += pieces[rnd.IntN(len(pieces))]
		}
		if got, want := hasTemplateTag(s), isTemplatedRegex.MatchString(s); got != want {
			t.Fatalf("%q: hasTemplateTag %v, regexp %v", s, got, want)
		}
	}
}

func TestStrftime(t *testing.T) {
	at := time.Date(2024, 3, 5, 14, 7, 9, 0, time.UTC)
	for format, want := range map[string]string{
		"%Y-%m-%d %H:%M:%S": "2024-03-05 14:07:09", "%%": "%", "100%": "100%", "%w %a": "2 mon", "%q": "%q", "%c": "05 Mar 24 14:07 UTC",
		"%I %p %P %y %B %b %A %F %X %x %z %Z": "02 PM pm 24 March Mar Tuesday 2024-03-05 14:07:09 14/07/09 +0000 UTC",
	} {
		if got := strftime(at, format); got != want {
			t.Errorf("strftime(%q) = %q, want %q", format, got, want)
		}
	}
}

func TestMemoKeepsAWorkingSetAndBoundsMemory(t *testing.T) {
	m := newMemo[int](4)
	for round := 0; round < 3; round++ {
		for k := 0; k < 4; k++ {
			key := string(rune('a' + k))
			if _, ok := m.get(key); !ok {
				if round > 0 {
					t.Fatalf("round %d: %s missed", round, key)
				}
				m.put(key, k)
			}
		}
	}
	for k := 0; k < 100; k++ {
		m.put(string(rune('A'+k)), k)
	}
	if n := len(m.young) + len(m.old); n > 8 {
		t.Fatalf("%d entries kept, want at most 8", n)
	}
}
