package ca_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"slices"
	"testing"
	"time"

	"golang.org/x/crypto/ocsp"

	"github.com/kakunin-dev/kakunin/ca"
	"github.com/kakunin-dev/kakunin/did/kakunin/revocation"
	"github.com/kakunin-dev/kakunin/store"
)

func TestOCSPAnswers(t *testing.T) {
	e := newEnv(t, ca.Options{})
	ctx := context.Background()
	good, revoked := e.enroll(ed25519Key(t, "agent 1")), e.enroll(ed25519Key(t, "agent 2"))
	if err := e.ca.Revoke(ctx, ca.RevokeRequest{Owner: ownerID, Tenant: tenant, Serial: revoked.Certificate.SerialNumber, Reason: store.ReasonSuperseded}); err != nil {
		t.Fatal(err)
	}
	unknown := *good.Certificate
	unknown.SerialNumber = bigInt(424242)
	tests := []struct {
		name   string
		cert   *x509.Certificate
		hash   crypto.Hash
		status revocation.Status
		err    error
	}{
		{"good SHA-1", good.Certificate, crypto.SHA1, revocation.Good, nil},
		{"good SHA-256", good.Certificate, crypto.SHA256, revocation.Good, nil},
		{"revoked", revoked.Certificate, crypto.SHA256, revocation.Revoked, nil},
		{"unknown", &unknown, crypto.SHA1, revocation.Unknown, revocation.ErrUnknownStatus},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := e.ca.OCSP(ctx, ownerID, ocspRequest(t, tc.cert, e.owner.Certificate, tc.hash, nil))
			if err != nil {
				t.Fatal(err)
			}
			r, err := revocation.VerifyOCSPResponse(resp.DER, tc.cert, e.owner.Certificate, revocation.OCSPCheck{Now: e.clock.Now()})
			if r.Status != tc.status || !errors.Is(err, tc.err) {
				t.Fatalf("VerifyOCSPResponse = %+v, %v; want %v, %v", r, err, tc.status, tc.err)
			}
			if resp.Cacheable != (tc.status != revocation.Unknown) || resp.NextUpdate.Sub(resp.ThisUpdate) != ca.DefaultOCSPValidity {
				t.Errorf("Cacheable %v, validity %v", resp.Cacheable, resp.NextUpdate.Sub(resp.ThisUpdate))
			}
		})
	}
}

// TestOCSPResponder checks the delegated responder certificate.
func TestOCSPResponder(t *testing.T) {
	e := newEnv(t, ca.Options{})
	issued := e.enroll(ed25519Key(t, "agent"))
	resp, _ := e.ca.OCSP(context.Background(), ownerID, ocspRequest(t, issued.Certificate, e.owner.Certificate, crypto.SHA1, nil))
	parsed, err := ocsp.ParseResponse(resp.DER, e.owner.Certificate)
	if err != nil {
		t.Fatal(err)
	}
	rc := parsed.Certificate
	if rc == nil || rc.CheckSignatureFrom(e.owner.Certificate) != nil || !slices.Equal(rc.ExtKeyUsage, []x509.ExtKeyUsage{x509.ExtKeyUsageOCSPSigning}) {
		t.Fatalf("responder certificate %+v is not a delegated responder of the owner", rc)
	}
	nocheck := asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 48, 1, 5}
	if !slices.ContainsFunc(rc.Extensions, func(x pkixExt) bool { return x.Id.Equal(nocheck) && !x.Critical }) {
		t.Error("responder certificate lacks a non-critical id-pkix-ocsp-nocheck")
	}
	if d := rc.NotAfter.Sub(rc.NotBefore); d > ca.DefaultResponderValidity {
		t.Errorf("responder validity %v", d)
	}
	// Past half of its validity the responder certificate is replaced.
	e.clock.Advance(ca.DefaultResponderValidity/2 + time.Hour)
	resp2, _ := e.ca.OCSP(context.Background(), ownerID, ocspRequest(t, issued.Certificate, e.owner.Certificate, crypto.SHA1, nil))
	parsed2, err := ocsp.ParseResponse(resp2.DER, e.owner.Certificate)
	if err != nil || parsed2.Certificate.SerialNumber.Cmp(rc.SerialNumber) == 0 {
		t.Fatalf("responder not renewed: %v", err)
	}
}

func TestOCSPNonce(t *testing.T) {
	e := newEnv(t, ca.Options{})
	issued := e.enroll(ed25519Key(t, "agent"))
	tests := []struct {
		name  string
		nonce []byte
		want  []byte // nil: malformedRequest
	}{
		{"1 octet", []byte{7}, []byte{7}},
		{"32 octets", bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{1}, 32)},
		{"33 octets", bytes.Repeat([]byte{1}, 33), nil},
		{"empty", []byte{}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := e.ca.OCSP(context.Background(), ownerID, ocspRequest(t, issued.Certificate, e.owner.Certificate, crypto.SHA256, tc.nonce))
			if err != nil {
				t.Fatal(err)
			}
			if tc.want == nil {
				if _, err := ocsp.ParseResponse(resp.DER, nil); err != ocsp.ResponseError(ocsp.ResponseError{Status: ocsp.Malformed}) {
					t.Fatalf("response %v, want malformedRequest", err)
				}
				return
			}
			if got := responseNonce(t, resp.DER); !bytes.Equal(got, tc.want) || resp.Cacheable {
				t.Fatalf("nonce %x (cacheable %v), want %x", got, resp.Cacheable, tc.want)
			}
			if _, err := revocation.VerifyOCSPResponse(resp.DER, issued.Certificate, e.owner.Certificate, revocation.OCSPCheck{Now: e.clock.Now()}); err != nil {
				t.Fatalf("response with nonce does not verify: %v", err)
			}
		})
	}
}

