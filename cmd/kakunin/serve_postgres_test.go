package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestServePostgres runs the end-to-end test on PostgreSQL, in a fresh schema of
// the server that KAKUNIN_TEST_POSTGRES names (skipped when it is unset).
func TestServePostgres(t *testing.T) {
	testServe(t, t.TempDir(), freshSchema(t))
}

func freshSchema(t *testing.T) string {
	t.Helper()
	base := os.Getenv("KAKUNIN_TEST_POSTGRES")
	if base == "" {
		t.Skip("KAKUNIN_TEST_POSTGRES is unset (e.g. postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable)")
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal("KAKUNIN_TEST_POSTGRES must be a postgres:// URL")
	}
	var b [8]byte
	rand.Read(b[:])
	schema := "kakunin_serve_" + hex.EncodeToString(b[:])
	exec := func(sql string) {
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Error(err)
		}
	}
	exec("CREATE SCHEMA " + schema)
	t.Cleanup(func() { exec("DROP SCHEMA " + schema + " CASCADE") })
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
