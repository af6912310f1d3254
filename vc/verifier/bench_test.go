package verifier_test

import (
	"context"
	"testing"

	"github.com/kakunin-dev/kakunin/vc/issuer"
	"github.com/kakunin-dev/kakunin/vc/verifier"
)

// BenchmarkVerifyCredential measures verifying an eddsa-rdfc-2022 credential with every check:
// proof (did:key resolution, RDFC, Ed25519), validity, and two status entries read from the
// issuer's own lists (cached by the Checker after the first verification).
func BenchmarkVerifyCredential(b *testing.B) {
	benchmarkVerify(b, newEnvCached(b))
}

// BenchmarkVerifyCredentialUncached is BenchmarkVerifyCredential as the service deploys the
// verifier: without the list cache, so every verification fetches both lists from the issuer
// (which checks their versions) and a status change shows in the next one; the proofs of
// unchanged list bytes are not verified again (status.Options.ProofMemoTTL).
func BenchmarkVerifyCredentialUncached(b *testing.B) {
	benchmarkVerify(b, newEnv(b))
}

func benchmarkVerify(b *testing.B, e *env) {
	out := e.issue(b, e.Agent, issuer.IssueOptions{})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		r, err := e.v.VerifyCredential(ctx, out.VerifiableCredential, verifier.Options{})
		if err != nil || !r.Verified {
			b.Fatal(err, r)
		}
	}
}
