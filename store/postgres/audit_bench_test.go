package postgres_test

import (
	"fmt"
	"testing"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/postgres"
	"github.com/kakunin-dev/kakunin/store/storetest"
)

// BenchmarkAuditAppends runs with one and two writers: appends serialise on
// the tree row lock, so a second writer mostly waits for the first.
func BenchmarkAuditAppends(b *testing.B) {
	for _, writers := range []int{1, 2} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			storetest.BenchmarkAuditAppends(b, func(b *testing.B, maxBatch int) store.DB {
				return openDSN(b, freshSchema(b), postgres.Options{MaxBatch: maxBatch, Writers: writers})
			})
		})
	}
}
