package verifier_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/vc"
	"github.com/kakunin-dev/kakunin/vc/dataintegrity"
	"github.com/kakunin-dev/kakunin/vc/issuer"
	"github.com/kakunin-dev/kakunin/vc/issuer/issuertest"
	"github.com/kakunin-dev/kakunin/vc/status"
	"github.com/kakunin-dev/kakunin/vc/verifier"
)

type env struct {
	*issuertest.Env
	v *verifier.Verifier
}

// newEnv returns an issuer and a verifier that reads its lists without a cache, so that status
// changes are seen at once.
func newEnv(t testing.TB) *env { return newEnvWith(t, status.Options{CacheBytes: -1}) }

// newEnvCached returns an issuer and a verifier that caches lists, as deployed.
func newEnvCached(t testing.TB) *env { return newEnvWith(t, status.Options{}) }

func newEnvWith(t testing.TB, so status.Options) *env {
	e := issuertest.New(t)
	v, err := verifier.New(verifier.Config{
		Resolver: e.Resolver, Status: e.Issuer.Fetcher(nil), Now: e.Clock.Now, JOSEAnyKeyType: true,
		StatusOptions: so,
	})
	if err != nil {
		t.Fatal(err)
	}
	return &env{Env: e, v: v}
}

func (e *env) issue(t testing.TB, subject string, o issuer.IssueOptions) *issuer.Issued {
	t.Helper()
	out, err := e.Issuer.Issue(context.Background(), issuer.IssueRequest{
		Credential: issuertest.Credential(subject), Options: o, Caller: e.Caller})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// failed returns the checks that failed, by name.
func failed(r *verifier.Result) map[string]error {
	out := map[string]error{}
	for _, c := range r.Checks {
		if c.Err != nil {
			out[c.Check] = c.Err
		}
	}
	return out
}

func TestVerifyCredentialLifecycle(t *testing.T) {
	formats := []struct {
		name string
		opts issuer.IssueOptions
	}{
		{"eddsa-rdfc-2022", issuer.IssueOptions{}},
		{"eddsa-jcs-2022", issuer.IssueOptions{Cryptosuite: dataintegrity.EdDSAJCS2022}},
		{"vc+jwt", issuer.IssueOptions{Format: issuer.FormatJWT}},
	}
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			e := newEnv(t)
			ctx := context.Background()
			out := e.issue(t, e.Agent, f.opts)
			steps := []struct {
				name  string
				do    func() error
				check string
				want  error
			}{
				{"issued", func() error { return nil }, "", nil},
				{"suspended", func() error { return e.Issuer.Suspend(ctx, out.ID, e.Caller) }, verifier.CheckStatus, verifier.ErrSuspended},
				{"unsuspended", func() error { return e.Issuer.Unsuspend(ctx, out.ID, e.Caller) }, "", nil},
				{"revoked", func() error { return e.Issuer.Revoke(ctx, out.ID, e.Caller) }, verifier.CheckStatus, verifier.ErrRevoked},
			}
			for _, s := range steps {
				if err := s.do(); err != nil {
					t.Fatalf("%s: %v", s.name, err)
				}
				r, err := e.v.VerifyCredential(ctx, out.VerifiableCredential, verifier.Options{})
				if err != nil {
					t.Fatalf("%s: %v", s.name, err)
				}
				fails := failed(r)
				if r.Verified != (s.want == nil) || s.want != nil && !errors.Is(fails[s.check], s.want) {
					t.Errorf("%s: verified %v, failed checks %v", s.name, r.Verified, fails)
				}
				if len(r.Status) != 2 {
					t.Errorf("%s: %d status results", s.name, len(r.Status))
				}
			}
		})
	}
}

