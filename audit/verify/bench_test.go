package verify_test

import (
	"testing"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/verify"
)

// BenchmarkVerify verifies a bundle of a whole 1,024-entry log.
func BenchmarkVerify(b *testing.B) {
	bundle := export(b, newLog(b, 1024), audit.ExportRequest{})
	v := verifier(b)
	for b.Loop() {
		if _, err := v.Verify(verify.State{}, bundle); err != nil {
			b.Fatal(err)
		}
	}
}
