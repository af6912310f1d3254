package storetest

import (
	"context"
	"fmt"
	"math/big"
	"sync/atomic"
	"testing"

	"github.com/kakunin-dev/kakunin/store"
)

// BenchmarkWrites measures durable write throughput: many concurrent callers
// (64 goroutines) each record a certificate and append its issued event in one
// transaction, with group commit (MaxBatch 256) and without (MaxBatch 1). open
// returns a new, empty store with the given MaxBatch. It reports writes/s.
func BenchmarkWrites(b *testing.B, open func(b *testing.B, maxBatch int) store.DB) {
	for _, batch := range []int{256, 1} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) {
			db := open(b, batch)
			ctx := context.Background()
			if err := db.Tx(ctx, func(tx store.Tx) error { return tx.CreateOwner(ctx, owner("o1")) }); err != nil {
				b.Fatal(err)
			}
			var next atomic.Int64
			b.SetParallelism(32)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := db.Tx(ctx, issueOne(next.Add(1))); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "writes/s")
		})
	}
}

func issueOne(n int64) func(store.Tx) error {
	return func(tx store.Tx) error {
		did := fmt.Sprintf("did:bench:%d", n)
		if err := tx.PutCertificate(ctx, cert("o1", n, did)); err != nil {
			return err
		}
		_, err := tx.AppendEvent(ctx, store.Event{DID: did, Kind: store.EventIssued, Time: at(int(n)),
			IssuerID: "o1", Serial: big.NewInt(n)})
		return err
	}
}
