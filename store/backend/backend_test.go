package backend_test

import (
	"context"
	"errors"
	"os"
	"slices"
	"testing"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/backend"
)

func TestKindOf(t *testing.T) {
	tests := []struct {
		dsn  string
		want backend.Kind
	}{
		{"kakunin.db", backend.SQLite},
		{"/var/lib/kakunin/kakunin.db", backend.SQLite},
		{"file:kakunin.db", backend.SQLite},
		{"postgres://u@db:5432/kakunin?sslmode=verify-full", backend.Postgres},
		{"PostgreSQL://u@db/kakunin", backend.Postgres},
		{"postgres-data.db", backend.SQLite},
	}
	for _, tc := range tests {
		t.Run(tc.dsn, func(t *testing.T) {
			if got := backend.KindOf(tc.dsn); got != tc.want {
				t.Errorf("KindOf(%q) = %s, want %s", tc.dsn, got, tc.want)
			}
		})
	}
}

func TestOpenRefuses(t *testing.T) {
	tests := []struct{ name, dsn string }{
		{"empty", ""},
		{"query in SQLite path", "kakunin.db?mode=memory"},
		{"malformed URL", "postgres://[::1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db, err := backend.Open(context.Background(), tc.dsn, backend.Options{})
			if !errors.Is(err, store.ErrInvalid) {
				if db != nil {
					db.Close()
				}
				t.Errorf("Open(%q) = %v, want ErrInvalid", tc.dsn, err)
			}
		})
	}
}

// TestMigrationsInStep: every schema change exists for both backends, under the
// same number and name.
func TestMigrationsInStep(t *testing.T) {
	names := func(dir string) []string {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range entries {
			out = append(out, e.Name())
		}
		return out
	}
	sqlite, postgres := names("../sqlite/migrations"), names("../postgres/migrations")
	if !slices.Equal(sqlite, postgres) || len(sqlite) == 0 {
		t.Errorf("migrations differ: sqlite %v, postgres %v", sqlite, postgres)
	}
}
