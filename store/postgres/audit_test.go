package postgres_test

import (
	"context"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/postgres"
	"github.com/kakunin-dev/kakunin/store/storetest"
)

func auditBackend() storetest.AuditBackend {
	var owners sync.Map // dsn → *pgxpool.Pool: the attacker's connections
	return storetest.AuditBackend{
		New:  func(t testing.TB) string { return freshSchema(t) },
		Open: func(t testing.TB, dsn string) store.DB { return openDSN(t, dsn, postgres.Options{}) },
		Exec: func(t testing.TB, dsn, query string, args ...any) error {
			t.Helper()
			pool, ok := owners.Load(dsn)
			if !ok {
				p, err := pgxpool.New(context.Background(), dsn)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { owners.Delete(dsn); p.Close() })
				pool, _ = owners.LoadOrStore(dsn, p)
			}
			_, err := pool.(*pgxpool.Pool).Exec(context.Background(), query, args...)
			return err
		},
		// The owner of the tables (here the test's superuser) can drop the triggers.
		DropWORM: []string{
			`DROP TRIGGER audit_entries_worm ON audit_entries`,
			`DROP TRIGGER audit_hashes_worm ON audit_hashes`,
			`DROP TRIGGER audit_checkpoints_worm ON audit_checkpoints`,
			`DROP TRIGGER audit_checkpoints_grow ON audit_checkpoints`,
			`DROP TRIGGER audit_tree_worm ON audit_tree`,
			`DROP TRIGGER audit_tree_no_shrink ON audit_tree`,
		},
		Forbidden: []string{
			`TRUNCATE audit_entries`,
			`TRUNCATE audit_hashes`,
			`TRUNCATE audit_checkpoints`,
			`TRUNCATE audit_tree`,
			`TRUNCATE audit_entries, audit_hashes, audit_checkpoints, audit_tree CASCADE`,
			`INSERT INTO audit_entries (idx, entry, leaf_hash) VALUES (0, '\x00', sha256(''))
				ON CONFLICT (idx) DO UPDATE SET entry = excluded.entry`,
		},
	}
}

func TestAudit(t *testing.T) { storetest.RunAudit(t, auditBackend()) }

// TestAuditDurability kills a client process that appends audit entries (each
// with a registry write) at random moments: every acknowledged entry must be in
// the database, and the tree must extend the last signed checkpoint.
func TestAuditDurability(t *testing.T) { storetest.AuditDurability(t, auditBackend()) }