func TestVerifyCredentialFailures(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	out := e.issue(t, e.Agent, issuer.IssueOptions{})
	var doc map[string]any
	if err := json.Unmarshal(out.VerifiableCredential, &doc); err != nil {
		t.Fatal(err)
	}
	tampered := clone(doc)
	tampered["name"] = "Forged credential"
	otherIssuer := clone(doc)
	otherIssuer["issuer"] = issuertest.WebDID
	unsigned := clone(doc)
	delete(unsigned, "proof")

	deactivatedAgent := e.KakuninAgent(t, "agent-a", false)
	kak := e.issue(t, deactivatedAgent, issuer.IssueOptions{})
	e.Resolver.Deactivate(deactivatedAgent)

	tests := []struct {
		name  string
		raw   []byte
		now   time.Time
		check string
		want  error
	}{
		{"tampered", mustJSON(t, tampered), time.Time{}, verifier.CheckProof, vc.ErrCryptographicSecurity},
		{"issuer is not the signer", mustJSON(t, otherIssuer), time.Time{}, verifier.CheckProof, vc.ErrCryptographicSecurity},
		{"expired", out.VerifiableCredential, issuertest.Start.AddDate(1, 0, 0), verifier.CheckValidity, vc.ErrExpired},
		{"not yet valid", out.VerifiableCredential, issuertest.Start.Add(-time.Hour), verifier.CheckValidity, vc.ErrNotYetValid},
		{"subject deactivated", kak.VerifiableCredential, time.Time{}, verifier.CheckSubject, verifier.ErrSubjectDeactivated},
		{"no proof", mustJSON(t, unsigned), time.Time{}, verifier.CheckProof, dataintegrity.ErrNoProof},
		{"proof by another DID than the issuer", forged(t, e), time.Time{}, verifier.CheckProof, verifier.ErrIssuerMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := e.v.VerifyCredential(ctx, tt.raw, verifier.Options{Now: tt.now})
			if err != nil {
				t.Fatal(err)
			}
			if r.Verified {
				t.Fatal("verified")
			}
			if got := failed(r)[tt.check]; !errors.Is(got, tt.want) {
				t.Errorf("check %s: %v, want %v (all: %v)", tt.check, got, tt.want, failed(r))
			}
			for _, err := range r.Errors() {
				if p := verifier.ProblemOf(err); p.Type == "" || p.Title == "" {
					t.Errorf("problem %+v", p)
				}
			}
		})
	}
}

func TestVerifyOptions(t *testing.T) {
	e := newEnv(t)
	out := e.issue(t, e.Agent, issuer.IssueOptions{})
	for _, checks := range [][]string{{"proof"}, {"proof", "status"}, {"proof", "credentialStatus", "expiration"}} {
		r, err := e.v.VerifyCredential(context.Background(), out.VerifiableCredential, verifier.Options{Checks: checks})
		if err != nil || !r.Verified {
			t.Errorf("%v: %v %v", checks, err, r)
		}
	}
	bad := []struct {
		name string
		raw  string
		opts verifier.Options
	}{
		{"unknown check", string(out.VerifiableCredential), verifier.Options{Checks: []string{"vibes"}}},
		{"not JSON", `{"a":`, verifier.Options{}},
		{"array", `[]`, verifier.Options{}},
		{"duplicate member", `{"a":1,"a":2}`, verifier.Options{}},
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) {
			if _, err := e.v.VerifyCredential(context.Background(), []byte(b.raw), b.opts); !errors.Is(err, verifier.ErrInvalidInput) {
				t.Errorf("error %v", err)
			}
		})
	}
}

func TestVerifyStatusOnlyWhenAsked(t *testing.T) {
	e := newEnv(t)
	out := e.issue(t, e.Agent, issuer.IssueOptions{})
	if err := e.Issuer.Revoke(context.Background(), out.ID, e.Caller); err != nil {
		t.Fatal(err)
	}
	r, err := e.v.VerifyCredential(context.Background(), out.VerifiableCredential, verifier.Options{Checks: []string{"proof"}})
	if err != nil || !r.Verified || len(r.Status) != 0 {
		t.Errorf("proof-only check: %v %+v", err, r)
	}
}

