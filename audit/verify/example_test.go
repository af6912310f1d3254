package verify_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/memstore"
	"github.com/kakunin-dev/kakunin/audit/verify"
)

// ExampleVerifier_Verify shows an auditor locating a changed entry in a bundle.
func ExampleVerifier_Verify() {
	ctx := context.Background()
	store := new(memstore.Store)
	for i := range 8 {
		_, err := audit.Append(ctx, store, audit.Entry{
			Type: audit.StatusChanged, Time: time.Date(2026, 11, 26, 9, i, 0, 0, time.UTC),
			Actor: "did:example:issuer", Tenant: "acme", Digest: audit.SHA256([]byte{byte(i)}),
		})
		if err != nil {
			panic(err)
		}
	}
	log, err := audit.NewCheckpointer("kakunin.example/audit", ed25519.NewKeyFromSeed(bytes.Repeat([]byte{1}, 32)))
	if err != nil {
		panic(err)
	}
	if _, err := log.Sign(ctx, store); err != nil {
		panic(err)
	}
	bundle, err := log.Export(ctx, store, audit.ExportRequest{})
	if err != nil {
		panic(err)
	}
	bundle.Entries[5].Entry[20] ^= 1 // someone edits entry 5

	auditor, err := verify.New("kakunin.example/audit", log.VerifierKey())
	if err != nil {
		panic(err)
	}
	_, err = auditor.Verify(verify.State{}, bundle)
	var te *verify.TamperError
	if errors.As(err, &te) && errors.Is(err, verify.ErrChangedEntry) {
		fmt.Println("changed entry at index", te.Index)
	}
	// Output: changed entry at index 5
}
