// Package pgtest gives tests an empty PostgreSQL schema of their own on the server
// that KAKUNIN_TEST_POSTGRES names. Call [Schema].
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

// EnvDSN names the PostgreSQL server the tests use, as a postgres:// URL.
const EnvDSN = "KAKUNIN_TEST_POSTGRES"

// Schema creates an empty schema named prefix_<random> on the test server, drops it
// when the test ends, and returns a DSN whose search_path selects it. It skips the
// test when KAKUNIN_TEST_POSTGRES is unset.
func Schema(tb testing.TB, prefix string) string {
	tb.Helper()
	base := os.Getenv(EnvDSN)
	if base == "" {
		tb.Skipf("%s is unset: skipping PostgreSQL tests (set it to a URL such as "+
			"postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable)", EnvDSN)
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		tb.Fatalf("%s must be a postgres:// URL", EnvDSN)
	}
	var b [8]byte
	rand.Read(b[:])
	schema := prefix + "_" + hex.EncodeToString(b[:])
	if err := exec(base, "CREATE SCHEMA "+schema); err != nil {
		tb.Fatalf("creating schema %s: %v", schema, err)
	}
	tb.Cleanup(func() {
		if err := exec(base, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			tb.Errorf("dropping schema %s: %v", schema, err)
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func exec(dsn, sql string) error {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}
