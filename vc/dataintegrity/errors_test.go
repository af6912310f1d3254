package dataintegrity

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/kakunin-dev/kakunin/did/key"
	"github.com/kakunin-dev/kakunin/internal/vectors"
	"github.com/kakunin-dev/kakunin/vc"
)

// TestErrorKinds checks which sentinels each error type matches and the
// problem details it gives.
func TestErrorKinds(t *testing.T) {
	tests := []struct {
		typ     ErrorType
		matches []error
		not     []error
		status  int
	}{
		{ProofGenerationError, []error{ErrProofGeneration}, []error{ErrProofVerification, vc.ErrCryptographicSecurity}, http.StatusBadRequest},
		{ProofVerificationError, []error{ErrProofVerification, vc.ErrCryptographicSecurity}, []error{ErrMalformedProof}, http.StatusUnprocessableEntity},
		{MalformedProofError, []error{ErrMalformedProof, ErrProofVerification, vc.ErrCryptographicSecurity}, []error{ErrInvalidDomain}, http.StatusUnprocessableEntity},
		{MismatchedProofPurposeError, []error{ErrMismatchedProofPurpose, ErrProofVerification}, []error{ErrMalformedProof}, http.StatusUnprocessableEntity},
		{InvalidDomainError, []error{ErrInvalidDomain, vc.ErrCryptographicSecurity}, []error{ErrProofVerification}, http.StatusUnprocessableEntity},
		{InvalidChallengeError, []error{ErrInvalidChallenge, vc.ErrCryptographicSecurity}, []error{ErrInvalidDomain}, http.StatusUnprocessableEntity},
		{ProofTransformationError, []error{ErrProofTransformation, vc.ErrCryptographicSecurity}, []error{ErrProofGeneration}, http.StatusUnprocessableEntity},
	}
	for _, tc := range tests {
		t.Run(string(tc.typ), func(t *testing.T) {
			err := error(fail(tc.typ, 2, ErrKeyType, "detail"))
			for _, m := range append(tc.matches, ErrKeyType) {
				if !errors.Is(err, m) {
					t.Errorf("does not match %v", m)
				}
			}
			for _, m := range tc.not {
				if errors.Is(err, m) {
					t.Errorf("matches %v", m)
				}
			}
			p := err.(*Error).Problem()
			if p.Type != string(tc.typ) || p.Status != tc.status || p.Title == "" || p.Detail == "" {
				t.Errorf("problem %+v", p)
			}
		})
	}
}

// TestLegacySuiteIsOptIn: an Ed25519Signature2020 proof verifies only when the
// caller lists that suite.
func TestLegacySuiteIsOptIn(t *testing.T) {
	dir := filepath.Join(vectors.Dir(t, "vc-di-eddsa"), "TestVectors", "Ed25519Signature2020")
	doc := readFile(t, dir, "signedEdSig.json")
	opts := VerifyOptions{Resolver: key.Resolver{}, JSONLD: testProcessor(t)}
	if _, err := Verify(context.Background(), doc, opts); !errors.Is(err, ErrUnsupportedCryptosuite) {
		t.Fatalf("default options: error %v, want ErrUnsupportedCryptosuite", err)
	}
	opts.Cryptosuites = []string{Ed25519Signature2020}
	if _, err := Verify(context.Background(), doc, opts); err != nil {
		t.Fatalf("with Ed25519Signature2020 allowed: %v", err)
	}
}

func TestProcessesJSONLD(t *testing.T) {
	for suite, want := range map[string]bool{EdDSARDFC2022: true, ECDSARDFC2019: true, Ed25519Signature2020: true,
		EdDSAJCS2022: false, ECDSAJCS2019: false, "vc+jwt": false, "": false} {
		if got := ProcessesJSONLD(suite); got != want {
			t.Errorf("ProcessesJSONLD(%q) = %v", suite, got)
		}
	}
}
