package postgres_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/postgres"
	"github.com/kakunin-dev/kakunin/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.DB {
		return openDSN(t, freshSchema(t), postgres.Options{})
	})
}

// TestMigrateConcurrently starts several stores on one empty schema at once: the
// advisory lock must let each migration be applied exactly once.
func TestMigrateConcurrently(t *testing.T) {
	dsn := freshSchema(t)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			db, err := postgres.Open(context.Background(), dsn, postgres.Options{})
			if errs[i] = err; err == nil {
				db.Close()
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("store %d: %v", i, err)
		}
	}
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var rows, distinct int
	err = conn.QueryRow(context.Background(),
		`SELECT count(*), count(DISTINCT version) FROM schema_migrations`).Scan(&rows, &distinct)
	if err != nil || rows == 0 || rows != distinct {
		t.Errorf("schema_migrations has %d rows, %d versions (%v); want each version once", rows, distinct, err)
	}
}

// TestSchemaTooNew refuses a database migrated by a newer program.
func TestSchemaTooNew(t *testing.T) {
	dsn := freshSchema(t)
	openDSN(t, dsn, postgres.Options{})
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(),
		`INSERT INTO schema_migrations (version, name) VALUES (999999, 'future')`); err != nil {
		t.Fatal(err)
	}
	_, err = postgres.Open(context.Background(), dsn, postgres.Options{})
	if !errors.Is(err, store.ErrSchema) {
		t.Errorf("Open on a newer schema = %v, want ErrSchema", err)
	}
}

// TestDurability kills a writing client process with SIGKILL at random moments:
// every write it saw acknowledged must be in the database.
func TestDurability(t *testing.T) {
	storetest.Durability(t,
		func(t *testing.T) string { return freshSchema(t) },
		func(t *testing.T, dsn string) store.DB { return openDSN(t, dsn, postgres.Options{}) })
}
