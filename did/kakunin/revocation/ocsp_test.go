package revocation

import (
	"context"
	"crypto"
	"encoding/asn1"
	"errors"
	"math/big"
	"testing"
	"time"

	"golang.org/x/crypto/ocsp"
)

// requestNonce returns the nonce of a DER OCSP request, or nil.
func requestNonce(t *testing.T, der []byte) []byte {
	var req ocspRequest
	if _, err := asn1.Unmarshal(der, &req); err != nil {
		t.Fatalf("request does not parse: %v", err)
	}
	if _, err := ocsp.ParseRequest(der); err != nil {
		t.Fatalf("x/crypto/ocsp rejects the request: %v", err)
	}
	for _, ext := range req.TBSRequest.Extensions {
		if ext.Id.Equal(oidNonce) {
			var nonce []byte
			if _, err := asn1.Unmarshal(ext.Value, &nonce); err != nil {
				t.Fatal(err)
			}
			return nonce
		}
	}
	return nil
}

func TestOCSP(t *testing.T) {
	ca := newCA(t, "owner CA")
	other := newCA(t, "other CA")
	cert := ca.leaf(t, 42)
	base := ocsp.Response{Status: ocsp.Good, SerialNumber: big.NewInt(42), ThisUpdate: testNow.Add(-time.Minute), NextUpdate: testNow.Add(time.Hour)}
	with := func(f func(*ocsp.Response)) ocsp.Response { r := base; f(&r); return r }
	for _, tc := range []struct {
		name    string
		respond func(nonce []byte) []byte
		nonce   bool
		status  Status
		wantErr error
	}{
		{"good", func([]byte) []byte { return ca.ocspResponse(t, base, nil) }, false, Good, nil},
		{"revoked", func([]byte) []byte {
			return ca.ocspResponse(t, with(func(r *ocsp.Response) {
				r.Status, r.RevokedAt, r.RevocationReason = ocsp.Revoked, testNow.Add(-time.Hour), ocsp.KeyCompromise
			}), nil)
		}, false, Revoked, nil},
		{"unknown", func([]byte) []byte {
			return ca.ocspResponse(t, with(func(r *ocsp.Response) { r.Status = ocsp.Unknown }), nil)
		}, false, Unknown, ErrUnknownStatus},
		{"delegated responder", func([]byte) []byte { return ca.ocspResponse(t, base, ca.responder(t, true)) }, false, Good, nil},
		{"responder without EKU", func([]byte) []byte { return ca.ocspResponse(t, base, ca.responder(t, false)) }, false, Unknown, ErrUnauthorizedResponder},
		{"expired responder", func([]byte) []byte {
			resp := ca.responder(t, true)
			tmpl := *resp.cert
			tmpl.NotAfter = testNow.Add(-time.Minute)
			resp.cert = createCert(t, &tmpl, ca.cert, resp.key.Public(), ca.key)
			return ca.ocspResponse(t, base, resp)
		}, false, Unknown, ErrUnauthorizedResponder},
		{"embedded responder of another CA", func([]byte) []byte { return ca.ocspResponse(t, base, other.responder(t, true)) }, false, Unknown, ErrUnauthorizedResponder},
		{"CA embedded", func([]byte) []byte { return ca.ocspResponse(t, base, ca) }, false, Good, nil},
		{"responder of another CA", func([]byte) []byte {
			der, err := ocsp.CreateResponse(ca.cert, other.responder(t, true).cert, base, other.key)
			if err != nil {
				t.Fatal(err)
			}
			return der
		}, false, Unknown, ErrBadSignature},
		{"signed by another CA", func([]byte) []byte {
			der, err := ocsp.CreateResponse(ca.cert, other.cert, base, other.key)
			if err != nil {
				t.Fatal(err)
			}
			return der
		}, false, Unknown, ErrBadSignature},
		{"wrong serial", func([]byte) []byte {
			return ca.ocspResponse(t, with(func(r *ocsp.Response) { r.SerialNumber = big.NewInt(43) }), nil)
		}, false, Unknown, ErrSerialMismatch},
		{"wrong issuer hash", func([]byte) []byte {
			der, err := ocsp.CreateResponse(other.cert, ca.cert, base, ca.key)
			if err != nil {
				t.Fatal(err)
			}
			return der
		}, false, Unknown, ErrIssuerMismatch},
		{"expired", func([]byte) []byte {
			return ca.ocspResponse(t, with(func(r *ocsp.Response) {
				r.ThisUpdate, r.NextUpdate = testNow.Add(-2*time.Hour), testNow.Add(-time.Hour)
			}), nil)
		}, false, Unknown, ErrStale},
		{"no nextUpdate, too old", func([]byte) []byte {
			return ca.ocspResponse(t, with(func(r *ocsp.Response) {
				r.ThisUpdate, r.NextUpdate = testNow.Add(-2*time.Hour), time.Time{}
			}), nil)
		}, false, Unknown, ErrStale},
		{"not yet valid", func([]byte) []byte {
			return ca.ocspResponse(t, with(func(r *ocsp.Response) { r.ThisUpdate = testNow.Add(time.Minute) }), nil)
		}, false, Unknown, ErrNotYetValid},
		{"nonce echoed", func(n []byte) []byte {
			return withResponseExtensions(t, ca.ocspResponse(t, base, nil), ca.key, nonceExt(n))
		}, true, Good, nil},
		{"nonce missing", func([]byte) []byte { return ca.ocspResponse(t, base, nil) }, true, Unknown, ErrNonceMismatch},
		{"garbage", func([]byte) []byte { return []byte("not DER") }, false, Unknown, ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := &fakeTransport{ocsp: func(req []byte) ([]byte, error) {
				nonce := requestNonce(t, req)
				if (nonce != nil) != tc.nonce || (tc.nonce && len(nonce) != nonceSize) {
					t.Fatalf("request nonce %x, want one: %v", nonce, tc.nonce)
				}
				return tc.respond(nonce), nil
			}}
			c := New(Options{Now: func() time.Time { return testNow }, Transport: tr, OCSPNonce: tc.nonce, DisableCRL: true})
			r, err := c.Check(context.Background(), cert, ca.cert)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if r.Status != tc.status {
				t.Fatalf("status = %v, want %v", r.Status, tc.status)
			}
			if err == nil && (r.Source != SourceOCSP || r.URL != ocspURL || r.NextUpdate.IsZero()) {
				t.Fatalf("result = %+v", r)
			}
			if r.Status == Revoked && (r.Reason != ocsp.KeyCompromise || !r.RevokedAt.Equal(testNow.Add(-time.Hour))) {
				t.Fatalf("revoked result = %+v", r)
			}
		})
	}
}

func TestOCSPCertIDHash(t *testing.T) {
	ca := newCA(t, "owner CA")
	cert := ca.leaf(t, 7)
	for _, h := range []crypto.Hash{crypto.SHA1, crypto.SHA256} {
		t.Run(h.String(), func(t *testing.T) {
			tr := &fakeTransport{ocsp: func(req []byte) ([]byte, error) {
				parsed, err := ocsp.ParseRequest(req)
				if err != nil || parsed.HashAlgorithm != h {
					t.Fatalf("request hash %v, %v; want %v", parsed.HashAlgorithm, err, h)
				}
				return ocsp.CreateResponse(ca.cert, ca.cert, ocsp.Response{
					Status: ocsp.Good, SerialNumber: parsed.SerialNumber, IssuerHash: h,
					ThisUpdate: testNow.Add(-time.Minute), NextUpdate: testNow.Add(time.Hour),
				}, ca.key)
			}}
			c := New(Options{Now: func() time.Time { return testNow }, Transport: tr, OCSPHash: h})
			if r, err := c.CheckOCSP(context.Background(), cert, ca.cert); err != nil || r.Status != Good {
				t.Fatalf("CheckOCSP = %+v, %v", r, err)
			}
		})
	}
}
