package rdfc

import (
	"bytes"
	"errors"
	"slices"
	"testing"
)

var fuzzSeeds = []string{
	credentialNQuads,
	diamond,
	"<urn:s> <urn:p> \"a\\u0000b\\tc\\\"\"@en-GB <urn:g> .\n",
	"_:a <urn:p> _:a .\n_:a <urn:p> _:b _:a .\n",
	"_:x <urn:p> \"\\U0001F303\"^^<urn:dt> . # comment\r\n",
	"_:e0 <urn:p> _:e1 .\n_:e1 <urn:p> _:e2 .\n_:e2 <urn:p> _:e0 .\n",
	"<urn:s> <urn:p> <urn:\\u00E9> .",
}

// FuzzParseNQuads checks that parsing never panics and that whatever parses formats to a
// document that parses back to the same dataset and formats to the same bytes.
func FuzzParseNQuads(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		ds, err := ParseNQuads(doc, ParseOptions{MaxBytes: 1 << 16})
		if err != nil {
			if !errors.Is(err, ErrSyntax) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		out, err := FormatNQuads(ds)
		if err != nil {
			t.Fatalf("parsed dataset does not format: %v", err)
		}
		back, err := ParseNQuads(out, ParseOptions{MaxBytes: 1 << 20})
		if err != nil {
			t.Fatalf("formatted output does not parse: %v\n%q", err, out)
		}
		if !slices.Equal(ds, back) {
			t.Fatalf("round trip changed the dataset:\n%+v\n%+v", ds, back)
		}
		again, _ := FormatNQuads(back)
		if !bytes.Equal(out, again) {
			t.Fatalf("formatting is not stable:\n%q\n%q", out, again)
		}
	})
}

// FuzzCanonicalize checks, within a small work bound, that canonicalization never panics,
// that its output is a fixed point, and that renaming blank nodes and shuffling quads
// (an isomorphic dataset) does not change it.
func FuzzCanonicalize(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s), uint64(1))
	}
	opts := Options{MaxWork: 1 << 12, Parse: ParseOptions{MaxBytes: 1 << 14}}
	f.Fuzz(func(t *testing.T, doc []byte, seed uint64) {
		res, err := CanonicalizeNQuads(doc, opts)
		if err != nil {
			if !errors.Is(err, ErrSyntax) && !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrTooComplex) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		again, err := CanonicalizeNQuads(res.NQuads, Options{MaxWork: 1 << 14})
		if err != nil {
			t.Fatalf("canonical output does not canonicalize: %v\n%s", err, res.NQuads)
		}
		if !bytes.Equal(again.NQuads, res.NQuads) {
			t.Fatalf("not idempotent:\n%s\n%s", res.NQuads, again.NQuads)
		}
		ds, _ := ParseNQuads(doc, opts.Parse)
		iso, err := Canonicalize(relabel(ds, seed), Options{MaxWork: 1 << 14})
		if err != nil {
			t.Fatalf("isomorphic dataset fails: %v", err)
		}
		if !bytes.Equal(iso.NQuads, res.NQuads) {
			t.Fatalf("isomorphic datasets differ:\n%s\n%s", res.NQuads, iso.NQuads)
		}
	})
}
