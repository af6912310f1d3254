package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/sqlite"
	"github.com/kakunin-dev/kakunin/store/storetest"
)

// auditTriggers are the triggers of migration 0002 that keep the log append-only.
var auditTriggers = []string{
	"audit_tree_no_shrink", "audit_tree_no_delete", "audit_tree_no_replace",
	"audit_entries_no_update", "audit_entries_no_delete", "audit_entries_no_replace",
	"audit_hashes_no_update", "audit_hashes_no_delete", "audit_hashes_no_replace",
	"audit_checkpoints_no_update", "audit_checkpoints_no_delete", "audit_checkpoints_grow",
}

func auditBackend() storetest.AuditBackend {
	b := storetest.AuditBackend{
		New: func(t testing.TB) string { return filepath.Join(t.TempDir(), "kakunin.db") },
		Open: func(t testing.TB, path string) store.DB {
			t.Helper()
			db, err := sqlite.Open(context.Background(), path, sqlite.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		},
		Exec: execDirect,
		// SQLite has no TRUNCATE; REPLACE deletes the old row without firing
		// delete triggers, and an upsert updates it.
		Forbidden: []string{
			`INSERT OR REPLACE INTO audit_entries (idx, entry, leaf_hash, subject) VALUES (0, X'00', zeroblob(32), NULL)`,
			`INSERT INTO audit_entries (idx, entry, leaf_hash) VALUES (0, X'00', zeroblob(32))
				ON CONFLICT (idx) DO UPDATE SET entry = excluded.entry`,
			`REPLACE INTO audit_hashes (storage_idx, hash) VALUES (0, zeroblob(32))`,
			`INSERT OR REPLACE INTO audit_checkpoints (seq, size, note) VALUES (1, 3, X'00')`,
			`INSERT OR REPLACE INTO audit_tree (id, size) VALUES (1, 0)`,
		},
	}
	for _, name := range auditTriggers {
		b.DropWORM = append(b.DropWORM, "DROP TRIGGER "+name)
	}
	return b
}

// execDirect runs one statement on the file with a connection of its own, as
// anyone who can write the file could.
func execDirect(t testing.TB, path, query string, args ...any) error {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = db.Exec(query, args...)
	return err
}

func TestAudit(t *testing.T) { storetest.RunAudit(t, auditBackend()) }

// TestAuditDurability kills a process that appends audit entries (each with a
// registry write) at random moments: every acknowledged entry must survive, and
// the tree must extend the last signed checkpoint.
func TestAuditDurability(t *testing.T) {
	b := auditBackend()
	open := b.Open
	b.Open = func(t testing.TB, path string) store.DB {
		checkIntegrity(t.(*testing.T), path)
		return open(t, path)
	}
	storetest.AuditDurability(t, b)
}
