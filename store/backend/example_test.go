package backend_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/backend"
)

// Issuing a certificate: allocate its serial, record it and its DID event in one
// durable transaction, then read the DID's history.
func Example() {
	dir, _ := os.MkdirTemp("", "kakunin")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	db, err := backend.Open(ctx, filepath.Join(dir, "kakunin.db"), backend.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()

	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	const did = "did:kakunin:example"
	err = db.Tx(ctx, func(tx store.Tx) error {
		if err := tx.CreateOwner(ctx, store.Owner{ID: "acme", OwnerKey: "z6MkExample",
			CertDER: []byte("owner CA DER"), Created: now}); err != nil {
			return err
		}
		serial, err := tx.AllocateSerial(ctx, "acme", now)
		if err != nil {
			return err
		}
		c := store.Certificate{IssuerID: "acme", Serial: serial, DID: did, DER: []byte("agent DER"),
			NotBefore: now, NotAfter: now.Add(24 * time.Hour)}
		if err := tx.PutCertificate(ctx, c); err != nil {
			return err
		}
		_, err = tx.AppendEvent(ctx, store.Event{DID: did, Kind: store.EventIssued, Time: now,
			IssuerID: "acme", Serial: serial})
		return err
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	events, _ := db.Events(ctx, did)
	for _, e := range events {
		fmt.Println(e.VersionID, e.Kind, e.Time.Format(time.RFC3339))
	}
	_, err = db.Owner(ctx, "nobody")
	fmt.Println(errors.Is(err, store.ErrNotFound))
	// Output:
	// 1 issued 2026-11-26T09:00:00Z
	// true
}
