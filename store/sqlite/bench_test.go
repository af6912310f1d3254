package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/sqlite"
	"github.com/kakunin-dev/kakunin/store/storetest"
)

func BenchmarkWrites(b *testing.B) {
	storetest.BenchmarkWrites(b, func(b *testing.B, maxBatch int) store.DB {
		path := filepath.Join(b.TempDir(), "bench.db")
		db, err := sqlite.Open(context.Background(), path, sqlite.Options{MaxBatch: maxBatch})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		return db
	})
}