// responseNonce reads the nonce from the responseExtensions of a basic response.
func responseNonce(t *testing.T, der []byte) []byte {
	t.Helper()
	var resp struct {
		Status asn1.Enumerated
		Bytes  struct {
			Type     asn1.ObjectIdentifier
			Response []byte
		} `asn1:"explicit,tag:0"`
	}
	var basic struct {
		TBS struct {
			Responder  asn1.RawValue
			Produced   time.Time `asn1:"generalized"`
			Responses  []asn1.RawValue
			Extensions []pkixExt `asn1:"explicit,tag:1,optional"`
		}
	}
	if _, err := asn1.Unmarshal(der, &resp); err != nil {
		t.Fatal(err)
	}
	if _, err := asn1.Unmarshal(resp.Bytes.Response, &basic); err != nil {
		t.Fatal(err)
	}
	for _, ext := range basic.TBS.Extensions {
		var nonce []byte
		if _, err := asn1.Unmarshal(ext.Value, &nonce); err == nil {
			return nonce
		}
	}
	return nil
}

func TestOCSPErrorResponses(t *testing.T) {
	e := newEnv(t, ca.Options{})
	issued := e.enroll(ed25519Key(t, "agent"))
	foreign, _ := enterpriseRoot(t)
	tests := []struct {
		name  string
		owner string
		req   []byte
		want  ocsp.ResponseStatus
	}{
		{"garbage", ownerID, []byte("hello"), ocsp.Malformed},
		{"empty", ownerID, nil, ocsp.Malformed},
		{"trailing data", ownerID, append(ocspRequest(t, issued.Certificate, e.owner.Certificate, crypto.SHA1, nil), 0), ocsp.Malformed},
		{"too large", ownerID, make([]byte, ca.MaxOCSPRequest+1), ocsp.Malformed},
		{"unknown owner", "nobody", ocspRequest(t, issued.Certificate, e.owner.Certificate, crypto.SHA1, nil), ocsp.Unauthorized},
		{"other issuer", ownerID, ocspRequest(t, issued.Certificate, foreign, crypto.SHA1, nil), ocsp.Unauthorized},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := e.ca.OCSP(context.Background(), tc.owner, tc.req)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := ocsp.ParseResponse(resp.DER, nil); err != (ocsp.ResponseError{Status: tc.want}) {
				t.Fatalf("response %v, want status %v", err, tc.want)
			}
		})
	}
}

// TestOCSPCache: a nonce-less answer is served from the cache (byte-identical)
// until a revocation drops it.
func TestOCSPCache(t *testing.T) {
	e := newEnv(t, ca.Options{})
	ctx := context.Background()
	issued := e.enroll(ed25519Key(t, "agent"))
	req := ocspRequest(t, issued.Certificate, e.owner.Certificate, crypto.SHA1, nil)
	first, _ := e.ca.OCSP(ctx, ownerID, req)
	e.clock.Advance(time.Minute)
	second, _ := e.ca.OCSP(ctx, ownerID, req)
	if !bytes.Equal(first.DER, second.DER) {
		t.Error("second answer was signed again, not cached")
	}
	e.clock.Advance(ca.DefaultOCSPValidity / 2)
	third, _ := e.ca.OCSP(ctx, ownerID, req)
	if bytes.Equal(first.DER, third.DER) {
		t.Error("answer served past half of its validity")
	}
	if err := e.ca.Revoke(ctx, ca.RevokeRequest{Owner: ownerID, Tenant: tenant, Serial: issued.Certificate.SerialNumber}); err != nil {
		t.Fatal(err)
	}
	after, _ := e.ca.OCSP(ctx, ownerID, req)
	r, err := revocation.VerifyOCSPResponse(after.DER, issued.Certificate, e.owner.Certificate, revocation.OCSPCheck{Now: e.clock.Now()})
	if err != nil || r.Status != revocation.Revoked {
		t.Fatalf("after revocation: %+v, %v", r, err)
	}
}

func TestOCSPResponseSignature(t *testing.T) {
	e := newEnv(t, ca.Options{})
	issued := e.enroll(ed25519Key(t, "agent"))
	req, err := ocsp.CreateRequest(issued.Certificate, e.owner.Certificate, &ocsp.RequestOptions{Hash: crypto.SHA256})
	if err != nil {
		t.Fatal(err)
	}
	resp, _ := e.ca.OCSP(context.Background(), ownerID, req)
	parsed, err := ocsp.ParseResponseForCert(resp.DER, issued.Certificate, e.owner.Certificate)
	if err != nil || parsed.Status != ocsp.Good || parsed.SerialNumber.Cmp(issued.Certificate.SerialNumber) != 0 {
		t.Fatalf("x/crypto/ocsp reads %+v, %v", parsed, err)
	}
}
