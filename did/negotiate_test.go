package did

import (
	"errors"
	"testing"
)

func TestNegotiateRepresentation(t *testing.T) {
	cases := map[string]string{
		"":                     MediaTypeDIDLDJSON,
		"*/*":                  MediaTypeDIDLDJSON,
		"application/did":      MediaTypeDID,
		"application/did+json": MediaTypeDIDJSON,
		"text/html, application/did+json;q=0.5, application/did;q=0.9": MediaTypeDID,
		"Application/DID+LD+JSON":                                      MediaTypeDIDLDJSON,
		"application/did;q=0, application/*;q=0.1":                     MediaTypeDIDLDJSON,
	}
	for accept, want := range cases {
		if got, err := NegotiateRepresentation(accept); err != nil || got != want {
			t.Errorf("NegotiateRepresentation(%q) = %q, %v; want %q", accept, got, err, want)
		}
	}
	for _, accept := range []string{"text/html", "application/did;q=0", "application/did-resolution"} {
		if _, err := NegotiateRepresentation(accept); !errors.Is(err, ErrRepresentationNotSupported) {
			t.Errorf("NegotiateRepresentation(%q) = %v", accept, err)
		}
	}
}
