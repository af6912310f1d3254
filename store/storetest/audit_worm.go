package storetest

import (
	"context"
	"slices"
	"testing"

	"github.com/kakunin-dev/kakunin/store"
)

// wormStatements change or remove logged rows; each must fail on every backend.
var wormStatements = []rawStmt{
	raw(`UPDATE audit_entries SET entry = entry`),
	raw(`UPDATE audit_entries SET subject = 'did:kakunin:other' WHERE idx = 1`),
	raw(`UPDATE audit_entries SET idx = idx + 100 WHERE idx = 2`),
	raw(`DELETE FROM audit_entries WHERE idx = 2`),
	raw(`DELETE FROM audit_entries`),
	raw(`UPDATE audit_hashes SET hash = hash WHERE storage_idx = 0`),
	raw(`DELETE FROM audit_hashes WHERE storage_idx = 0`),
	raw(`DELETE FROM audit_hashes`),
	raw(`UPDATE audit_checkpoints SET note = note`),
	raw(`DELETE FROM audit_checkpoints`),
	raw(`UPDATE audit_tree SET size = 2`),
	raw(`UPDATE audit_tree SET size = 0`),
	raw(`DELETE FROM audit_tree`),
	// A checkpoint smaller than the latest, and one larger than the tree.
	raw(`INSERT INTO audit_checkpoints (size, note) VALUES (1, $1)`, []byte("x")),
	raw(`INSERT INTO audit_checkpoints (size, note) VALUES (4, $1)`, []byte("x")),
}

// testAuditWORM runs every forbidden statement directly on the database, as
// the service's own role would: each must fail, and the log must still export
// and verify unchanged. Then, as a control that they failed because of the
// guards (not, say, a typo), it drops the WORM triggers: each must now succeed.
func testAuditWORM(t *testing.T, b AuditBackend) {
	ctx := context.Background()
	dsn := b.New(t)
	db := auditDB(t, b, dsn)
	appendLogged(t, db, 0, 3, true)
	before, _ := db.LatestCheckpoint(ctx)
	forbidden := slices.Clone(wormStatements)
	for _, q := range b.Forbidden {
		forbidden = append(forbidden, raw(q))
	}
	for _, s := range forbidden {
		t.Run(s.q, func(t *testing.T) {
			if err := b.Exec(t, dsn, s.q, s.args...); err == nil {
				t.Fatal("the statement succeeded")
			}
		})
	}
	_, bundle, err := verifyAuditLog(t, db)
	if err != nil || len(bundle.Entries) != 3 {
		t.Fatalf("log after the forbidden statements: %v", err)
	}
	if after, _ := db.LatestCheckpoint(ctx); string(after) != string(before) {
		t.Error("the latest checkpoint changed")
	}
	err = db.Tx(ctx, func(tx store.Tx) error {
		atx, err := store.Audit(tx)
		if err != nil {
			return err
		}
		size, err := atx.LockTree(ctx)
		if err == nil && size != 3 {
			t.Errorf("tree size %d, want 3", size)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	tamperDirectly(t, b, dsn, func(func(string, ...any)) {})
	for _, s := range forbidden {
		if err := b.Exec(t, dsn, s.q, s.args...); err != nil {
			t.Errorf("without the WORM triggers, %s: %v", s.q, err)
		}
	}
}
