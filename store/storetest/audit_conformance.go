package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/memstore"
	"github.com/kakunin-dev/kakunin/store"
	"golang.org/x/mod/sumdb/tlog"
)

// auditConformanceSize is not a power of two, so the tree has incomplete subtrees.
const auditConformanceSize = 21

// testAuditMatchesMemstore logs the same entries in SQL and in memstore, the
// reference: every stored hash, root, inclusion and consistency proof, and the
// signed checkpoint must be identical.
func testAuditMatchesMemstore(t *testing.T, b AuditBackend) {
	ctx := context.Background()
	db := auditDB(t, b, b.New(t))
	appendLogged(t, db, 0, auditConformanceSize, false)
	ref := new(memstore.Store)
	for i := range int64(auditConformanceSize) {
		if _, err := audit.Append(ctx, ref, auditEntry(i)); err != nil {
			t.Fatal(err)
		}
	}
	want := ref.Data()
	all := make([]int64, len(want.Hashes))
	for i := range all {
		all[i] = int64(i)
	}
	got, err := db.ReadHashes(ctx, all)
	if err != nil || !slices.Equal(got, want.Hashes) {
		t.Fatalf("stored hashes differ from memstore's (%v)", err)
	}
	for size := uint64(1); size <= auditConformanceSize; size++ {
		sameHashes(t, "root", size, 0, func(r audit.HashReader) ([]tlog.Hash, error) {
			h, err := audit.TreeHash(ctx, r, size)
			return []tlog.Hash{h}, err
		}, db, ref)
		for i := range size {
			sameHashes(t, "inclusion proof", size, i, func(r audit.HashReader) ([]tlog.Hash, error) {
				return audit.InclusionProof(ctx, r, i, size)
			}, db, ref)
			sameHashes(t, "consistency proof", size, i, func(r audit.HashReader) ([]tlog.Hash, error) {
				return audit.ConsistencyProof(ctx, r, i, size)
			}, db, ref)
		}
	}
	sqlNote, refNote := signLog(t, db, auditCheckpointer(t, 1)), signMemstore(t, ref)
	if string(sqlNote) != string(refNote) {
		t.Fatalf("signed checkpoints differ:\n%s\n%s", sqlNote, refNote)
	}
	if latest, err := db.LatestCheckpoint(ctx); err != nil || string(latest) != string(sqlNote) {
		t.Fatalf("LatestCheckpoint = %q, %v; want the note just signed", latest, err)
	}
}

func sameHashes(t *testing.T, what string, size, i uint64, f func(audit.HashReader) ([]tlog.Hash, error),
	db, ref audit.HashReader) {
	t.Helper()
	got, err := f(db)
	want, refErr := f(ref)
	if err != nil || refErr != nil || !slices.Equal(got, want) {
		t.Fatalf("%s %d in %d: SQL %x (%v), memstore %x (%v)", what, i, size, got, err, want, refErr)
	}
}

func signMemstore(t *testing.T, ref *memstore.Store) []byte {
	t.Helper()
	var note []byte
	err := ref.Update(func(tx audit.Tx) (err error) {
		note, err = auditCheckpointer(t, 1).Sign(context.Background(), tx)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return note
}

// testAuditQueries checks the reads that serve auditors and the HTTP API.
func testAuditQueries(t *testing.T, b AuditBackend) {
	ctx := context.Background()
	db := auditDB(t, b, b.New(t))
	appendLogged(t, db, 0, 7, true)
	got, err := db.EntriesRange(ctx, 2, 5)
	if err != nil || len(got) != 3 || got[0].Index != 2 || got[2].Index != 4 {
		t.Fatalf("EntriesRange(2, 5) = %+v, %v", got, err)
	}
	if want, _ := auditEntry(3).Encode(); string(got[1].Entry) != string(want) {
		t.Errorf("entry 3 = %s, want %s", got[1].Entry, want)
	}
	if got, err := db.EntriesRange(ctx, 5, 1<<63+5); err != nil || len(got) != 2 {
		t.Errorf("EntriesRange beyond the tree = %d entries, %v; want 2", len(got), err)
	}
	// Subject did:kakunin:agent1 has entries 1 and 4 of 0..6 (n%3 == 1), and 7 after.
	forDID, err := db.EntriesForDID(ctx, "did:kakunin:agent1", 2, 10)
	if err != nil || len(forDID) != 1 || forDID[0].Index != 4 {
		t.Errorf("EntriesForDID from 2 = %+v, %v; want index 4", forDID, err)
	}
	if forDID, _ := db.EntriesForDID(ctx, "did:kakunin:agent1", 0, 1); len(forDID) != 1 || forDID[0].Index != 1 {
		t.Errorf("EntriesForDID limit 1 = %+v; want index 1", forDID)
	}
	first := got[0].Entry
	if i, err := db.IndexByLeafHash(ctx, audit.LeafHash(first)); err != nil || i != 2 {
		t.Errorf("IndexByLeafHash(entry 2) = %d, %v", i, err)
	}
	if _, err := db.IndexByLeafHash(ctx, audit.LeafHash([]byte("never logged"))); !errors.Is(err, audit.ErrNotFound) {
		t.Errorf("IndexByLeafHash of an unknown leaf = %v, want audit.ErrNotFound", err)
	}
	// More indexes than one query takes, repeated and out of order.
	many := make([]int64, 150)
	for i := range many {
		many[i] = int64(len(many)-i) % tlog.StoredHashCount(7)
	}
	hashes, err := db.ReadHashes(ctx, many)
	for i, x := range many {
		if one, _ := db.ReadHashes(ctx, []int64{x}); err != nil || len(one) != 1 || hashes[i] != one[0] {
			t.Fatalf("ReadHashes of %d indexes: position %d (index %d) differs from a single read (%v)",
				len(many), i, x, err)
		}
	}
	var missing *store.MissingHashError
	if _, err := db.ReadHashes(ctx, []int64{0, 1 << 40}); !errors.As(err, &missing) ||
		missing.StorageIndex != 1<<40 || !errors.Is(err, store.ErrNotFound) {
		t.Errorf("ReadHashes of an unwritten index = %v, want *MissingHashError", err)
	}
	if _, bundle, err := verifyAuditLog(t, db); err != nil || len(bundle.Entries) != 7 {
		t.Errorf("exported log does not verify: %v", err)
	}
}

// testAuditAtomicity: a failed transaction leaves neither its registry write
// nor its log entry, and the next append takes the index it would have had.
func testAuditAtomicity(t *testing.T, b AuditBackend) {
	ctx := context.Background()
	db := auditDB(t, b, b.New(t))
	appendLogged(t, db, 0, 3, false)
	errAbort := errors.New("abort")
	err := db.Tx(ctx, func(tx store.Tx) error {
		if _, err := issueLogged(ctx, tx, 3); err != nil {
			return err
		}
		return errAbort
	})
	if !errors.Is(err, errAbort) {
		t.Fatalf("Tx = %v, want the function's error", err)
	}
	if _, err := db.Certificate(ctx, "o1", auditSerial(4)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("certificate of the failed transaction: %v, want ErrNotFound", err)
	}
	if got, _ := db.EntriesRange(ctx, 0, 10); len(got) != 3 {
		t.Errorf("%d entries after a failed append, want 3", len(got))
	}
	if _, err := db.ReadHashes(ctx, []int64{tlog.StoredHashCount(3)}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("hash of the failed append: %v, want ErrNotFound", err)
	}
	appendLogged(t, db, 3, 1, true) // logs certificate 3 at index 3
	if _, _, err := verifyAuditLog(t, db); err != nil {
		t.Fatal(err)
	}
}
