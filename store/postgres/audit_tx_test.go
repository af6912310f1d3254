package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/memstore"
	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/postgres"
	"golang.org/x/mod/sumdb/tlog"
)

// TestAuditAppendsInOneTransaction appends many entries in one transaction,
// where the tree lock is taken once and the size and recent hashes are followed
// in memory and leaves are written together, with a lookup of a leaf just
// appended and a refused stale leaf in the middle: the indexes, the hashes
// read inside the transaction and the stored tree after the commit must match
// the in-memory reference log fed the same entries.
func TestAuditAppendsInOneTransaction(t *testing.T) {
	ctx := context.Background()
	db := openDSN(t, freshSchema(t), postgres.Options{})
	ref := &memstore.Store{}
	const n = 40 // crosses several power-of-two boundaries
	entry := func(i int) audit.Entry {
		return audit.Entry{Type: audit.CertIssued, Time: time.Unix(1_700_000_000+int64(i), 0).UTC(),
			Actor: "system", Tenant: "tenant", Subject: fmt.Sprintf("did:kakunin:agent%d", i%3),
			Digest: audit.SHA256([]byte{byte(i)})}
	}
	for _, round := range []int{0, 1} { // the second starts from a tree written before
		err := db.Tx(ctx, func(tx store.Tx) error {
			atx, err := store.Audit(tx)
			if err != nil {
				return err
			}
			for i := range n {
				e := entry(round*n + i)
				got, err := audit.Append(ctx, atx, e)
				if err != nil {
					return err
				}
				var want uint64
				if err := ref.Update(func(r audit.Tx) (err error) { want, err = audit.Append(ctx, r, e); return err }); err != nil {
					return err
				}
				if got != want {
					t.Errorf("entry %d at index %d, want %d", round*n+i, got, want)
				}
				if i == n/2 {
					data, err := e.Encode()
					if err != nil {
						return err
					}
					if idx, err := atx.IndexByLeafHash(ctx, audit.LeafHash(data)); err != nil || idx != got {
						t.Errorf("IndexByLeafHash in the transaction = %d, %v; want %d", idx, err, got)
					}
					idx := int64(got)
					hashes := make([]tlog.Hash, tlog.StoredHashCount(idx+1)-tlog.StoredHashCount(idx))
					hashes[0] = audit.LeafHash([]byte("x"))
					stale := audit.Leaf{Index: got, Entry: []byte("x"), Hashes: hashes}
					if err := atx.AppendLeaf(ctx, stale); !errors.Is(err, store.ErrConflict) {
						t.Errorf("AppendLeaf at the stale index %d = %v, want ErrConflict", got, err)
					}
				}
				size := uint64(round*n + i + 1)
				inTx, err := audit.TreeHash(ctx, atx, size)
				if err != nil {
					return err
				}
				if want, _ := audit.TreeHash(ctx, ref, size); inTx != want {
					t.Errorf("tree hash of size %d read in the transaction differs from the reference", size)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	adb := db.(store.AuditDB)
	for _, size := range []uint64{1, n, n + 1, 2 * n} {
		got, err := audit.TreeHash(ctx, adb, size)
		if err != nil {
			t.Fatal(err)
		}
		if want, _ := audit.TreeHash(ctx, ref, size); got != want {
			t.Errorf("stored tree hash of size %d differs from the reference", size)
		}
	}
}
