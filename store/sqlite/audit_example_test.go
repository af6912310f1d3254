package sqlite_test

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/verify"
	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/sqlite"
)

// A state change and its audit entry commit in one transaction; a checkpoint
// is signed, and an auditor verifies the exported log offline.
func Example_auditLog() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "kakunin")
	defer os.RemoveAll(dir)
	db, err := sqlite.Open(ctx, filepath.Join(dir, "kakunin.db"), sqlite.Options{})
	if err != nil {
		panic(err)
	}
	defer db.Close()
	logKey := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)) // in production: an HSM
	log, _ := audit.NewCheckpointer("kakunin.example/audit", logKey)

	owner := store.Owner{ID: "o1", OwnerKey: "z6MkExample", CertDER: []byte("ca"), TenantID: "t1",
		Created: time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)}
	err = db.Tx(ctx, func(tx store.Tx) error {
		if err := tx.CreateOwner(ctx, owner); err != nil {
			return err
		}
		atx, err := store.Audit(tx)
		if err != nil {
			return err
		}
		_, err = audit.Append(ctx, atx, audit.Entry{Type: audit.OwnerCreated, Time: owner.Created,
			Actor: "system", Tenant: owner.TenantID, Digest: audit.SHA256(owner.CertDER)})
		if err != nil {
			return err
		}
		_, err = log.Sign(ctx, atx)
		return err
	})
	if err != nil {
		panic(err)
	}

	bundle, err := log.Export(ctx, db.(store.AuditDB), audit.ExportRequest{})
	if err != nil {
		panic(err)
	}
	v, _ := verify.New(log.Origin(), log.VerifierKey())
	state, err := v.Verify(verify.State{}, bundle)
	fmt.Println(state.Size(), err)
	// Output: 1 <nil>
}