func clone(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func mustJSON(t testing.TB, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// forged is a credential naming the did:web instance as issuer, signed by the did:key
// instance's key: its proof verifies, but not as the issuer's.
func forged(t testing.TB, e *env) []byte {
	doc := issuertest.Credential(e.Agent)
	var m map[string]any
	if err := json.Unmarshal(doc, &m); err != nil {
		t.Fatal(err)
	}
	m["issuer"] = issuertest.WebDID
	m["validFrom"] = "2026-03-01T00:00:00Z"
	signed, err := dataintegrity.AddProof(mustJSON(t, m), e.Main.Signer, dataintegrity.ProofOptions{
		Cryptosuite: dataintegrity.EdDSAJCS2022, VerificationMethod: e.Main.VerificationMethod})
	if err != nil {
		t.Fatal(err)
	}
	return signed
}

// TestJCSCredentialMustBeJSONLD: a JCS proof signs the JSON alone, so a credential whose
// context redefines a protected term, or is unknown, verifies cryptographically; it is
// still not a conforming document and fails with MALFORMED_VALUE_ERROR.
func TestJCSCredentialMustBeJSONLD(t *testing.T) {
	e := newEnv(t)
	for name, extra := range map[string]any{
		"protected term redefined": map[string]any{"VerifiableCredential": "https://example.org/#Bad"},
		"unknown context":          "https://example.com/unknown/v1",
	} {
		var m map[string]any
		if err := json.Unmarshal(issuertest.Credential(e.Agent), &m); err != nil {
			t.Fatal(err)
		}
		m["issuer"] = e.Main.DID
		m["@context"] = append(m["@context"].([]any), extra)
		signed, err := dataintegrity.AddProof(mustJSON(t, m), e.Main.Signer, dataintegrity.ProofOptions{
			Cryptosuite: dataintegrity.EdDSAJCS2022, VerificationMethod: e.Main.VerificationMethod})
		if err != nil {
			t.Fatal(err)
		}
		r, err := e.v.VerifyCredential(context.Background(), signed, verifier.Options{})
		if err != nil || r.Verified || !errors.Is(failed(r)[verifier.CheckProof], vc.ErrMalformedValue) {
			t.Errorf("%s: verified %v, checks %v, err %v", name, r != nil && r.Verified, failed(r), err)
		}
	}
}

// TestProofSetWithAWitness: a proof set may hold proofs by others (a witness, an
// endorser) besides the issuer's; every proof must verify and one must be the issuer's.
func TestProofSetWithAWitness(t *testing.T) {
	e := newEnv(t)
	out := e.issue(t, e.Agent, issuer.IssueOptions{})
	witnessed, err := dataintegrity.AddProof(out.VerifiableCredential, e.AgentKey, dataintegrity.ProofOptions{
		Cryptosuite: dataintegrity.EdDSARDFC2022, VerificationMethod: e.Agent + "#" + e.Agent[len("did:key:"):]})
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.v.VerifyCredential(context.Background(), witnessed, verifier.Options{})
	if err != nil || !r.Verified || len(r.Proofs) != 2 {
		t.Fatalf("issuer's proof and a witness's: verified %v, %d proofs, checks %v, %v", r.Verified, len(r.Proofs), failed(r), err)
	}
	// The witness's proof alone does not stand in for the issuer's.
	var m map[string]any
	if err := json.Unmarshal(witnessed, &m); err != nil {
		t.Fatal(err)
	}
	m["proof"] = m["proof"].([]any)[1:]
	r, err = e.v.VerifyCredential(context.Background(), mustJSON(t, m), verifier.Options{})
	if err != nil || r.Verified || !errors.Is(failed(r)[verifier.CheckProof], verifier.ErrIssuerMismatch) {
		t.Fatalf("witness alone: verified %v, checks %v, %v", r.Verified, failed(r), err)
	}
}
