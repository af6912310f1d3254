package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/store"
	"golang.org/x/mod/sumdb/tlog"
)

// testAuditGroupCommitSplit runs many appends at once, so that group commit
// batches them, with every fourth failing after its append: the batches are
// split and rerun, and the log must hold exactly the successful appends, at
// the indexes their callers were told, without gaps.
func testAuditGroupCommitSplit(t *testing.T, b AuditBackend) {
	ctx := context.Background()
	db := auditDB(t, b, b.New(t))
	const callers = 32
	errAbort := errors.New("abort")
	var mu sync.Mutex
	logged := map[uint64]int64{} // index → certificate
	var wg sync.WaitGroup
	for n := range int64(callers) {
		wg.Go(func() {
			var idx uint64
			err := db.Tx(ctx, func(tx store.Tx) (err error) {
				idx = 0 // the function may run again: reset its result
				if idx, err = issueLogged(ctx, tx, n); err == nil && n%4 == 3 {
					err = errAbort
				}
				return err
			})
			switch {
			case n%4 == 3 && !errors.Is(err, errAbort):
				t.Errorf("failing append %d: %v", n, err)
			case n%4 != 3 && err != nil:
				t.Errorf("append %d: %v", n, err)
			case err == nil:
				mu.Lock()
				logged[idx] = n
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	got, err := db.EntriesRange(ctx, 0, callers)
	if err != nil || len(got) != callers*3/4 || len(logged) != len(got) {
		t.Fatalf("%d entries stored, %d acknowledged (%v); want %d", len(got), len(logged), err, callers*3/4)
	}
	for i, e := range got {
		n, ok := logged[e.Index]
		want, _ := auditEntry(n).Encode()
		if e.Index != uint64(i) || !ok || string(e.Entry) != string(want) {
			t.Fatalf("entry at %d (position %d) is not the one acknowledged there", e.Index, i)
		}
	}
	signLog(t, db, auditCheckpointer(t, 1))
	if _, _, err := verifyAuditLog(t, db); err != nil {
		t.Fatal(err)
	}
}

// testAuditAppendLeafChecks: AppendLeaf refuses a leaf that is not at the end
// of the tree or whose hashes do not fit the layout, and changes nothing.
func testAuditAppendLeafChecks(t *testing.T, b AuditBackend) {
	ctx := context.Background()
	db := auditDB(t, b, b.New(t))
	appendLogged(t, db, 0, 2, false)
	data, _ := auditEntry(9).Encode()
	// leaf returns a leaf at idx with delta more hashes than the layout has.
	leaf := func(idx uint64, delta int64) audit.Leaf {
		n := tlog.StoredHashCount(int64(idx)+1) - tlog.StoredHashCount(int64(idx)) + delta
		hs := make([]tlog.Hash, n)
		if n > 0 {
			hs[0] = audit.LeafHash(data)
		}
		return audit.Leaf{Index: idx, Entry: data, Hashes: hs}
	}
	wrongFirst := leaf(2, 0)
	wrongFirst.Hashes[0] = tlog.Hash{1}
	tests := []struct {
		name string
		leaf audit.Leaf
		want error
	}{
		{"behind the end", leaf(1, 0), store.ErrConflict},
		{"past the end", leaf(3, 0), store.ErrConflict},
		{"too few hashes", leaf(2, -1), store.ErrInvalid},
		{"too many hashes", leaf(2, 1), store.ErrInvalid},
		{"wrong leaf hash", wrongFirst, store.ErrInvalid},
		{"empty entry", audit.Leaf{Index: 2, Hashes: make([]tlog.Hash, 1)}, store.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := db.Tx(ctx, func(tx store.Tx) error {
				atx, err := store.Audit(tx)
				if err != nil {
					return err
				}
				return atx.AppendLeaf(ctx, tt.leaf)
			})
			if !errors.Is(err, tt.want) {
				t.Fatalf("AppendLeaf = %v, want %v", err, tt.want)
			}
		})
	}
	appendLogged(t, db, 2, 1, true)
	if _, bundle, err := verifyAuditLog(t, db); err != nil || len(bundle.Entries) != 3 {
		t.Fatalf("log after refused leaves: %v", err)
	}
}
