package did

import (
	"errors"
	"testing"
)

func TestNegotiateRepresentation(t *testing.T) {
	cases := map[string]string{
		"":                     MediaTypeDID,
		"*/*":                  MediaTypeDID,
		"application/did":      MediaTypeDID,
		"application/did+json": MediaTypeDIDJSON,
		"text/html, application/did+json;q=0.5, application/did;q=0.9": MediaTypeDID,
		"Application/DID+LD+JSON":                                      MediaTypeDIDLDJSON,
		// A type refused by name is not reached by a wildcard (RFC 9110 § 12.5.1).
		"application/did;q=0, application/*;q=0.1":              MediaTypeDIDLDJSON,
		"*/*;q=0.5, application/did+json":                       MediaTypeDIDJSON,
		"application/did+json, application/did":                 MediaTypeDIDJSON,
		"application/did+json;q=0.5, */*":                       MediaTypeDID,
		"application/*, application/did+ld+json;q=0.8":          MediaTypeDID,
		"application/did;q=0, application/did+ld+json;q=0, */*": MediaTypeDIDJSON,
	}
	for accept, want := range cases {
		if got, err := NegotiateRepresentation(accept); err != nil || got != want {
			t.Errorf("NegotiateRepresentation(%q) = %q, %v; want %q", accept, got, err, want)
		}
	}
	for _, accept := range []string{"text/html", "application/did;q=0", "application/did-resolution",
		"*/*, application/did;q=0, application/did+json;q=0, application/did+ld+json;q=0"} {
		if _, err := NegotiateRepresentation(accept); !errors.Is(err, ErrRepresentationNotSupported) {
			t.Errorf("NegotiateRepresentation(%q) = %v", accept, err)
		}
	}
}
