package issuer_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/kakunin-dev/kakunin/internal/pgtest"
	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/postgres"
	"github.com/kakunin-dev/kakunin/store/sqlite"
	"github.com/kakunin-dev/kakunin/vc/issuer"
	"github.com/kakunin-dev/kakunin/vc/issuer/issuertest"
)

// BenchmarkIssueSQL measures issuance throughput on the SQL stores, with 32 callers per
// CPU issuing at once so that their records are group-committed: everything BenchmarkIssue
// measures, plus the durable transaction (credential, subjects, status bindings, subject
// fences, audit entry). PostgreSQL runs when KAKUNIN_TEST_POSTGRES is set.
func BenchmarkIssueSQL(b *testing.B) {
	backends := []struct {
		name string
		open func(b *testing.B) store.DB
	}{
		{"sqlite", func(b *testing.B) store.DB {
			db, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"), sqlite.Options{})
			if err != nil {
				b.Fatal(err)
			}
			return db
		}},
		{"postgres", func(b *testing.B) store.DB {
			db, err := postgres.Open(context.Background(), pgtest.Schema(b, "kakunin_bench"), postgres.Options{})
			if err != nil {
				b.Fatal(err)
			}
			return db
		}},
	}
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			db := be.open(b)
			b.Cleanup(func() { db.Close() })
			st, err := issuer.NewSQLStore(db)
			if err != nil {
				b.Fatal(err)
			}
			benchIssueParallel(b, issuertest.NewWithStore(b, st))
		})
	}
}

func benchIssueParallel(b *testing.B, e *issuertest.Env) {
	req := issuer.IssueRequest{Credential: issuertest.Credential(e.Agent), Caller: e.Caller}
	b.SetParallelism(32)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := e.Issuer.Issue(context.Background(), req); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "issuances/s")
}
