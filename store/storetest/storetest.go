// Package storetest is the conformance suite that every store.DB backend passes.
// A backend's test calls [Run] with a function that opens a fresh, empty store.
package storetest

import (
	"bytes"
	"context"
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/store"
)

// Run runs the conformance suite. open must return a new, empty store for each
// call and close it when the test ends (t.Cleanup); subtests run in parallel.
func Run(t *testing.T, open func(t *testing.T) store.DB) {
	tests := []struct {
		name string
		fn   func(*testing.T, store.DB)
	}{
		{"Owners", testOwners},
		{"Certificates", testCertificates},
		{"Revocation", testRevocation},
		{"Events", testEvents},
		{"Deactivation", testDeactivation},
		{"Links", testLinks},
		{"CRLNumber", testCRL},
		{"SerialUniqueness", testSerials},
		{"Atomicity", testAtomicity},
		{"BatchIsolation", testBatchIsolation},
		{"Validation", testValidation},
		{"Closed", testClosed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open(t))
		})
	}
}

// t0 has nanoseconds, which the store truncates to microseconds.
var t0 = time.Date(2026, 11, 26, 8, 0, 0, 123456789, time.UTC)

func at(minutes int) time.Time { return t0.Add(time.Duration(minutes) * time.Minute) }

func micro(t time.Time) time.Time { return t.Truncate(time.Microsecond) }

func owner(id string) store.Owner {
	return store.Owner{ID: id, OwnerKey: "z6Mk" + id, CertDER: []byte("ca-" + id), TenantID: "tenant", Created: t0}
}

func cert(issuer string, serial int64, did string) store.Certificate {
	return store.Certificate{
		IssuerID: issuer, Serial: big.NewInt(serial), DID: did,
		DER:       []byte(fmt.Sprintf("cert-%s-%d", issuer, serial)),
		NotBefore: at(int(serial)), NotAfter: at(int(serial) + 24*60),
	}
}

// write runs fn in a transaction and fails the test on error.
func write(t *testing.T, db store.DB, fn func(store.Tx) error) {
	t.Helper()
	if err := db.Tx(context.Background(), fn); err != nil {
		t.Fatalf("Tx: %v", err)
	}
}

// setup records owner "o1" and the given certificates.
func setup(t *testing.T, db store.DB, certs ...store.Certificate) {
	t.Helper()
	write(t, db, func(tx store.Tx) error {
		if err := tx.CreateOwner(context.Background(), owner("o1")); err != nil {
			return err
		}
		for _, c := range certs {
			if err := tx.PutCertificate(context.Background(), c); err != nil {
				return err
			}
		}
		return nil
	})
}

func sameCert(t *testing.T, got, want store.Certificate) {
	t.Helper()
	if got.IssuerID != want.IssuerID || got.Serial.Cmp(want.Serial) != 0 || got.DID != want.DID ||
		!bytes.Equal(got.DER, want.DER) || !got.NotBefore.Equal(micro(want.NotBefore)) ||
		!got.NotAfter.Equal(micro(want.NotAfter)) || got.State != want.State ||
		!got.RevokedAt.Equal(micro(want.RevokedAt)) || got.Reason != want.Reason {
		t.Errorf("certificate = %+v, want %+v", got, want)
	}
	if got.NotBefore.Location() != time.UTC {
		t.Errorf("time location = %v, want UTC", got.NotBefore.Location())
	}
}
