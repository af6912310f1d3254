package revocation

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"math/big"
	"testing"
	"time"

	"golang.org/x/crypto/ocsp"
)

func TestCRL(t *testing.T) {
	ca := newCA(t, "owner CA")
	other := newCA(t, "other CA")
	good, revoked := ca.leaf(t, 10), ca.leaf(t, 11)
	fresh := ca.crl(t, 5, testNow.Add(-10*time.Minute), nil, revokedSerial{11, ocsp.KeyCompromise})
	for _, tc := range []struct {
		name    string
		der     []byte
		cert    *x509.Certificate
		window  time.Duration
		status  Status
		stale   bool
		wantErr error
	}{
		{"good", fresh, good, 0, Good, false, nil},
		{"revoked", fresh, revoked, 0, Revoked, false, nil},
		{"stale", ca.crl(t, 5, testNow.Add(-2*time.Hour), nil), good, 0, Unknown, false, ErrStale},
		{"stale within window", ca.crl(t, 5, testNow.Add(-70*time.Minute), nil), good, 15 * time.Minute, Good, true, nil},
		{"stale past window", ca.crl(t, 5, testNow.Add(-90*time.Minute), nil), good, 15 * time.Minute, Unknown, false, ErrStale},
		{"not yet valid", ca.crl(t, 5, testNow.Add(time.Hour), nil), good, 0, Unknown, false, ErrNotYetValid},
		{"signed by wrong key", ca.crl(t, 5, testNow.Add(-time.Minute), other.key), good, 0, Unknown, false, ErrBadSignature},
		{"other issuer", other.crl(t, 5, testNow.Add(-time.Minute), nil), good, 0, Unknown, false, ErrIssuerMismatch},
		{"garbage", []byte{0x30, 0x03, 0x02, 0x01, 0x01}, good, 0, Unknown, false, ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			now := testNow
			c := New(Options{Now: clockAt(&now), CRLSource: &localCRLs{der: tc.der}, CRLStaleWindow: tc.window, DisableOCSP: true})
			r, err := c.Check(context.Background(), tc.cert, ca.cert)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if r.Status != tc.status || r.Stale != tc.stale {
				t.Fatalf("result = %+v, want status %v stale %v", r, tc.status, tc.stale)
			}
			if tc.status == Revoked && (r.Reason != ocsp.KeyCompromise || r.RevokedAt.IsZero() || r.Source != SourceCRL) {
				t.Fatalf("revoked result = %+v", r)
			}
		})
	}
}

func TestCRLNumberMonotonic(t *testing.T) {
	ca := newCA(t, "owner CA")
	cert := ca.leaf(t, 11)
	now := testNow
	newer := ca.crl(t, 7, testNow.Add(-5*time.Minute), nil, revokedSerial{11, ocsp.Superseded})
	older := ca.crl(t, 6, testNow.Add(-time.Minute), nil)
	src := &localCRLs{der: newer}
	c := New(Options{Now: clockAt(&now), CRLSource: src, DisableOCSP: true})
	if r, err := c.CheckCRL(context.Background(), cert, ca.cert); err != nil || r.Status != Revoked {
		t.Fatalf("newer CRL: %+v, %v", r, err)
	}
	src.der = older
	_, err := c.CheckCRL(context.Background(), cert, ca.cert)
	if !errors.Is(err, ErrCRLNumberRegressed) {
		t.Fatalf("older CRL after newer: err = %v, want ErrCRLNumberRegressed", err)
	}
	r, err := c.Check(context.Background(), cert, ca.cert)
	if err != nil || r.Status != Revoked || !r.Cached || r.Reason != ocsp.Superseded {
		t.Fatalf("after the older CRL, Check = %+v, %v; want the newer CRL's revocation from cache", r, err)
	}
}

func TestCRLCacheAndFetch(t *testing.T) {
	ca := newCA(t, "owner CA")
	cert := ca.leaf(t, 10)
	now := testNow
	tr := &fakeTransport{crl: func() ([]byte, error) { return ca.crl(t, 1, testNow.Add(-time.Minute), nil), nil }}
	c := New(Options{Now: clockAt(&now), Transport: tr, DisableOCSP: true})
	r, err := c.Check(context.Background(), cert, ca.cert)
	if err != nil || r.Status != Good || r.Cached || r.URL != crlURL {
		t.Fatalf("first Check = %+v, %v", r, err)
	}
	r, err = c.Check(context.Background(), cert, ca.cert)
	if err != nil || !r.Cached || tr.calls != 1 {
		t.Fatalf("second Check = %+v, %v after %d fetches; want a cached answer", r, err, tr.calls)
	}
	now = testNow.Add(2 * time.Hour) // past nextUpdate: the cache no longer answers and the fetched CRL is stale
	if _, err := c.Check(context.Background(), cert, ca.cert); !errors.Is(err, ErrStale) || tr.calls != 2 {
		t.Fatalf("Check past nextUpdate: err = %v after %d fetches; want ErrStale from a new fetch", err, tr.calls)
	}
}

func TestCRLRefusesUnsupportedCriticalExtension(t *testing.T) {
	ca := newCA(t, "owner CA")
	tmpl := &x509.RevocationList{
		Number: big.NewInt(1), ThisUpdate: testNow.Add(-time.Minute), NextUpdate: testNow.Add(time.Hour),
		// deltaCRLIndicator (RFC 5280 §5.2.4), critical: a delta CRL is not a complete CRL.
		ExtraExtensions: []pkix.Extension{{Id: asn1.ObjectIdentifier{2, 5, 29, 27}, Critical: true, Value: []byte{0x02, 0x01, 0x01}}},
	}
	der, err := x509.CreateRevocationList(rand.Reader, tmpl, ca.cert, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	c := New(Options{Now: func() time.Time { return testNow }, CRLSource: &localCRLs{der: der}})
	if _, err := c.CheckCRL(context.Background(), ca.leaf(t, 3), ca.cert); !errors.Is(err, ErrMalformed) {
		t.Fatalf("delta CRL: err = %v, want ErrMalformed", err)
	}
}
