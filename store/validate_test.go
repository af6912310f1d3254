package store_test

import (
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/store"
)

func TestRevocationReasonValid(t *testing.T) {
	for r := store.RevocationReason(-1); r <= 11; r++ {
		want := r >= 0 && r <= 6 || r == 9 || r == 10
		if got := r.Valid(); got != want {
			t.Errorf("RevocationReason(%d).Valid() = %v, want %v", r, got, want)
		}
	}
}

func TestCheckSerial(t *testing.T) {
	max := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 160), big.NewInt(1)) // 20 octets of 0xff
	tests := []struct {
		name string
		s    *big.Int
		ok   bool
	}{
		{"one", big.NewInt(1), true},
		{"20 octets", max, true},
		{"21 octets", new(big.Int).Add(max, big.NewInt(1)), false},
		{"zero", big.NewInt(0), false},
		{"negative", big.NewInt(-1), false},
		{"nil", nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := store.CheckSerial(tc.s)
			if (err == nil) != tc.ok || err != nil && !errors.Is(err, store.ErrInvalid) {
				t.Errorf("CheckSerial = %v, want ok %v", err, tc.ok)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	owner := store.Owner{ID: "o", OwnerKey: "z6Mk", CertDER: []byte{1}, Created: now}
	cert := store.Certificate{IssuerID: "o", Serial: big.NewInt(1), DID: "did:x", DER: []byte{1},
		NotBefore: now, NotAfter: now.Add(time.Hour)}
	event := store.Event{DID: "did:x", Kind: store.EventIssued, Time: now, IssuerID: "o", Serial: big.NewInt(1)}
	crl := store.CRL{IssuerID: "o", Number: 1, ThisUpdate: now, NextUpdate: now.Add(time.Hour), DER: []byte{1}}
	tests := []struct {
		name  string
		check func() error
		field string // "" when valid
	}{
		{"owner", owner.Validate, ""},
		{"owner without certificate", func() error { o := owner; o.CertDER = nil; return o.Validate() }, "owner certificate"},
		{"owner key too long", func() error {
			o := owner
			o.OwnerKey = strings.Repeat("z", store.MaxKeyLen+1)
			return o.Validate()
		}, "owner key"},
		{"owner id not UTF-8", func() error { o := owner; o.ID = "\xff"; return o.Validate() }, "owner id"},
		{"owner created zero", func() error { o := owner; o.Created = time.Time{}; return o.Validate() }, "owner created"},
		{"certificate", cert.Validate, ""},
		{"certificate DID too long", func() error {
			c := cert
			c.DID = strings.Repeat("d", store.MaxDIDLen+1)
			return c.Validate()
		}, "DID"},
		{"event", event.Validate, ""},
		{"event without serial", func() error { e := event; e.Serial = nil; return e.Validate() }, "serial"},
		{"event in year 10000", func() error {
			e := event
			e.Time = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
			return e.Validate()
		}, "event time"},
		{"CRL", crl.Validate, ""},
		{"CRL next before this", func() error { c := crl; c.NextUpdate = now.Add(-time.Hour); return c.Validate() }, "validity"},
		{"CRL negative number", func() error { c := crl; c.Number = -1; return c.Validate() }, "cRLNumber"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.check()
			var fe *store.FieldError
			switch {
			case tc.field == "" && err != nil:
				t.Errorf("Validate = %v, want nil", err)
			case tc.field != "" && (!errors.As(err, &fe) || fe.Field != tc.field || !errors.Is(err, store.ErrInvalid)):
				t.Errorf("Validate = %v, want an ErrInvalid FieldError on %q", err, tc.field)
			}
		})
	}
}
