package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/sqlite"
	"github.com/kakunin-dev/kakunin/store/storetest"
)

func TestCredentialConformance(t *testing.T) { storetest.RunCredentials(t, open) }

// TestCredentialTwoStores races allocations from two stores on one file, as two
// processes sharing it would.
func TestCredentialTwoStores(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kakunin.db")
	storetest.RaceAllocations(t, []store.DB{openPath(t, path, sqlite.Options{}), openPath(t, path, sqlite.Options{})},
		64, 16)
}

// TestReservationTwoStores races reservations of status index blocks from two
// stores on one file.
func TestReservationTwoStores(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kakunin.db")
	storetest.RaceReservations(t, []store.DB{openPath(t, path, sqlite.Options{}),
		openPath(t, path, sqlite.Options{})}, 32, 48)
}

// TestCredentialDurability kills an issuing process with SIGKILL at random
// moments: no acknowledged credential without its status entries, no entry
// bound twice, and no allocated entry outside a credential but the
// reservations the process held.
func TestCredentialDurability(t *testing.T) {
	storetest.IssuanceDurability(t,
		func(t *testing.T) string { return filepath.Join(t.TempDir(), "kakunin.db") },
		func(t *testing.T, path string) store.DB {
			checkIntegrity(t, path)
			db, err := sqlite.Open(context.Background(), path, sqlite.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		})
}

func BenchmarkIssuance(b *testing.B) {
	storetest.BenchmarkIssuance(b, func(b *testing.B, maxBatch int) store.DB {
		db, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"),
			sqlite.Options{MaxBatch: maxBatch})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		return db
	})
}

// TestFenceTwoStores races issuances to a subject against the cascade that
// fences it, from two stores on one file.
func TestFenceTwoStores(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kakunin.db")
	// Two stores compete for one file's write lock, which SQLite does not hand out fairly: a
	// generous busy timeout keeps a slow machine (-race) from reading starvation as failure.
	opts := sqlite.Options{BusyTimeout: 30 * time.Second}
	storetest.RaceFence(t, []store.DB{openPath(t, path, opts), openPath(t, path, opts)}, 8)
}
