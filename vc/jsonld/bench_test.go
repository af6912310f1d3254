package jsonld

import (
	"testing"

	"github.com/piprate/json-gold/ld"
)

// BenchmarkToRDF measures the cached path on a 25-quad VC 2.0 credential.
func BenchmarkToRDF(b *testing.B) {
	p := NewProcessor(testLoader(b), Options{})
	doc := decode(b, credential)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.ToRDF(doc); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkToRDFJSONGold is the baseline: json-gold's own ToRDF, which
// processes the contexts again on every call.
func BenchmarkToRDFJSONGold(b *testing.B) {
	opts := ld.NewJsonLdOptions("")
	opts.DocumentLoader = testLoader(b)
	opts.SafeMode = true
	proc := ld.NewJsonLdProcessor()
	doc := decode(b, credential)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := proc.ToRDF(doc, opts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExpand measures expansion alone, with the strictness checks.
func BenchmarkExpand(b *testing.B) {
	p := NewProcessor(testLoader(b), Options{})
	doc := decode(b, credential)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Expand(doc); err != nil {
			b.Fatal(err)
		}
	}
}
