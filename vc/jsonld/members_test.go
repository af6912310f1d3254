package jsonld

import (
	"errors"
	"testing"
)

// TestToRDFSilentDrops: members that JSON-LD expansion drops without an
// error, even in safe mode, must fail with a DataLossError naming the member,
// so that they cannot be added to a signed credential outside its RDF.
func TestToRDFSilentDrops(t *testing.T) {
	const (
		vc       = `"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],"type":"VerifiableCredential","issuer":"did:example:1"`
		vocab    = `"@context":{"@vocab":"https://example.org/#"},"@id":"https://example.org/s"`
		noVocab  = `"@context":{"p":"https://example.org/p"},"@id":"https://example.org/s","p":1`
		nullTerm = `"@context":{"@vocab":"https://example.org/#","x":null},"@id":"https://example.org/s"`
	)
	tests := []struct {
		name, doc, path string
	}{
		{"empty name, top level, @vocab", `{` + vc + `,"":"evil"}`, "/"},
		{"empty name in credentialSubject, @vocab", `{` + vc + `,"credentialSubject":{"id":"did:example:2","":"evil"}}`, "/credentialSubject/"},
		{"empty name in an array of subjects", `{` + vc + `,"credentialSubject":[{"id":"did:example:2"},{"id":"did:example:3","":{"@id":"did:example:4"}}]}`, "/credentialSubject/1/"},
		{"empty name holding a node object", `{` + vocab + `,"":{"a":1}}`, "/"},
		{"empty name holding a value object", `{` + vocab + `,"a":[{"b":{"":{"@value":"x"}}}]}`, "/a/0/b/"},
		{"empty name without @vocab", `{` + noVocab + `,"":"evil"}`, "/"},
		{"null value in credentialSubject", `{` + vc + `,"credentialSubject":{"id":"did:example:2","claim":null}}`, "/credentialSubject/claim"},
		{"null array item", `{` + vc + `,"credentialSubject":{"id":"did:example:2","claim":["a",null]}}`, "/credentialSubject/claim/1"},
		{"null @value", `{` + vocab + `,"a":{"@value":null}}`, "/a/@value"},
		{"null inside a nested array of subjects", `{` + vc + `,"credentialSubject":[{"id":"did:example:2","n":{"m":null}}]}`, "/credentialSubject/0/n/m"},
		{"empty name inside a @json literal (stricter than JSON-LD)", `{"@context":{"j":{"@id":"https://example.org/j","@type":"@json"}},"@id":"https://example.org/s","j":{"":1}}`, "/j/"},
		{"escaped pointer", `{` + vocab + `,"a/b":{"c~d":null}}`, "/a~1b/c~0d"},
	}
	p := NewProcessor(testLoader(t), Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := p.ToRDF(decode(t, tt.doc))
			var loss *DataLossError
			if !errors.Is(err, ErrDataLoss) || !errors.As(err, &loss) {
				t.Fatalf("ToRDF error = %v, want a DataLossError wrapping ErrDataLoss", err)
			}
			if loss.Path != tt.path {
				t.Errorf("Path = %q, want %q (%v)", loss.Path, tt.path, err)
			}
		})
	}
}

// TestToRDFDroppedTerms: terms that expand to nothing fail inside expansion
// (json-gold's safe mode), at any depth; the path is not known there.
func TestToRDFDroppedTerms(t *testing.T) {
	const ctx = `"@context":{"@vocab":"https://example.org/#","x":null,"y":{"@id":null}},"@id":"https://example.org/s"`
	tests := []struct{ name, doc string }{
		{"term mapped to null", `{` + ctx + `,"x":"dropped"}`},
		{"term with a null @id", `{` + ctx + `,"y":"dropped"}`},
		{"term mapped to null, nested", `{` + ctx + `,"a":{"b":{"x":1}}}`},
		{"term mapped to null, in an array", `{` + ctx + `,"a":[{"c":1},{"x":1}]}`},
		{"term mapped to null in a scoped context", `{"@context":{"@vocab":"https://example.org/#","a":{"@context":{"x":null}}},"a":{"x":1}}`},
		{"term mapped to null in credentialSubject", `{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2",{"x":null}],"type":"VerifiableCredential","issuer":"did:example:1","credentialSubject":{"id":"did:example:2","x":"dropped"}}`},
	}
	p := NewProcessor(testLoader(t), Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := p.ToRDF(decode(t, tt.doc)); !errors.Is(err, ErrDataLoss) {
				t.Fatalf("ToRDF error = %v, want ErrDataLoss", err)
			}
		})
	}
}

// TestToRDFKeepsNullWhereMeaningful: null in a context and inside @json
// literals is data, not a dropped member, and an empty string is a value.
func TestToRDFKeepsNullWhereMeaningful(t *testing.T) {
	tests := []struct{ name, doc string }{
		{"null in the context", `{"@context":[{"@vocab":"https://example.org/#","x":null},{"@language":null}],"@id":"https://example.org/s","a":1}`},
		{"null inside a @json literal", `{"@context":{"j":{"@id":"https://example.org/j","@type":"@json"}},"@id":"https://example.org/s","j":{"a":null,"b":[null]}}`},
		{"explicit @json value object", `{"@context":{"j":"https://example.org/j"},"@id":"https://example.org/s","j":{"@type":"@json","@value":{"a":null}}}`},
		{"empty string value", `{"@context":{"@vocab":"https://example.org/#"},"@id":"https://example.org/s","a":""}`},
	}
	p := NewProcessor(testLoader(t), Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, err := p.ToRDF(decode(t, tt.doc))
			if err != nil {
				t.Fatalf("ToRDF: %v", err)
			}
			if got := nquads(t, ds); len(got) != 1 {
				t.Errorf("N-Quads = %q, want one quad", got)
			}
		})
	}
}

// TestToRDFIndex: index values, explicit or from an index map, are not in
// the RDF, so they must fail rather than be changeable under a signature.
func TestToRDFIndex(t *testing.T) {
	tests := []struct{ name, doc, index string }{
		{"index map", `{"@context":{"@vocab":"https://example.org/#","m":{"@container":"@index"}},"@id":"https://example.org/s","m":{"k1":"v"}}`, "k1"},
		{"explicit @index on a node", `{"@context":{"@vocab":"https://example.org/#"},"@id":"https://example.org/s","a":{"@index":"k2","b":1}}`, "k2"},
		{"explicit @index on a value", `{"@context":{"@vocab":"https://example.org/#"},"@id":"https://example.org/s","a":{"@index":"k3","@value":1}}`, "k3"},
	}
	p := NewProcessor(nil, Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var loss *DataLossError
			_, err := p.ToRDF(decode(t, tt.doc))
			if !errors.Is(err, ErrDataLoss) || !errors.As(err, &loss) || loss.Value != tt.index {
				t.Fatalf("ToRDF error = %v, want ErrDataLoss for @index %q", err, tt.index)
			}
		})
	}
}

// TestToRDFBaseDirection: json-gold does not convert @direction to RDF, so a
// directed string would lose its direction.
func TestToRDFBaseDirection(t *testing.T) {
	doc := `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"VerifiableCredential","issuer":"did:example:1",
		"name":{"@value":"مرحبا","@language":"ar","@direction":"rtl"}}`
	var loss *DataLossError
	_, err := NewProcessor(nil, Options{}).ToRDF(decode(t, doc))
	if !errors.Is(err, ErrDataLoss) || !errors.As(err, &loss) || loss.Value != "rtl" {
		t.Fatalf("ToRDF error = %v, want ErrDataLoss for the base direction", err)
	}
}
