package revocation

import (
	"bytes"
	"context"
	"testing"
	"time"

	"golang.org/x/crypto/ocsp"
)

// FuzzCRL feeds arbitrary bytes as a CRL: no panic, and never a verified answer from
// bytes the issuer did not sign.
func FuzzCRL(f *testing.F) {
	ca := newCA(f, "owner CA")
	cert := ca.leaf(f, 11)
	f.Add(ca.crl(f, 1, testNow.Add(-time.Minute), nil, revokedSerial{11, 1}))
	f.Add([]byte{0x30, 0x00})
	f.Fuzz(func(t *testing.T, der []byte) {
		c := New(Options{Now: func() time.Time { return testNow }, CRLSource: &localCRLs{der: der}})
		r, err := c.Check(context.Background(), cert, ca.cert)
		if err == nil && r.Status != Good && r.Status != Revoked {
			t.Fatalf("nil error with status %v", r.Status)
		}
	})
}

// FuzzOCSPResponse feeds arbitrary bytes as an OCSP response, checked with and without
// a nonce: no panic, and a nil error only with a definite status.
func FuzzOCSPResponse(f *testing.F) {
	ca := newCA(f, "owner CA")
	cert := ca.leaf(f, 42)
	nonce := bytes.Repeat([]byte{0x5a}, nonceSize)
	good := ca.ocspResponse(f, ocsp.Response{Status: ocsp.Good, SerialNumber: cert.SerialNumber,
		ThisUpdate: testNow.Add(-time.Minute), NextUpdate: testNow.Add(time.Hour)}, nil)
	f.Add(good)
	f.Add(withResponseExtensions(f, good, ca.key, nonceExt(nonce)))
	f.Add(ca.ocspResponse(f, ocsp.Response{Status: ocsp.Revoked, SerialNumber: cert.SerialNumber,
		ThisUpdate: testNow.Add(-time.Minute), RevokedAt: testNow.Add(-time.Hour)}, ca.responder(f, true)))
	f.Fuzz(func(t *testing.T, der []byte) {
		for _, n := range [][]byte{nil, nonce} {
			r, err := VerifyOCSPResponse(der, cert, ca.cert, OCSPCheck{Now: testNow, Nonce: n})
			if err == nil && r.Status != Good && r.Status != Revoked {
				t.Fatalf("nil error with status %v", r.Status)
			}
		}
	})
}
