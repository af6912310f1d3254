package storetest

import (
	"context"
	"errors"
	"math/big"
	"testing"

	"github.com/kakunin-dev/kakunin/store"
)

var ctx = context.Background()

func wantErr(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error = %v, want %v", err, target)
	}
}

func testOwners(t *testing.T, db store.DB) {
	setup(t, db)
	second := owner("o2")
	second.OwnerKey = owner("o1").OwnerKey
	second.Created = at(5)
	write(t, db, func(tx store.Tx) error { return tx.CreateOwner(ctx, second) })

	got, err := db.Owner(ctx, "o1")
	if err != nil {
		t.Fatal(err)
	}
	want := owner("o1")
	want.Created = micro(want.Created)
	if got.ID != want.ID || got.OwnerKey != want.OwnerKey || string(got.CertDER) != string(want.CertDER) ||
		got.TenantID != want.TenantID || !got.Created.Equal(want.Created) {
		t.Errorf("Owner = %+v, want %+v", got, want)
	}
	byKey, err := db.OwnersByKey(ctx, want.OwnerKey)
	if err != nil || len(byKey) != 2 || byKey[0].ID != "o1" || byKey[1].ID != "o2" {
		t.Errorf("OwnersByKey = %+v, %v; want o1 then o2", byKey, err)
	}
	if none, err := db.OwnersByKey(ctx, "z6MkNobody"); err != nil || len(none) != 0 {
		t.Errorf("OwnersByKey(unknown) = %v, %v; want empty", none, err)
	}
	_, err = db.Owner(ctx, "missing")
	wantErr(t, err, store.ErrNotFound)
	err = db.Tx(ctx, func(tx store.Tx) error { return tx.CreateOwner(ctx, owner("o1")) })
	wantErr(t, err, store.ErrConflict)
}

func testCertificates(t *testing.T, db store.DB) {
	c1, c2 := cert("o1", 2, "did:a"), cert("o1", 1, "did:a")
	c1.State, c2.State = store.CertGood, store.CertGood
	setup(t, db, c1, c2, cert("o1", 3, "did:b"))

	got, err := db.Certificate(ctx, "o1", big.NewInt(2))
	if err != nil {
		t.Fatal(err)
	}
	sameCert(t, got, c1)
	list, err := db.CertificatesByDID(ctx, "did:a")
	if err != nil || len(list) != 2 {
		t.Fatalf("CertificatesByDID = %d certificates, %v; want 2", len(list), err)
	}
	sameCert(t, list[0], c2) // earlier NotBefore first
	sameCert(t, list[1], c1)
	if none, err := db.CertificatesByDID(ctx, "did:none"); err != nil || len(none) != 0 {
		t.Errorf("CertificatesByDID(unknown) = %v, %v; want empty", none, err)
	}

	_, err = db.Certificate(ctx, "o1", big.NewInt(99))
	wantErr(t, err, store.ErrNotFound)
	err = db.Tx(ctx, func(tx store.Tx) error { return tx.PutCertificate(ctx, cert("o1", 2, "did:c")) })
	wantErr(t, err, store.ErrConflict)
	err = db.Tx(ctx, func(tx store.Tx) error { return tx.PutCertificate(ctx, cert("nobody", 5, "did:c")) })
	wantErr(t, err, store.ErrNotFound)
}

func testRevocation(t *testing.T, db store.DB) {
	setup(t, db, cert("o1", 300, "did:a"), cert("o1", 2, "did:a"), cert("o1", 40, "did:a"))
	revoke := func(serial int64, reason store.RevocationReason) error {
		return db.Tx(ctx, func(tx store.Tx) error {
			return tx.RevokeCertificate(ctx, "o1", big.NewInt(serial), at(90), reason)
		})
	}
	for _, s := range []int64{300, 2} {
		if err := revoke(s, store.ReasonKeyCompromise); err != nil {
			t.Fatal(err)
		}
	}
	want := cert("o1", 2, "did:a")
	want.State, want.RevokedAt, want.Reason = store.CertRevoked, at(90), store.ReasonKeyCompromise
	got, err := db.Certificate(ctx, "o1", big.NewInt(2))
	if err != nil {
		t.Fatal(err)
	}
	sameCert(t, got, want)
	revoked, err := db.RevokedCertificates(ctx, "o1")
	if err != nil || len(revoked) != 2 || revoked[0].Serial.Int64() != 2 || revoked[1].Serial.Int64() != 300 {
		t.Errorf("RevokedCertificates = %+v, %v; want serials 2, 300", revoked, err)
	}

	tests := []struct {
		name   string
		serial int64
		reason store.RevocationReason
		want   error
	}{
		{"again", 2, store.ReasonSuperseded, store.ErrConflict},
		{"unknown", 7, store.ReasonSuperseded, store.ErrNotFound},
		{"reason 7 is unused", 40, 7, store.ErrInvalid},
		{"removeFromCRL", 40, 8, store.ErrInvalid},
		{"reason 11", 40, 11, store.ErrInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, revoke(tc.serial, tc.reason), tc.want) })
	}
}

func testValidation(t *testing.T, db store.DB) {
	setup(t, db)
	long := make([]byte, store.MaxDERLen+1)
	tests := []struct {
		name string
		fn   func(store.Tx) error
	}{
		{"empty owner id", func(tx store.Tx) error { return tx.CreateOwner(ctx, owner("")) }},
		{"zero serial", func(tx store.Tx) error { return tx.PutCertificate(ctx, cert("o1", 0, "did:a")) }},
		{"negative serial", func(tx store.Tx) error { return tx.PutCertificate(ctx, cert("o1", -5, "did:a")) }},
		{"21-octet serial", func(tx store.Tx) error {
			c := cert("o1", 1, "did:a")
			c.Serial = new(big.Int).Lsh(big.NewInt(1), 160)
			return tx.PutCertificate(ctx, c)
		}},
		{"oversized DER", func(tx store.Tx) error {
			c := cert("o1", 1, "did:a")
			c.DER = long
			return tx.PutCertificate(ctx, c)
		}},
		{"validity reversed", func(tx store.Tx) error {
			c := cert("o1", 1, "did:a")
			c.NotBefore, c.NotAfter = c.NotAfter, c.NotBefore
			return tx.PutCertificate(ctx, c)
		}},
		{"NUL in DID", func(tx store.Tx) error { return tx.PutCertificate(ctx, cert("o1", 1, "did:\x00")) }},
		{"deactivated kind", func(tx store.Tx) error {
			_, err := tx.AppendEvent(ctx, store.Event{DID: "did:a", Kind: store.EventDeactivated, Time: t0})
			return err
		}},
		{"unknown kind", func(tx store.Tx) error {
			_, err := tx.AppendEvent(ctx, store.Event{DID: "did:a", Kind: "moved", Time: t0,
				IssuerID: "o1", Serial: big.NewInt(1)})
			return err
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, db.Tx(ctx, tc.fn), store.ErrInvalid) })
	}
}
