package issuer_test

import (
	"context"
	"errors"
	"testing"

	"github.com/kakunin-dev/kakunin/vc/issuer"
	"github.com/kakunin-dev/kakunin/vc/issuer/issuertest"
)

// FuzzIssue feeds arbitrary credentials to Issue: it must not panic, and what it refuses it
// refuses as an invalid request or by policy, never as an internal failure.
func FuzzIssue(f *testing.F) {
	e := issuertest.New(f)
	f.Add(issuertest.Credential(e.Agent))
	f.Add([]byte(`{"@context": ["https://www.w3.org/2018/credentials/v1"], "type": ["VerifiableCredential"], "issuanceDate": "2026-03-01T00:00:00Z", "credentialSubject": {"id": "did:example:1"}}`))
	f.Add([]byte(`{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": "VerifiableCredential", "validFrom": "2026-03-01T00:00:00Z", "validUntil": "2020-01-01T00:00:00Z", "credentialSubject": {}}`))
	f.Add([]byte(`[1, 2]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := e.Issuer.Issue(context.Background(), issuer.IssueRequest{Credential: data, Caller: e.Caller})
		var pe *issuer.PolicyError
		switch {
		case err == nil && (out == nil || len(out.VerifiableCredential) == 0):
			t.Fatal("no credential")
		case err != nil && !errors.Is(err, issuer.ErrInvalidRequest) && !errors.As(err, &pe) && !errors.Is(err, issuer.ErrConflict):
			t.Fatalf("unexpected error class: %v", err)
		}
	})
}
