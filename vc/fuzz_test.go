package vc

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

func seedCorpus(f *testing.F, docs ...string) {
	for _, d := range docs {
		f.Add([]byte(d))
	}
	f.Add([]byte(`{"@context":"https://www.w3.org/2018/credentials/v1","type":"VerifiableCredential","issuer":"did:e:i",
		"issuanceDate":"2020-01-01T00:00:00","credentialSubject":{"a":1}}`))
	f.Add([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"VerifiableCredential","issuer":"did:e:i",
		"validFrom":"2023-12-31T24:00:00+14:00","credentialSubject":[{"a":1}],
		"relatedResource":{"id":"https://x.example","digestMultibase":"uEiBZlVztZpfWHgPyslVv6-UwirFoQoRvW1htfx963sknNA"}}`))
	f.Add([]byte(`{"a":"\ud800"}`))
}

// FuzzParseCredential: no input panics, every error is an *Error, and an accepted credential
// re-serializes to JSON that parses to an equal document.
func FuzzParseCredential(f *testing.F) {
	seedCorpus(f, baseCredential, basePresentation)
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseCredential(data, ParseOptions{MaxDepth: 20})
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not *Error: %v", err, err)
			}
			return
		}
		roundTripCredential(t, c)
		for _, r := range c.RelatedResources() {
			_ = VerifyRelatedResource(r, data)
		}
	})
}

// FuzzParsePresentation: as FuzzParseCredential, for presentations.
func FuzzParsePresentation(f *testing.F) {
	seedCorpus(f, basePresentation, baseCredential)
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePresentation(data, ParseOptions{MaxDepth: 20})
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not *Error: %v", err, err)
			}
			return
		}
		out, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		again, err := ParsePresentation(out, ParseOptions{MaxBytes: int64(len(out)) + 1, MaxDepth: 20})
		if err != nil {
			t.Fatalf("re-parse of %s: %v", out, err)
		}
		if !reflect.DeepEqual(p.doc, again.doc) {
			t.Fatalf("round trip changed the document")
		}
	})
}
