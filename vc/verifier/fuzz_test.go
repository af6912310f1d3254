package verifier_test

import (
	"context"
	"errors"
	"testing"

	"github.com/kakunin-dev/kakunin/vc/issuer"
	"github.com/kakunin-dev/kakunin/vc/verifier"
)

// FuzzVerify feeds arbitrary documents to VerifyCredential and VerifyPresentation: no panic,
// an error only for input that is not a JSON object, and nothing forged verifies.
func FuzzVerify(f *testing.F) {
	e := newEnv(f)
	good := e.issue(f, e.Agent, issuer.IssueOptions{}).VerifiableCredential
	jwt := e.issue(f, e.Agent, issuer.IssueOptions{Format: issuer.FormatJWT}).VerifiableCredential
	f.Add([]byte(good))
	f.Add([]byte(jwt))
	f.Add([]byte(`{"type": "EnvelopedVerifiableCredential", "id": "data:application/vc+jwt,a.b.c"}`))
	f.Add([]byte(`{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"], "verifiableCredential": [{}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		r, err := e.v.VerifyCredential(ctx, data, verifier.Options{})
		if err != nil && !errors.Is(err, verifier.ErrInvalidInput) {
			t.Fatalf("error class: %v", err)
		}
		if err == nil && r.Verified && (r.Credential == nil || r.Credential.Issuer().ID != e.Main.DID) {
			t.Fatal("verified a credential the test issuer did not sign")
		}
		if _, err := e.v.VerifyPresentation(ctx, data, verifier.Options{}); err != nil && !errors.Is(err, verifier.ErrInvalidInput) {
			t.Fatalf("presentation error class: %v", err)
		}
	})
}
