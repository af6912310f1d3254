package jsonld

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"
)

// FuzzToRDF feeds arbitrary JSON to a Processor: it must not panic, must fail
// only with this package's errors, and whatever it accepts it must convert the
// same way twice (the second time through the context cache).
func FuzzToRDF(f *testing.F) {
	f.Add([]byte(credential))
	f.Add([]byte(`{"@context":{"p":{"@id":"https://example.org/p","@container":"@list"}},"p":[[1],{"@id":"_:x"}]}`))
	f.Add([]byte(`{"@context":{"@vocab":"https://example.org/#","j":{"@type":"@json"}},"@id":"https://example.org/s","j":{"a":[1]},"@graph":[{"@id":"g"}]}`))
	f.Add([]byte(`{"@context":"https://www.w3.org/2018/credentials/v1","type":"VerifiableCredential","issuer":{"id":"did:example:1"}}`))
	f.Add([]byte(`{"@context":{"@vocab":"https://example.org/#","x":null},"@id":"https://example.org/s","":{"a":[null,{"":1}]},"x":null}`))
	// A VC 2.0 presentation: its credentials are expanded as graphs of their own (presentation.go).
	f.Add([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"VerifiablePresentation","verifiableCredential":[{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"VerifiableCredential","issuer":"did:example:1","credentialSubject":{"id":"did:example:2"}},"urn:uuid:1"]}`))
	p := NewProcessor(testLoader(f), Options{})
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > 4096 {
			return
		}
		var doc any
		if json.Unmarshal(in, &doc) != nil {
			return
		}
		first, err := p.ToRDF(doc)
		if err != nil {
			if !errors.Is(err, ErrUnknownContext) && !errors.Is(err, ErrDataLoss) &&
				!errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrProcessing) {
				t.Fatalf("ToRDF(%s): unexpected error %v", in, err)
			}
			return
		}
		second, err := p.ToRDF(doc)
		if err != nil {
			t.Fatalf("second ToRDF(%s) failed: %v", in, err)
		}
		if a, b := nquads(t, first), nquads(t, second); !slices.Equal(a, b) {
			t.Fatalf("ToRDF(%s) not repeatable:\n%v\n%v", in, a, b)
		}
	})
}
