package ca_test

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/ca"
	"github.com/kakunin-dev/kakunin/store"
)

// TestCRLContents checks the RFC 5280 fields of a CRL after revocations, and that an
// entry stays listed for one CRL period past its certificate's expiry.
func TestCRLContents(t *testing.T) {
	e := newEnv(t, ca.Options{})
	ctx := context.Background()
	a, b := e.enroll(ed25519Key(t, "agent 1")), e.enroll(ed25519Key(t, "agent 2"))
	for _, r := range []ca.RevokeRequest{
		{Owner: ownerID, Tenant: tenant, Serial: a.Certificate.SerialNumber, Reason: store.ReasonKeyCompromise},
		{Owner: ownerID, Tenant: tenant, Serial: b.Certificate.SerialNumber},
	} {
		if err := e.ca.Revoke(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	crl := parseCRL(t, e)
	if crl.Number.Int64() != 3 || string(crl.AuthorityKeyId) != string(e.owner.Certificate.SubjectKeyId) {
		t.Errorf("cRLNumber %v, AKI %x", crl.Number, crl.AuthorityKeyId)
	}
	if err := crl.CheckSignatureFrom(e.owner.Certificate); err != nil {
		t.Error(err)
	}
	if got := crl.NextUpdate.Sub(crl.ThisUpdate); got != ca.DefaultCRLValidity {
		t.Errorf("CRL validity %v", got)
	}
	reasons := map[string]int{}
	for _, entry := range crl.RevokedCertificateEntries {
		reasons[entry.SerialNumber.String()] = entry.ReasonCode
	}
	if len(reasons) != 2 || reasons[a.Certificate.SerialNumber.String()] != 1 || reasons[b.Certificate.SerialNumber.String()] != 0 {
		t.Errorf("entries %v", reasons)
	}
	for _, ext := range crl.Extensions {
		if ext.Critical {
			t.Errorf("critical CRL extension %v", ext.Id)
		}
	}
	// Expired for less than a CRL period: still listed; for more: dropped.
	e.clock.Advance(25 * time.Hour)
	if err := e.ca.RefreshCRLs(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(parseCRL(t, e).RevokedCertificateEntries); n != 2 {
		t.Errorf("%d entries an hour after expiry, want 2", n)
	}
	e.clock.Advance(24 * time.Hour)
	if err := e.ca.RefreshCRLs(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(parseCRL(t, e).RevokedCertificateEntries); n != 0 {
		t.Errorf("%d entries a CRL period after expiry, want 0", n)
	}
}

func parseCRL(t *testing.T, e *env) *x509.RevocationList {
	t.Helper()
	c, err := e.ca.CRL(context.Background(), ownerID)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(c.PEM())
	if block == nil || block.Type != "X509 CRL" || string(block.Bytes) != string(c.DER) {
		t.Fatalf("PEM form differs from DER")
	}
	crl, err := x509.ParseRevocationList(c.DER)
	if err != nil {
		t.Fatal(err)
	}
	return crl
}

func TestRefreshCRLs(t *testing.T) {
	e := newEnv(t, ca.Options{})
	ctx := context.Background()
	tests := []struct {
		advance time.Duration
		want    int64
	}{
		{time.Hour, 1},       // fresh: kept
		{11 * time.Hour, 2},  // past half of 24 h: reissued
		{time.Hour, 2},       // the new one is fresh
		{100 * time.Hour, 3}, // long past nextUpdate
	}
	for _, tc := range tests {
		e.clock.Advance(tc.advance)
		if err := e.ca.RefreshCRLs(ctx); err != nil {
			t.Fatal(err)
		}
		crl, err := e.ca.CRL(ctx, ownerID)
		if err != nil || crl.Number != tc.want {
			t.Fatalf("after %v: CRL %v, %v; want number %d", tc.advance, crl, err, tc.want)
		}
		if !crl.NextUpdate.After(e.clock.Now()) {
			t.Fatalf("nextUpdate %v is not after now", crl.NextUpdate)
		}
	}
}

func TestCRLUnknownOwner(t *testing.T) {
	e := newEnv(t, ca.Options{})
	if _, err := e.ca.CRL(context.Background(), "nobody"); !errors.Is(err, ca.ErrUnknownOwner) {
		t.Fatalf("CRL(nobody) = %v, want ErrUnknownOwner", err)
	}
}
