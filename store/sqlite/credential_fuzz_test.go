package sqlite_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/sqlite"
)

// FuzzCredentialRoundTrip stores credential records with arbitrary ids, DIDs,
// types and bytes: each is refused with ErrInvalid (or ErrConflict for a
// repeated id) or read back unchanged.
func FuzzCredentialRoundTrip(f *testing.F) {
	f.Add("urn:uuid:1", "did:kakunin:a", "VerifiableCredential\nKakuninScopeCredential", []byte(`{}`), int64(3600))
	f.Add("\u00e9", "did:\u4e16", "\"]\\", []byte{0}, int64(-1))
	f.Add("", "", "", []byte{}, int64(0))
	db, err := sqlite.Open(context.Background(), filepath.Join(f.TempDir(), "fuzz.db"), sqlite.Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	ctx := context.Background()
	issued := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, id, did, types string, data []byte, lifetime int64) {
		c := store.Credential{ID: id, InstanceID: "i1", SubjectDID: did, Types: strings.Split(types, "\n"),
			Issued: issued, ValidUntil: issued.Add(time.Duration(lifetime%(1<<40)) * time.Second), Data: data}
		err := db.Tx(ctx, func(tx store.Tx) error { return tx.(store.CredentialTx).PutCredential(ctx, c) })
		switch {
		case errors.Is(err, store.ErrInvalid) || errors.Is(err, store.ErrConflict):
			return
		case err != nil:
			t.Fatalf("PutCredential: %v", err)
		}
		got, err := db.(store.CredentialReader).Credential(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if got.SubjectDID != did || !slices.Equal(got.Types, c.Types) || !bytes.Equal(got.Data, data) ||
			!got.ValidUntil.Equal(c.ValidUntil) || !got.Issued.Equal(issued) {
			t.Errorf("read back %+v, stored %+v", got, c)
		}
	})
}
