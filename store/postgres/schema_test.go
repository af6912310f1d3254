package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/postgres"
)

// envDSN names the PostgreSQL server the tests use, as a postgres:// URL.
const envDSN = "KAKUNIN_TEST_POSTGRES"

// freshSchema creates an empty schema on the test server, drops it when the test
// ends, and returns a DSN whose search_path selects it. It skips the test when
// KAKUNIN_TEST_POSTGRES is unset.
func freshSchema(t testing.TB) string {
	t.Helper()
	base := os.Getenv(envDSN)
	if base == "" {
		t.Skipf("%s is unset: skipping PostgreSQL tests (set it to a URL such as "+
			"postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable)", envDSN)
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatalf("%s must be a postgres:// URL", envDSN)
	}
	var b [8]byte
	rand.Read(b[:])
	schema := "kakunin_test_" + hex.EncodeToString(b[:])
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connecting to %s: %v", envDSN, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Errorf("dropping schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("dropping schema %s: %v", schema, err)
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
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
