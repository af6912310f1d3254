package sqlite_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"io"
	"math/big"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/sqlite"
)

var t0 = time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)

func openPath(t *testing.T, path string, opts sqlite.Options) store.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), path, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestOpenConcurrently opens one new file from several stores at once: each
// migration must be applied once and every store must work.
func TestOpenConcurrently(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kakunin.db")
	dbs := make([]store.DB, 4)
	var wg sync.WaitGroup
	errs := make([]error, len(dbs))
	ctx := context.Background()
	for i := range dbs {
		wg.Go(func() { dbs[i], errs[i] = sqlite.Open(ctx, path, sqlite.Options{}) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("store %d: %v", i, err)
		}
		t.Cleanup(func() { dbs[i].Close() })
	}
	for i, db := range dbs {
		o := store.Owner{ID: string(rune('a' + i)), OwnerKey: "z6Mk", CertDER: []byte{1}, Created: t0}
		if err := db.Tx(ctx, func(tx store.Tx) error { return tx.CreateOwner(ctx, o) }); err != nil {
			t.Fatalf("store %d: %v", i, err)
		}
	}
	owners, err := dbs[0].OwnersByKey(ctx, "z6Mk")
	if err != nil || len(owners) != len(dbs) {
		t.Errorf("store 0 sees %d owners, %v; want %d", len(owners), err, len(dbs))
	}
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var rows, distinct int
	err = raw.QueryRow(`SELECT count(*), count(DISTINCT version) FROM schema_migrations`).Scan(&rows, &distinct)
	if err != nil || rows == 0 || rows != distinct {
		t.Errorf("schema_migrations has %d rows, %d versions (%v); want each version once", rows, distinct, err)
	}
}

func TestSchemaTooNew(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kakunin.db")
	openPath(t, path, sqlite.Options{}).Close()
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`INSERT INTO schema_migrations (version, name) VALUES (999999, 'future')`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	if _, err := sqlite.Open(context.Background(), path, sqlite.Options{}); !errors.Is(err, store.ErrSchema) {
		t.Errorf("Open on a newer schema = %v, want ErrSchema", err)
	}
}

// TestSerialCollision feeds AllocateSerial a random source that repeats itself:
// a repeated draw must be skipped, and a source that never changes must fail.
func TestSerialCollision(t *testing.T) {
	block := bytes.Repeat([]byte{0xAB}, 16)
	other := bytes.Repeat([]byte{0xCD}, 16)
	tests := []struct {
		name string
		rand io.Reader
		want error
	}{
		{"repeat is skipped", bytes.NewReader(bytes.Join([][]byte{block, block, other}, nil)), nil},
		{"constant source", constReader(0xAB), store.ErrConflict},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db := openPath(t, filepath.Join(t.TempDir(), "kakunin.db"), sqlite.Options{Rand: tc.rand})
			ctx := context.Background()
			var serials []*big.Int
			err := db.Tx(ctx, func(tx store.Tx) error {
				serials = nil
				o := store.Owner{ID: "o1", OwnerKey: "z6Mk", CertDER: []byte{1}, Created: t0}
				if err := tx.CreateOwner(ctx, o); err != nil {
					return err
				}
				for range 2 {
					s, err := tx.AllocateSerial(ctx, "o1", t0)
					if err != nil {
						return err
					}
					serials = append(serials, s)
				}
				return nil
			})
			if !errors.Is(err, tc.want) {
				t.Fatalf("allocating = %v, want %v", err, tc.want)
			}
			if tc.want == nil && serials[0].Cmp(serials[1]) == 0 {
				t.Errorf("serial %x allocated twice", serials[0])
			}
		})
	}
}

type constReader byte

func (c constReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(c)
	}
	return len(p), nil
}
