package postgres_test

import (
	"testing"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/postgres"
	"github.com/kakunin-dev/kakunin/store/storetest"
)

func BenchmarkWrites(b *testing.B) {
	storetest.BenchmarkWrites(b, func(b *testing.B, maxBatch int) store.DB {
		return openDSN(b, freshSchema(b), postgres.Options{MaxBatch: maxBatch})
	})
}
