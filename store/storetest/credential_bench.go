package storetest

import (
	"crypto/rand"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/vc/status"
)

// BenchmarkIssuance measures durable issuance-shaped transactions: 64 parallel
// callers (SetParallelism 32 on 2 CPUs) each record a 1.5 KiB credential with a
// revocation index in one transaction, group-committed (MaxBatch 256) and not
// (MaxBatch 1). With "allocate" the index is allocated in that transaction and
// the credential written with PutCredential; with "reserved" each caller
// reserves blocks of 64 indexes in transactions of their own and binds one with
// HoldCredential, as the issuer does. open returns a new, empty store with the
// given MaxBatch. It reports issuances/s.
func BenchmarkIssuance(b *testing.B, open func(b *testing.B, maxBatch int) store.DB) {
	data := make([]byte, 1536)
	for _, batch := range []int{256, 1} {
		for _, mode := range []string{"allocate", "reserved"} {
			b.Run(fmt.Sprintf("batch=%d/%s", batch, mode), func(b *testing.B) {
				benchIssuance(b, open(b, batch), mode == "reserved", data)
			})
		}
	}
}

func benchIssuance(b *testing.B, db store.DB, reserved bool, data []byte) {
	s := store.StatusListSpec{InstanceID: "i1", Purpose: status.Revocation,
		URLPrefix: "https://issuer.example/status/", At: t0}
	var next atomic.Int64
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var block []store.StatusEntry
		for pb.Next() {
			id := fmt.Sprintf("c%d", next.Add(1))
			if !reserved {
				if err := db.Tx(ctx, issueBench(id, s, data)); err != nil {
					b.Error(err)
					return
				}
				continue
			}
			if len(block) == 0 {
				var err error
				if block, err = reserve(db, s, 64); err != nil {
					b.Error(err)
					return
				}
			}
			c := credential(id, "did:bench:"+id, block[len(block)-1])
			block, c.Data = block[:len(block)-1], data
			if err := hold(db, c); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "issuances/s")
}

func issueBench(id string, s store.StatusListSpec, data []byte) func(store.Tx) error {
	return func(tx store.Tx) error {
		ct, err := credTx(tx)
		if err != nil {
			return err
		}
		e, err := ct.AllocateStatusIndex(ctx, s, rand.Reader)
		if err != nil {
			return err
		}
		c := credential(id, "did:bench:"+id, e)
		c.Data = data
		return ct.PutCredential(ctx, c)
	}
}
