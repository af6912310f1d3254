package audit_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"fmt"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/memstore"
	"github.com/kakunin-dev/kakunin/audit/verify"
)

// Example logs two state changes, signs a checkpoint and has an auditor verify
// an exported bundle.
func Example() {
	ctx := context.Background()
	logKey := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{42}, 32)) // in production: a file or HSM crypto.Signer
	store := new(memstore.Store)                                   // in production: a store/sqlite or store/postgres transaction

	for i, kind := range []audit.EventType{audit.CertIssued, audit.CredentialIssued} {
		_, err := audit.Append(ctx, store, audit.Entry{
			Type:    kind,
			Time:    time.Date(2026, 11, 26, 9, 0, i, 0, time.UTC),
			Actor:   "did:example:owner",
			Tenant:  "acme",
			Subject: "did:example:agent",
			Digest:  audit.SHA256([]byte(kind)),
		})
		if err != nil {
			panic(err)
		}
	}
	cp, err := audit.NewCheckpointer("kakunin.example/audit", logKey)
	if err != nil {
		panic(err)
	}
	signed, err := cp.Sign(ctx, store)
	if err != nil {
		panic(err)
	}
	fmt.Print(string(signed))

	bundle, err := cp.Export(ctx, store, audit.ExportRequest{})
	if err != nil {
		panic(err)
	}
	auditor, err := verify.New("kakunin.example/audit", cp.VerifierKey())
	if err != nil {
		panic(err)
	}
	state, err := auditor.Verify(verify.State{}, bundle)
	fmt.Println("verified tree size", state.Size(), err)
	// Output:
	// kakunin.example/audit
	// 2
	// gS6so2BXcJsKm+4AwqvkFekDcTpYDDT/svtzFHcuCv4=
	//
	// — kakunin.example/audit +Rlxk3U1XPtrdziy+wXYWRzrT+p3oJLciiCI1VDRCD8/yLsdhxAZlgQjm0E7r7cz2oqhU2GTciX4tdvxrik53SCZmgE=
	// verified tree size 2 <nil>
}
