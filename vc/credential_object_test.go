package vc

import (
	"errors"
	"reflect"
	"testing"

	"github.com/kakunin-dev/kakunin/internal/jsonin"
)

// TestParseCredentialObject: the decoded-document form accepts and refuses what
// ParseCredential does, with the same reading.
func TestParseCredentialObject(t *testing.T) {
	docs := map[string]string{
		"conforming": `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],
			"issuer":"did:example:a","validFrom":"2026-01-01T00:00:00Z","credentialSubject":{"id":"did:example:b"}}`,
		"no subject": `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],
			"issuer":"did:example:a"}`,
		"not a credential type": `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["Other"],
			"issuer":"did:example:a","credentialSubject":{"id":"did:example:b"}}`,
	}
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			want, werr := ParseCredential([]byte(doc), ParseOptions{})
			v, err := jsonin.Decode([]byte(doc), jsonin.Options{})
			if err != nil {
				t.Fatal(err)
			}
			got, gerr := ParseCredentialObject(v.(map[string]any), ParseOptions{})
			if (gerr == nil) != (werr == nil) || werr != nil && !errors.Is(gerr, ErrMalformedValue) {
				t.Fatalf("ParseCredentialObject: %v, ParseCredential: %v", gerr, werr)
			}
			if werr == nil && (got.Issuer().ID != want.Issuer().ID || !reflect.DeepEqual(got.Subjects(), want.Subjects()) ||
				!reflect.DeepEqual(got.Types(), want.Types())) {
				t.Errorf("read %+v, want %+v", got, want)
			}
		})
	}
}
