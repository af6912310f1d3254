package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/sqlite"
	"github.com/kakunin-dev/kakunin/store/storetest"
)

// TestRaceProcesses races reservations, allocations and credential records
// from two OS processes on one file: no index is given out twice, and every
// credential is stored with its entries.
func TestRaceProcesses(t *testing.T) {
	storetest.RaceProcesses(t,
		func(t *testing.T) string { return filepath.Join(t.TempDir(), "kakunin.db") },
		func(t *testing.T, path string) store.DB {
			checkIntegrity(t, path)
			return openPath(t, path, sqlite.Options{})
		})
}
