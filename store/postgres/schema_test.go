package postgres_test

import (
	"context"
	"testing"

	"github.com/kakunin-dev/kakunin/internal/pgtest"
	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/postgres"
)

// freshSchema creates an empty schema on the test server, drops it when the test
// ends, and returns a DSN whose search_path selects it. It skips the test when
// KAKUNIN_TEST_POSTGRES is unset.
func freshSchema(t testing.TB) string {
	t.Helper()
	return pgtest.Schema(t, "kakunin_test")
}

// openDSN opens a store on dsn and closes it when the test ends.
func openDSN(t testing.TB, dsn string, opts postgres.Options) store.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), dsn, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Error(err)
		}
	})
	return db
}
