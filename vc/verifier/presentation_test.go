package verifier_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/vc"
	"github.com/kakunin-dev/kakunin/vc/dataintegrity"
	"github.com/kakunin-dev/kakunin/vc/issuer"
	"github.com/kakunin-dev/kakunin/vc/jose"
	"github.com/kakunin-dev/kakunin/vc/verifier"
)

// present wraps credentials in a presentation by the agent, signed for challenge and domain.
func present(t testing.TB, e *env, challenge, domain string, creds ...json.RawMessage) []byte {
	t.Helper()
	vp := map[string]any{
		"@context": []any{vc.ContextV2}, "type": []any{"VerifiablePresentation"},
		"holder": e.Agent, "verifiableCredential": creds,
	}
	signed, err := dataintegrity.AddProof(mustJSON(t, vp), e.AgentKey, dataintegrity.ProofOptions{
		Cryptosuite: dataintegrity.EdDSARDFC2022, VerificationMethod: e.Agent + "#" + e.Agent[len("did:key:"):],
		ProofPurpose: string(did.Authentication), Challenge: challenge, Domain: []string{domain},
	})
	if err != nil {
		t.Fatal(err)
	}
	return signed
}

func TestVerifyPresentation(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	good := e.issue(t, e.Agent, issuer.IssueOptions{})
	jwt := e.issue(t, e.Agent, issuer.IssueOptions{Format: issuer.FormatJWT})
	revoked := e.issue(t, e.Agent, issuer.IssueOptions{})
	if err := e.Issuer.Revoke(ctx, revoked.ID, e.Caller); err != nil {
		t.Fatal(err)
	}
	vp := present(t, e, "c-123", "verifier.example", good.VerifiableCredential, jwt.VerifiableCredential)
	tests := []struct {
		name      string
		raw       []byte
		challenge string
		domain    []string
		verified  bool
		want      error // of the presentation's proof check
	}{
		{"challenge and domain match", vp, "c-123", []string{"verifier.example"}, true, nil},
		{"no expectation", vp, "", nil, true, nil},
		{"wrong challenge", vp, "c-999", []string{"verifier.example"}, false, dataintegrity.ErrInvalidChallenge},
		{"wrong domain", vp, "c-123", []string{"evil.example"}, false, dataintegrity.ErrInvalidDomain},
		{"revoked credential inside", present(t, e, "c-1", "verifier.example", revoked.VerifiableCredential), "c-1", nil, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := e.v.VerifyPresentation(ctx, tt.raw, verifier.Options{Challenge: tt.challenge, Domain: tt.domain})
			if err != nil {
				t.Fatal(err)
			}
			if r.Verified != tt.verified || !errors.Is(r.Checks[0].Err, tt.want) {
				t.Errorf("verified %v, proof check %v", r.Verified, r.Checks[0].Err)
			}
		})
	}
	t.Run("credential results", func(t *testing.T) {
		r, _ := e.v.VerifyPresentation(ctx, vp, verifier.Options{})
		if len(r.Credentials) != 2 || !r.Credentials[0].Verified || !r.Credentials[1].Verified || !r.Credentials[1].Enveloped {
			t.Errorf("credentials %+v", r.Credentials)
		}
	})
}

func TestVerifyPresentationJWT(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	cred := e.issue(t, e.Agent, issuer.IssueOptions{Format: issuer.FormatJWT})
	var env map[string]any
	if err := json.Unmarshal(cred.VerifiableCredential, &env); err != nil {
		t.Fatal(err)
	}
	p, err := vc.ParsePresentation(mustJSON(t, map[string]any{
		"@context": []any{vc.ContextV2}, "type": []any{"VerifiablePresentation"}, "holder": e.Agent,
		"verifiableCredential": []any{env},
	}), vc.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	jws, err := jose.SignPresentation(ctx, p, e.AgentKey, jose.SignOptions{
		KeyID: e.Agent + "#" + e.Agent[len("did:key:"):], Audience: "verifier.example", Nonce: "n-1"})
	if err != nil {
		t.Fatal(err)
	}
	raw := mustJSON(t, jose.EnvelopePresentation(jws))
	for _, tt := range []struct {
		nonce    string
		verified bool
	}{{"n-1", true}, {"n-2", false}} {
		r, err := e.v.VerifyPresentation(ctx, raw, verifier.Options{Challenge: tt.nonce, Domain: []string{"verifier.example"}})
		if err != nil || r.Verified != tt.verified || !r.Enveloped {
			t.Errorf("nonce %s: %v %+v", tt.nonce, err, r)
		}
	}
	if err := e.Issuer.Suspend(ctx, cred.ID, e.Caller); err != nil {
		t.Fatal(err)
	}
	r, err := e.v.VerifyPresentation(ctx, raw, verifier.Options{Challenge: "n-1", Domain: []string{"verifier.example"}})
	if err != nil || r.Verified || len(r.Credentials) != 1 || !errors.Is(r.Credentials[0].Errors()[0], verifier.ErrSuspended) {
		t.Errorf("suspended credential in vp+jwt: %v %+v", err, r)
	}
}
