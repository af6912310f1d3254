package did

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
)

func TestProblemFor(t *testing.T) {
	_, parseErr := Parse("did:Example:1")
	_, docErr := ParseDocument([]byte(`{}`))
	cases := []struct {
		name   string
		err    error
		typ    string
		status int
	}{
		{"invalid DID", parseErr, "https://www.w3.org/ns/did#INVALID_DID", 400},
		{"invalid DID URL", fmt.Errorf("resolve: %w", ErrInvalidDIDURL), "https://www.w3.org/ns/did#INVALID_DID_URL", 400},
		{"invalid options", ErrInvalidOptions, "https://www.w3.org/ns/did#INVALID_OPTIONS", 400},
		{"not found", fmt.Errorf("x: %w", ErrNotFound), "https://www.w3.org/ns/did#NOT_FOUND", 404},
		{"representation", ErrRepresentationNotSupported, "https://www.w3.org/ns/did#REPRESENTATION_NOT_SUPPORTED", 406},
		{"document", docErr, "https://www.w3.org/ns/did#INVALID_DID_DOCUMENT", 500},
		{"method", ErrMethodNotSupported, "https://www.w3.org/ns/did#METHOD_NOT_SUPPORTED", 501},
		{"feature", ErrFeatureNotSupported, "https://www.w3.org/ns/did#FEATURE_NOT_SUPPORTED", 501},
		{"internal", ErrInternal, "https://www.w3.org/ns/did#INTERNAL_ERROR", 500},
		{"plain error", errors.New("disk full"), "https://www.w3.org/ns/did#INTERNAL_ERROR", 500},
		{"cancelled", context.Canceled, "https://www.w3.org/ns/did#INTERNAL_ERROR", 500},
		{"relationship", ErrInvalidRelationship, "https://w3id.org/security#INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD", 500},
		{"deactivated", ErrDeactivated, "about:blank", 410},
		{"custom", NewErrorKind("INVALID_PUBLIC_KEY", "https://w3id.org/security#INVALID_PUBLIC_KEY", "invalid public key", 400), "https://w3id.org/security#INVALID_PUBLIC_KEY", 400},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := ProblemFor(c.err)
			if p.Type != c.typ || p.Status != c.status || p.Title == "" {
				t.Fatalf("ProblemFor(%v) = %+v", c.err, p)
			}
		})
	}
	if p := ProblemFor(fmt.Errorf("lookup: %w", ErrNotFound)); p.Detail != "lookup: did: DID not found" {
		t.Fatalf("detail %q", p.Detail)
	}
	if p := ProblemFor(nil); p != (Problem{}) {
		t.Fatalf("ProblemFor(nil) = %+v", p)
	}
}

func TestErrorResult(t *testing.T) {
	b, err := json.Marshal(ErrorResult(fmt.Errorf("%w: did:example:1", ErrNotFound)))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"didDocument":null,"didResolutionMetadata":{"error":{"type":"https://www.w3.org/ns/did#NOT_FOUND","title":"DID not found","detail":"did: DID not found: did:example:1","status":404}},"didDocumentMetadata":{}}`
	if string(b) != want {
		t.Fatalf("got  %s\nwant %s", b, want)
	}
	r := ErrorResult(fmt.Errorf("x: %w", ErrDeactivated))
	if r.DIDDocument != nil || !r.DIDDocumentMetadata.Deactivated || r.DIDResolutionMetadata.Error != nil {
		t.Fatalf("deactivated result %+v", r)
	}
}
