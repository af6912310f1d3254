package audithttp_test

import (
	"net/http"
	"testing"

	"github.com/kakunin-dev/kakunin/audit/audithttp"
	"github.com/kakunin-dev/kakunin/audit/verify"
)

// benchLog is a signed log of 4096 entries behind the server stack.
func benchLog(b *testing.B) *testLog {
	return newTestLog(b, 4096, audithttp.Config{})
}

func benchGet(b *testing.B, l *testLog, path string) {
	b.ReportAllocs()
	for b.Loop() {
		if rec := l.get(b, path); rec.Code != http.StatusOK {
			b.Fatalf("%s = %d", path, rec.Code)
		}
	}
}

func BenchmarkCheckpointCached(b *testing.B) {
	benchGet(b, benchLog(b), "/audit/checkpoint")
}

func BenchmarkInclusionProof(b *testing.B) {
	benchGet(b, benchLog(b), "/audit/proof/inclusion?index=1234&size=4096")
}

func BenchmarkEntriesPage(b *testing.B) {
	benchGet(b, benchLog(b), "/audit/entries?start=0&end=1000")
}

func BenchmarkExportPage(b *testing.B) {
	benchGet(b, benchLog(b), "/audit/export?from=0&to=1000")
}

func BenchmarkClientVerify(b *testing.B) {
	l := benchLog(b)
	c, err := audithttp.NewClient(serverURL(b, l), nil)
	if err != nil {
		b.Fatal(err)
	}
	v, err := verify.New(origin, l.cp.VerifierKey())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, n, err := c.Verify(b.Context(), v, verify.State{}, 0); err != nil || n != 4096 {
			b.Fatal(n, err)
		}
	}
}
