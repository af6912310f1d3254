package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/backend"
	"github.com/kakunin-dev/kakunin/vc/issuer"
)

func TestRecordIssuerKeysSQLite(t *testing.T) {
	testRecordIssuerKeys(t, filepath.Join(t.TempDir(), "kakunin.db"))
}

func TestRecordIssuerKeysPostgres(t *testing.T) {
	testRecordIssuerKeys(t, freshSchema(t))
}

// testRecordIssuerKeys: replicas starting together with one key record it once; a new key is
// recorded once more; going back to the first key, which is no longer the last recorded, is
// recorded again.
func testRecordIssuerKeys(t *testing.T, dsn string) {
	ctx := context.Background()
	db, err := backend.Open(ctx, dsn, backend.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	instance := func() *issuer.Instance {
		_, k, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		return &issuer.Instance{Name: "default", DID: "did:web:id.example.com", VerificationMethod: "did:web:id.example.com#k", Signer: k}
	}
	a, b := instance(), instance()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		total int
	)
	for range 4 {
		wg.Go(func() {
			names, err := recordIssuerKeys(ctx, db, []*issuer.Instance{a}, now)
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			total += len(names)
			mu.Unlock()
		})
	}
	wg.Wait()
	steps := []struct {
		in   *issuer.Instance
		want int // entries recorded by this step
	}{{a, 0}, {b, 1}, {b, 0}, {a, 1}}
	for i, s := range steps {
		names, err := recordIssuerKeys(ctx, db, []*issuer.Instance{s.in}, now)
		if err != nil || len(names) != s.want {
			t.Errorf("step %d: recorded %v (%v), want %d", i, names, err, s.want)
		}
	}
	recs, err := audit.EntriesForDID(ctx, db.(store.AuditDB), "did:web:id.example.com", 0, 0)
	if err != nil || total != 1 || len(recs) != 3 {
		t.Fatalf("4 concurrent starts recorded %d; log holds %d entries (%v), want 1 and 3", total, len(recs), err)
	}
	for _, r := range recs {
		if r.Entry.Type != audit.IssuerKeyRotated || r.Entry.Tenant != "system" || r.Entry.Actor != "system" {
			t.Errorf("entry %+v", r.Entry)
		}
	}
}
