package sqlite_test

import (
	"bytes"
	"context"
	"errors"
	"math/big"
	"path/filepath"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/sqlite"
)

// FuzzCertificateRoundTrip stores certificates with arbitrary DIDs, serials, DER
// and times: each is either refused with ErrInvalid or read back unchanged.
func FuzzCertificateRoundTrip(f *testing.F) {
	f.Add("did:kakunin:a", []byte{0x01}, []byte("der"), int64(0), int64(3600))
	f.Add("did:\u00e9\u4e16", []byte{0x7f, 0xff}, []byte{0}, int64(-62135596800), int64(1))
	f.Add("", []byte{}, []byte{}, int64(1), int64(-1))
	db, err := sqlite.Open(context.Background(), filepath.Join(f.TempDir(), "fuzz.db"), sqlite.Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	ctx := context.Background()
	o := store.Owner{ID: "o1", OwnerKey: "z6Mk", CertDER: []byte{1}, Created: time.Unix(0, 0)}
	if err := db.Tx(ctx, func(tx store.Tx) error { return tx.CreateOwner(ctx, o) }); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, did string, serial, der []byte, notBefore, lifetime int64) {
		nb := time.Unix(notBefore%(1<<37), 0).UTC()
		c := store.Certificate{IssuerID: "o1", Serial: new(big.Int).SetBytes(serial), DID: did, DER: der,
			NotBefore: nb, NotAfter: nb.Add(time.Duration(lifetime) * time.Second)}
		err := db.Tx(ctx, func(tx store.Tx) error { return tx.PutCertificate(ctx, c) })
		switch {
		case errors.Is(err, store.ErrInvalid) || errors.Is(err, store.ErrConflict):
			return
		case err != nil:
			t.Fatalf("PutCertificate: %v", err)
		}
		got, err := db.Certificate(ctx, "o1", c.Serial)
		if err != nil {
			t.Fatal(err)
		}
		if got.DID != c.DID || !bytes.Equal(got.DER, c.DER) || !got.NotBefore.Equal(c.NotBefore) ||
			!got.NotAfter.Equal(c.NotAfter.Truncate(time.Microsecond)) || got.State != store.CertGood {
			t.Errorf("read back %+v, stored %+v", got, c)
		}
	})
}
