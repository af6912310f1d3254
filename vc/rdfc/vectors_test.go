package rdfc

import (
	"bytes"
	"crypto"
	"encoding/json"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/internal/vectors"
)

// manifestEntry is one test of the RDFC-1.0 test suite manifest.
type manifestEntry struct {
	ID            string `json:"id"`
	Type          string `json:"type"`
	Name          string `json:"name"`
	Action        string `json:"action"`
	Result        string `json:"result"`
	HashAlgorithm string `json:"hashAlgorithm"`
}

func loadManifest(t *testing.T) (string, []manifestEntry) {
	t.Helper()
	dir := filepath.Join(vectors.Dir(t, "rdf-canon"), "tests")
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.jsonld"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Entries []manifestEntry `json:"entries"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return dir, m.Entries
}

func (e manifestEntry) options(t *testing.T) Options {
	switch e.HashAlgorithm {
	case "", "SHA256":
		return Options{}
	case "SHA384":
		return Options{Hash: crypto.SHA384}
	}
	t.Fatalf("unknown hashAlgorithm %q", e.HashAlgorithm)
	return Options{}
}

// TestRDFCanonSuite runs every test of the W3C RDFC-1.0 suite: eval tests must give the
// expected document byte for byte, map tests the expected issued identifiers map, and the
// negative (poison) test must fail with ErrTooComplex quickly.
func TestRDFCanonSuite(t *testing.T) {
	dir, entries := loadManifest(t)
	counts := map[string]int{}
	for _, e := range entries {
		kind := strings.TrimPrefix(e.Type, "rdfc:")
		counts[kind]++
		t.Run(strings.TrimPrefix(e.ID, "#"), func(t *testing.T) {
			input := readVector(t, dir, e.Action)
			switch kind {
			case "RDFC10EvalTest":
				checkEval(t, input, readVector(t, dir, e.Result), e.options(t))
			case "RDFC10MapTest":
				checkMap(t, input, readVector(t, dir, e.Result), e.options(t))
			case "RDFC10NegativeEvalTest":
				checkPoison(t, input, e.options(t))
			default:
				t.Fatalf("unknown test type %q", e.Type)
			}
		})
	}
	want := map[string]int{"RDFC10EvalTest": 64, "RDFC10MapTest": 21, "RDFC10NegativeEvalTest": 1}
	if !maps.Equal(counts, want) {
		t.Errorf("manifest test counts = %v, want %v", counts, want)
	}
}

func readVector(t *testing.T, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func checkEval(t *testing.T, input, want []byte, opts Options) {
	t.Helper()
	res, err := CanonicalizeNQuads(input, opts)
	if err != nil {
		t.Fatalf("CanonicalizeNQuads: %v", err)
	}
	if !bytes.Equal(res.NQuads, want) {
		t.Errorf("canonical form differs\ngot:\n%s\nwant:\n%s", res.NQuads, want)
	}
}

func checkMap(t *testing.T, input, wantJSON []byte, opts Options) {
	t.Helper()
	var want map[string]string
	if err := json.Unmarshal(wantJSON, &want); err != nil {
		t.Fatal(err)
	}
	res, err := CanonicalizeNQuads(input, opts)
	if err != nil {
		t.Fatalf("CanonicalizeNQuads: %v", err)
	}
	if !maps.Equal(res.Issued, want) {
		t.Errorf("issued identifiers = %v, want %v", res.Issued, want)
	}
}

// poisonBound is far above the few milliseconds the poison test takes, so that a loaded
// CI machine cannot make it flaky, and far below the minutes an unbounded run would take.
const poisonBound = 2 * time.Second

func checkPoison(t *testing.T, input []byte, opts Options) {
	t.Helper()
	start := time.Now()
	_, err := CanonicalizeNQuads(input, opts)
	elapsed := time.Since(start)
	t.Logf("poison dataset rejected after %v", elapsed)
	if !errors.Is(err, ErrTooComplex) {
		t.Fatalf("err = %v, want ErrTooComplex", err)
	}
	if elapsed > poisonBound {
		t.Errorf("took %v, want under %v", elapsed, poisonBound)
	}
}
