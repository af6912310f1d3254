package rdfc

import (
	"bytes"
	"crypto"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
)

// cliqueDataset is the shape of the suite's poison test: n blank nodes all linked to all.
func cliqueDataset(n int) Dataset {
	var ds Dataset
	for i := range n {
		for j := range n {
			ds = append(ds, Quad{Blank(fmt.Sprint("e", i)), IRI("http://example.com/p"), Blank(fmt.Sprint("e", j)), Term{}})
		}
	}
	return ds
}

func mustParse(t testing.TB, doc string) Dataset {
	t.Helper()
	ds, err := ParseNQuads([]byte(doc), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// relabel renames every blank node and shuffles the quads: an isomorphic dataset.
func relabel(ds Dataset, seed uint64) Dataset {
	r := rand.New(rand.NewPCG(seed, seed))
	out := slices.Clone(ds)
	rename := func(t *Term) {
		if t.Kind == BlankKind {
			t.Value = "x" + t.Value + "y"
		}
	}
	for i := range out {
		rename(&out[i].Subject)
		rename(&out[i].Object)
		rename(&out[i].Graph)
	}
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

const diamond = `_:a <urn:p> _:b .
_:a <urn:p> _:c .
_:b <urn:p> _:d .
_:c <urn:p> _:d .
_:d <urn:q> "end" _:g .
`

// TestCanonicalizeIsomorphic checks the defining property: isomorphic datasets have one
// canonical form, whatever their blank node labels and quad order.
func TestCanonicalizeIsomorphic(t *testing.T) {
	for name, doc := range map[string]string{"credential": credentialNQuads, "diamond": diamond} {
		t.Run(name, func(t *testing.T) {
			ds := mustParse(t, doc)
			want, err := Canonicalize(ds, Options{})
			if err != nil {
				t.Fatal(err)
			}
			for seed := range uint64(5) {
				got, err := Canonicalize(relabel(ds, seed), Options{})
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got.NQuads, want.NQuads) {
					t.Errorf("seed %d: canonical form differs:\n%s\nwant:\n%s", seed, got.NQuads, want.NQuads)
				}
			}
		})
	}
}

func TestCanonicalizeResult(t *testing.T) {
	ds := mustParse(t, diamond+"_:a <urn:p> _:b .\n_:a <urn:p> _:b .\n") // repeats count once
	orig := slices.Clone(ds)
	res, err := Canonicalize(ds, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ds, orig) {
		t.Error("Canonicalize modified its input")
	}
	if n := bytes.Count(res.NQuads, []byte("\n")); n != 5 {
		t.Errorf("got %d lines, want 5:\n%s", n, res.NQuads)
	}
	lines := bytes.SplitAfter(res.NQuads, []byte("\n"))
	if !slices.IsSortedFunc(lines[:len(lines)-1], bytes.Compare) {
		t.Errorf("lines are not sorted:\n%s", res.NQuads)
	}
	if len(res.Issued) != 5 {
		t.Errorf("issued %v, want 5 entries", res.Issued)
	}
	seen := map[string]bool{}
	for id, c := range res.Issued {
		if seen[c] || !bytes.Contains(res.NQuads, []byte("_:"+c+" ")) {
			t.Errorf("issued %s → %s is repeated or unused", id, c)
		}
		seen[c] = true
	}
}

func TestCanonicalizeEmpty(t *testing.T) {
	res, err := Canonicalize(nil, Options{})
	if err != nil || len(res.NQuads) != 0 || len(res.Issued) != 0 {
		t.Fatalf("Canonicalize(nil) = %q, %v, %v", res.NQuads, res.Issued, err)
	}
}

func TestCanonicalizeHashOption(t *testing.T) {
	ds := mustParse(t, diamond)
	for _, h := range []crypto.Hash{crypto.SHA1, crypto.SHA512, crypto.SHA3_256} {
		if _, err := Canonicalize(ds, Options{Hash: h}); !errors.Is(err, ErrUnsupportedHash) {
			t.Errorf("%v: err = %v, want ErrUnsupportedHash", h, err)
		}
	}
	// The zero Hash is SHA-256; state pooling must not leak one choice into the next call.
	for _, h := range []crypto.Hash{0, crypto.SHA384, crypto.SHA256, crypto.SHA384} {
		if _, err := Canonicalize(ds, Options{Hash: h}); err != nil {
			t.Errorf("%v: %v", h, err)
		}
	}
	a, _ := Canonicalize(ds, Options{})
	b, _ := Canonicalize(ds, Options{Hash: crypto.SHA256})
	if !bytes.Equal(a.NQuads, b.NQuads) {
		t.Error("zero Hash differs from SHA-256")
	}
}

// TestMaxWork checks that the bound is configurable and that the default accepts the
// hardest approved shape (a 12-node automorphic double ring, like test044) but stops a
// clique.
func TestMaxWork(t *testing.T) {
	var ring Dataset
	for i := range 12 {
		ring = append(ring, Quad{Blank(fmt.Sprint("n", i)), IRI("urn:next"), Blank(fmt.Sprint("n", (i+1)%12)), Term{}})
		ring = append(ring, Quad{Blank(fmt.Sprint("n", i)), IRI("urn:skip"), Blank(fmt.Sprint("n", (i+2)%12)), Term{}})
	}
	tests := []struct {
		name    string
		ds      Dataset
		maxWork int
		wantErr error
	}{
		{"ring, default bound", ring, 0, nil},
		{"ring, tight bound", ring, 10, ErrTooComplex},
		{"clique of 6, default bound", cliqueDataset(6), 0, ErrTooComplex},
		{"clique of 3, default bound", cliqueDataset(3), 0, nil},
		{"no shared hashes, bound 1", mustParse(t, credentialNQuads), 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Canonicalize(tt.ds, Options{MaxWork: tt.maxWork})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestCanonicalizeInvalidTerms(t *testing.T) {
	s, p, o := IRI("urn:s"), IRI("urn:p"), IRI("urn:o")
	tests := []struct {
		name     string
		q        Quad
		position string
	}{
		{"literal subject", Quad{Literal("x", ""), p, o, Term{}}, "subject"},
		{"blank predicate", Quad{s, Blank("b"), o, Term{}}, "predicate"},
		{"literal graph", Quad{s, p, o, Literal("g", "")}, "graph"},
		{"default graph as object", Quad{s, p, Term{}, Term{}}, "object"},
		{"unknown kind", Quad{s, p, Term{Kind: 9}, Term{}}, "object"},
		{"relative IRI", Quad{IRI("/rel"), p, o, Term{}}, "subject"},
		{"IRI with space", Quad{s, p, IRI("urn:a b"), Term{}}, "object"},
		{"IRI with angle bracket", Quad{s, IRI("urn:a>"), o, Term{}}, "predicate"},
		{"IRI invalid UTF-8", Quad{s, p, IRI("urn:\xff"), Term{}}, "object"},
		{"empty blank label", Quad{Blank(""), p, o, Term{}}, "subject"},
		{"blank label ending in dot", Quad{Blank("a."), p, o, Term{}}, "subject"},
		{"blank label with space", Quad{s, p, Blank("a b"), Term{}}, "object"},
		{"literal invalid UTF-8", Quad{s, p, Literal("\xc3", ""), Term{}}, "object"},
		{"bad language tag", Quad{s, p, LangLiteral("x", "en_US"), Term{}}, "object"},
		{"language with datatype", Quad{s, p, Term{Kind: LiteralKind, Value: "x", Datatype: XSDString, Language: "en"}, Term{}}, "object"},
		{"langString without language", Quad{s, p, Literal("x", RDFLangString), Term{}}, "object"},
		{"relative datatype", Quad{s, p, Literal("x", "int"), Term{}}, "object"},
		{"default graph with value", Quad{s, p, o, Term{Value: "g"}}, "graph"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := Dataset{{s, p, o, Term{}}, tt.q}
			_, err := Canonicalize(ds, Options{})
			var te *TermError
			if !errors.Is(err, ErrInvalidTerm) || !errors.As(err, &te) {
				t.Fatalf("err = %v, want a *TermError", err)
			}
			if te.Quad != 1 || te.Position != tt.position {
				t.Errorf("error at quad %d %s, want quad 1 %s", te.Quad, te.Position, tt.position)
			}
			if _, err := FormatNQuads(ds); !errors.Is(err, ErrInvalidTerm) {
				t.Errorf("FormatNQuads: err = %v, want ErrInvalidTerm", err)
			}
		})
	}
}

// TestCanonicalizeConcurrent runs calls with both hashes at once: pooled states must not
// leak between them (run with -race).
func TestCanonicalizeConcurrent(t *testing.T) {
	ds := mustParse(t, credentialNQuads+diamond)
	want := map[crypto.Hash][]byte{}
	for _, h := range []crypto.Hash{crypto.SHA256, crypto.SHA384} {
		res, err := Canonicalize(ds, Options{Hash: h})
		if err != nil {
			t.Fatal(err)
		}
		want[h] = res.NQuads
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		h := []crypto.Hash{crypto.SHA256, crypto.SHA384}[i%2]
		wg.Go(func() {
			for range 20 {
				res, err := Canonicalize(ds, Options{Hash: h})
				if err == nil && !bytes.Equal(res.NQuads, want[h]) {
					err = fmt.Errorf("%v: result differs", h)
				}
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
