package sqlite_test

import (
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/sqlite"
	"github.com/kakunin-dev/kakunin/store/storetest"
)

// TestSubjectsBackfill: migration 5 files existing credentials under their subject.
func TestSubjectsBackfill(t *testing.T) {
	storetest.SubjectsBackfill(t, filepath.Join(t.TempDir(), "kakunin.db"),
		func(t *testing.T, path string) store.DB { return openPath(t, path, sqlite.Options{}) },
		func(t *testing.T, path string, stmts ...string) {
			raw, err := sql.Open("sqlite", "file:"+path)
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			for _, s := range stmts {
				if _, err := raw.Exec(s); err != nil {
					t.Fatalf("%s: %v", s, err)
				}
			}
		})
}
