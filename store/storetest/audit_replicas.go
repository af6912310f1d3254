package storetest

import (
	"context"
	"sync"
	"testing"

	"github.com/kakunin-dev/kakunin/store"
)

// testAuditTwoStores opens two independent stores (two pools, as two replicas
// would have) on one database. Many goroutines of each append, each with a
// registry write in the same transaction, while both keep signing checkpoints:
// the result must be one tree, every acknowledged append at the index its
// caller was told, no index given twice, no gap, and a log that verifies.
func testAuditTwoStores(t *testing.T, b AuditBackend) {
	const callers, appends = 16, 6
	dsn := b.New(t)
	stores := []store.AuditDB{auditDB(t, b, dsn), auditDB(t, b, dsn)}
	ctx := context.Background()
	var mu sync.Mutex
	acked := map[uint64]int64{} // index → certificate
	var wg sync.WaitGroup
	for r, db := range stores {
		for g := range callers {
			wg.Go(func() {
				for j := range appends {
					n := int64(r*10000 + g*100 + j)
					var idx uint64
					err := db.Tx(ctx, func(tx store.Tx) (err error) {
						idx, err = issueLogged(ctx, tx, n)
						return err
					})
					if err != nil {
						t.Errorf("replica %d append: %v", r, err)
						return
					}
					mu.Lock()
					if prev, dup := acked[idx]; dup {
						t.Errorf("index %d given to certificates %d and %d", idx, prev, n)
					}
					acked[idx] = n
					mu.Unlock()
				}
			})
		}
		wg.Go(func() {
			for range appends {
				if _, err := trySign(db, auditCheckpointer(t, 1)); err != nil {
					t.Errorf("replica %d sign: %v", r, err)
				}
			}
		})
	}
	wg.Wait()
	const total = 2 * callers * appends
	if len(acked) != total {
		t.Fatalf("%d appends acknowledged, want %d", len(acked), total)
	}
	signLog(t, stores[1], auditCheckpointer(t, 1))
	for r, db := range stores {
		_, bundle, err := verifyAuditLog(t, db)
		if err != nil || len(bundle.Entries) != total {
			t.Fatalf("replica %d: the log does not verify: %v", r, err)
		}
		for _, e := range bundle.Entries {
			want, _ := auditEntry(acked[e.Index]).Encode()
			if string(e.Entry) != string(want) {
				t.Fatalf("replica %d: entry %d is not the one acknowledged there", r, e.Index)
			}
		}
	}
}
