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
	e := newEnvCached(b)
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
