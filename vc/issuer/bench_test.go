package issuer_test

import (
	"context"
	"testing"

	"github.com/kakunin-dev/kakunin/vc/issuer"
	"github.com/kakunin-dev/kakunin/vc/issuer/issuertest"
)

// BenchmarkIssue measures an issuance with a Data Integrity eddsa-rdfc-2022 proof on the
// in-memory store: preparation, policy (one did:key resolution), two status allocations,
// RDFC canonicalization, signing and the audit append.
func BenchmarkIssue(b *testing.B) {
	e := issuertest.New(b)
	req := issuer.IssueRequest{Credential: issuertest.Credential(e.Agent), Caller: e.Caller}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Issuer.Issue(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}
