package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/store"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// testAuditCheckpointsGrow signs as the tree grows (and does not), and then
// tries to save checkpoints directly: the store itself refuses one smaller than
// the latest or larger than the tree.
func testAuditCheckpointsGrow(t *testing.T, b AuditBackend) {
	ctx := context.Background()
	db := auditDB(t, b, b.New(t))
	c := auditCheckpointer(t, 1)
	v, _ := note.NewVerifier(c.VerifierKey())
	var notes [][]byte
	size := int64(0)
	for _, grow := range []int64{0, 5, 3, 0, 1} {
		appendLogged(t, db, size, grow, false)
		size += grow
		signed := signLog(t, db, c)
		cp, err := audit.OpenCheckpoint(signed, auditOrigin, v)
		if err != nil || cp.Size != uint64(size) {
			t.Fatalf("checkpoint %+v, %v; want size %d", cp, err, size)
		}
		if latest, err := db.LatestCheckpoint(ctx); err != nil || string(latest) != string(signed) {
			t.Fatalf("LatestCheckpoint = %q, %v; want the note just signed", latest, err)
		}
		notes = append(notes, signed)
	}
	tests := []struct {
		name string
		note []byte
	}{
		{"smaller than the latest", notes[1]},
		{"larger than the tree", signAuditText(t, audit.Checkpoint{Origin: auditOrigin, Size: uint64(size) + 1,
			Root: tlog.Hash{}}.Text())},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := db.Tx(ctx, func(tx store.Tx) error {
				atx, err := store.Audit(tx)
				if err != nil {
					return err
				}
				return atx.SaveCheckpoint(ctx, tt.note)
			})
			if err == nil {
				t.Fatal("SaveCheckpoint succeeded")
			}
			if latest, _ := db.LatestCheckpoint(ctx); string(latest) != string(notes[len(notes)-1]) {
				t.Fatal("a refused checkpoint became the latest")
			}
		})
	}
}

func signAuditText(t testing.TB, text string) []byte {
	t.Helper()
	s, err := audit.NewNoteSigner(auditOrigin, auditKey(1))
	if err != nil {
		t.Fatal(err)
	}
	signed, err := note.Sign(&note.Note{Text: text}, s)
	if err != nil {
		t.Fatal(err)
	}
	return signed
}

// testAuditSignRefusesAfterRestart closes the store, changes the database as
// an attacker with the owner's rights would, reopens it and signs with a new
// Checkpointer: a smaller or inconsistent tree must never be signed, and the
// saved checkpoint must stay as it was. An untouched store signs again.
func testAuditSignRefusesAfterRestart(t *testing.T, b AuditBackend) {
	tests := []struct {
		name             string
		signedSize, size int64
		tamper           func(t *testing.T, exec func(string, ...any))
		want             error
	}{
		{"untouched", 5, 9, func(*testing.T, func(string, ...any)) {}, nil},
		{"truncated tree", 8, 8, func(t *testing.T, exec func(string, ...any)) {
			exec(`DELETE FROM audit_hashes WHERE storage_idx >= $1`, tlog.StoredHashCount(3))
			exec(`DELETE FROM audit_entries WHERE idx >= 3`)
			exec(`UPDATE audit_tree SET size = 3`)
		}, audit.ErrSmallerTree},
		{"rewritten subtree of a power-of-two checkpoint", 8, 11, func(t *testing.T, exec func(string, ...any)) {
			exec(`UPDATE audit_hashes SET hash = $1 WHERE storage_idx = $2`, otherHash(1), tlog.StoredHashIndex(3, 0))
		}, audit.ErrInconsistentTree},
		{"rewritten subtree of a checkpoint of 6", 6, 9, func(t *testing.T, exec func(string, ...any)) {
			exec(`UPDATE audit_hashes SET hash = $1 WHERE storage_idx = $2`, otherHash(2), tlog.StoredHashIndex(2, 0))
		}, audit.ErrInconsistentTree},
		{"rewritten leaf at the same size", 5, 5, func(t *testing.T, exec func(string, ...any)) {
			exec(`UPDATE audit_hashes SET hash = $1 WHERE storage_idx = $2`, otherHash(3), tlog.StoredHashIndex(0, 4))
		}, audit.ErrInconsistentTree},
		{"checkpoint signed by another key", 2, 2, func(t *testing.T, exec func(string, ...any)) {
			s, _ := audit.NewNoteSigner(auditOrigin, auditKey(9))
			forged, _ := note.Sign(&note.Note{Text: audit.Checkpoint{Origin: auditOrigin, Size: 2}.Text()}, s)
			exec(`INSERT INTO audit_checkpoints (size, note) VALUES (2, $1)`, forged)
		}, audit.ErrBadSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dsn := b.New(t)
			db := auditDB(t, b, dsn)
			appendLogged(t, db, 0, tt.signedSize, true)
			appendLogged(t, db, tt.signedSize, tt.size-tt.signedSize, false)
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			tamperDirectly(t, b, dsn, func(exec func(string, ...any)) { tt.tamper(t, exec) })
			db = auditDB(t, b, dsn)
			before, _ := db.LatestCheckpoint(context.Background())
			_, err := trySign(db, auditCheckpointer(t, 1))
			if !errors.Is(err, tt.want) {
				t.Fatalf("Sign after restart = %v, want %v", err, tt.want)
			}
			if after, _ := db.LatestCheckpoint(context.Background()); err != nil && string(after) != string(before) {
				t.Fatal("a refused Sign changed the saved checkpoint")
			}
		})
	}
}

// flipped is a hash that is not any hash of the test logs.
func otherHash(b byte) []byte {
	h := tlog.RecordHash([]byte{b})
	return h[:]
}

// tamper drops the WORM triggers of dsn and runs the statements change makes.
func tamperDirectly(t testing.TB, b AuditBackend, dsn string, change func(exec func(string, ...any))) {
	t.Helper()
	for _, q := range b.DropWORM {
		if err := b.Exec(t, dsn, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	change(func(q string, args ...any) {
		t.Helper()
		if err := b.Exec(t, dsn, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	})
}
