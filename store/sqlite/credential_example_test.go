package sqlite_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/sqlite"
	"github.com/kakunin-dev/kakunin/vc/status"
)

// Issuing a credential: its status index is allocated and the credential is
// recorded in one transaction, so that neither exists without the other; later
// the agent's credentials are found by its DID and suspended.
func Example_issuance() {
	dir, _ := os.MkdirTemp("", "kakunin")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "kakunin.db"), sqlite.Options{})
	if err != nil {
		panic(err)
	}
	defer db.Close()
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

	err = db.Tx(ctx, func(tx store.Tx) error {
		ct := tx.(store.CredentialTx)
		e, err := ct.AllocateStatusIndex(ctx, store.StatusListSpec{InstanceID: "issuer-1",
			Purpose: status.Suspension, URLPrefix: "https://issuer.example/status/", At: now}, rand.Reader)
		if err != nil {
			return err
		}
		// Build and sign the credential with e.URL and e.Index here.
		return ct.PutCredential(ctx, store.Credential{ID: "urn:uuid:1", InstanceID: "issuer-1",
			SubjectDID: "did:kakunin:agent", Types: []string{"VerifiableCredential"},
			Status: []store.StatusEntry{e}, Issued: now, Data: []byte(`{"…":"…"}`)})
	})
	if err != nil {
		panic(err)
	}

	creds, _ := db.(store.CredentialReader).CredentialsBySubject(ctx, "did:kakunin:agent")
	e := creds[0].Status[0]
	err = db.Tx(ctx, func(tx store.Tx) error {
		return tx.(store.StatusTx).SetStatus(ctx, e.ListID, e.Index, 1, now)
	})
	if err != nil {
		panic(err)
	}
	list, _ := db.(store.StatusReader).StatusList(ctx, e.ListID)
	v, _ := list.Bits.Get(e.Index, e.StatusSize)
	fmt.Println(e.Purpose, list.Entries, list.Version, v)
	// Output: suspension 131072 1 1
}
