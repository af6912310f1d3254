package postgres_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/postgres"
	"github.com/kakunin-dev/kakunin/store/storetest"
)

// TestSubjectsBackfill: migration 5 files existing credentials under their subject.
func TestSubjectsBackfill(t *testing.T) {
	storetest.SubjectsBackfill(t, freshSchema(t),
		func(t *testing.T, dsn string) store.DB { return openDSN(t, dsn, postgres.Options{}) },
		func(t *testing.T, dsn string, stmts ...string) {
			ctx := context.Background()
			conn, err := pgx.Connect(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(ctx)
			for _, s := range stmts {
				if _, err := conn.Exec(ctx, s); err != nil {
					t.Fatalf("%s: %v", s, err)
				}
			}
		})
}
