package revocation

import (
	"context"
	"testing"
	"time"
)

// BenchmarkCheckWarmCache measures Check answered from a cached CRL (target ≤ 5 µs).
func BenchmarkCheckWarmCache(b *testing.B) {
	ca := newCA(b, "owner CA")
	cert := ca.leaf(b, 11)
	var revoked []revokedSerial
	for i := int64(1000); i < 2000; i++ {
		revoked = append(revoked, revokedSerial{i, 1})
	}
	c := New(Options{Now: func() time.Time { return testNow }, DisableOCSP: true,
		CRLSource: &localCRLs{der: ca.crl(b, 1, testNow.Add(-time.Minute), nil, revoked...)}})
	ctx := context.Background()
	if _, err := c.Check(ctx, cert, ca.cert); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if r, err := c.Check(ctx, cert, ca.cert); err != nil || !r.Cached {
			b.Fatal(r, err)
		}
	}
}
