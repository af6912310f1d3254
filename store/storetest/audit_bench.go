package storetest

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/store"
)

// BenchmarkAuditAppends measures durable audit throughput: many concurrent
// callers (32 per GOMAXPROCS) each append an entry in its own DB.Tx, alone
// ("entry") or with the certificate it records ("entry+cert"), with group
// commit (MaxBatch 256) and without (MaxBatch 1). open returns a new, empty
// store with the given MaxBatch. It reports entries/s.
func BenchmarkAuditAppends(b *testing.B, open func(b *testing.B, maxBatch int) store.DB) {
	cases := []struct {
		name  string
		batch int
		write func(ctx context.Context, tx store.Tx, n int64) error
	}{
		{"entry/batch=256", 256, appendOnly},
		{"entry/batch=1", 1, appendOnly},
		{"entry+cert/batch=256", 256, func(ctx context.Context, tx store.Tx, n int64) error {
			_, err := issueLogged(ctx, tx, n)
			return err
		}},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			db := open(b, tc.batch)
			ctx := context.Background()
			if err := db.Tx(ctx, func(tx store.Tx) error { return tx.CreateOwner(ctx, owner("o1")) }); err != nil {
				b.Fatal(err)
			}
			var next atomic.Int64
			b.SetParallelism(32)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					n := next.Add(1)
					if err := db.Tx(ctx, func(tx store.Tx) error { return tc.write(ctx, tx, n) }); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "entries/s")
			b.StopTimer()
			if _, err := trySign(db, auditCheckpointer(b, 1)); err != nil {
				b.Fatal(err)
			}
		})
	}
}

func appendOnly(ctx context.Context, tx store.Tx, n int64) error {
	atx, err := store.Audit(tx)
	if err == nil {
		_, err = audit.Append(ctx, atx, auditEntry(n))
	}
	return err
}

// BenchmarkAuditProofs measures inclusion and consistency proofs read from a
// store whose log holds size entries (built by the caller, for instance with a
// bulk insert) and a signed checkpoint of that size.
func BenchmarkAuditProofs(b *testing.B, db store.AuditDB, size uint64) {
	ctx := context.Background()
	b.Run("inclusion", func(b *testing.B) {
		i := uint64(0)
		for b.Loop() {
			i = (i + 7919) % size // a prime stride visits leaves all over the tree
			if _, err := audit.InclusionProof(ctx, db, i, size); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("consistency", func(b *testing.B) {
		old := uint64(1)
		for b.Loop() {
			old = (old+104729)%(size-1) + 1
			if _, err := audit.ConsistencyProof(ctx, db, old, size); err != nil {
				b.Fatal(err)
			}
		}
	})
}
