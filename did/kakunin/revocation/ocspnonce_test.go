package revocation

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"math/big"
	"testing"
	"time"

	"golang.org/x/crypto/ocsp"
)

// Test-side ASN.1 of an OCSP response (RFC 6960 §4.2.1), to rewrite a response made
// by golang.org/x/crypto/ocsp, which cannot write responseExtensions.
type (
	testOCSPResponse struct {
		Status asn1.Enumerated
		Bytes  struct {
			Type     asn1.ObjectIdentifier
			Response []byte
		} `asn1:"explicit,tag:0"`
	}
	testBasicResponse struct {
		TBS       asn1.RawValue
		Algorithm pkix.AlgorithmIdentifier
		Signature asn1.BitString
		Certs     []asn1.RawValue `asn1:"explicit,tag:0,optional"`
	}
	testResponseData struct {
		Version     int `asn1:"optional,default:0,explicit,tag:0"`
		ResponderID asn1.RawValue
		ProducedAt  time.Time `asn1:"generalized"`
		Responses   []asn1.RawValue
		Extensions  []pkix.Extension `asn1:"explicit,tag:1,optional"`
	}
)

var oidECDSAWithSHA256 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}

// withResponseExtensions decodes der, an ECDSA-SHA256 signed OCSP response, appends
// exts to the responseExtensions of its ResponseData, signs the new ResponseData with
// key and re-encodes the response.
func withResponseExtensions(t testing.TB, der []byte, key crypto.Signer, exts ...pkix.Extension) []byte {
	t.Helper()
	var resp testOCSPResponse
	var basic testBasicResponse
	var data testResponseData
	if _, err := asn1.Unmarshal(der, &resp); err != nil {
		t.Fatal(err)
	}
	if _, err := asn1.Unmarshal(resp.Bytes.Response, &basic); err != nil {
		t.Fatal(err)
	}
	if _, err := asn1.Unmarshal(basic.TBS.FullBytes, &data); err != nil {
		t.Fatal(err)
	}
	if !basic.Algorithm.Algorithm.Equal(oidECDSAWithSHA256) {
		t.Fatalf("response signed with %v, want ecdsa-with-SHA256", basic.Algorithm.Algorithm)
	}
	data.Extensions = append(data.Extensions, exts...)
	tbs, err := asn1.Marshal(data)
	if err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256(tbs)
	sig, err := key.Sign(rand.Reader, digest[:], crypto.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	basic.TBS = asn1.RawValue{FullBytes: tbs}
	basic.Signature = asn1.BitString{Bytes: sig, BitLength: 8 * len(sig)}
	if resp.Bytes.Response, err = asn1.Marshal(basic); err != nil {
		t.Fatal(err)
	}
	out, err := asn1.Marshal(resp)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func nonceExt(nonce []byte) pkix.Extension {
	return pkix.Extension{Id: oidNonce, Value: mustMarshalOctets(nonce)}
}

// TestResponseExtensionsHelper: the rewritten response still verifies, and carries
// the extension in ResponseData, not in the SingleResponse.
func TestResponseExtensionsHelper(t *testing.T) {
	ca := newCA(t, "owner CA")
	cert := ca.leaf(t, 42)
	base := ocsp.Response{Status: ocsp.Good, SerialNumber: cert.SerialNumber, ThisUpdate: testNow.Add(-time.Minute), NextUpdate: testNow.Add(time.Hour)}
	der := withResponseExtensions(t, ca.ocspResponse(t, base, nil), ca.key, nonceExt([]byte{9}))
	parsed, err := ocsp.ParseResponseForCert(der, cert, ca.cert)
	if err != nil || parsed.Status != ocsp.Good || len(parsed.Extensions) != 0 {
		t.Fatalf("x/crypto/ocsp reads %+v, %v", parsed, err)
	}
	data, err := parseResponseData(der)
	if err != nil || len(data.Extensions) != 1 || !bytes.Equal(data.Extensions[0].Value, mustMarshalOctets([]byte{9})) {
		t.Fatalf("responseExtensions %+v, %v", data, err)
	}
}

func TestOCSPNonce(t *testing.T) {
	ca := newCA(t, "owner CA")
	other := newCA(t, "other CA")
	cert := ca.leaf(t, 42)
	base := ocsp.Response{Status: ocsp.Good, SerialNumber: big.NewInt(42), ThisUpdate: testNow.Add(-time.Minute), NextUpdate: testNow.Add(time.Hour)}
	inSingle := func(exts ...pkix.Extension) []byte {
		r := base
		r.ExtraExtensions = exts
		return ca.ocspResponse(t, r, nil)
	}
	plain := func() []byte { return ca.ocspResponse(t, base, nil) }
	flip := func(n []byte) []byte { return append([]byte{^n[0]}, n[1:]...) }
	critical := pkix.Extension{Id: asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 99999, 1}, Critical: true, Value: []byte{5, 0}}
	for _, tc := range []struct {
		name    string
		respond func(nonce []byte) []byte
		status  Status
		wantErr error
	}{
		{"echoed in responseExtensions", func(n []byte) []byte {
			return withResponseExtensions(t, plain(), ca.key, nonceExt(n))
		}, Good, nil},
		{"echoed by delegated responder", func(n []byte) []byte {
			resp := ca.responder(t, true)
			return withResponseExtensions(t, ca.ocspResponse(t, base, resp), resp.key, nonceExt(n))
		}, Good, nil},
		{"in both places", func(n []byte) []byte {
			return withResponseExtensions(t, inSingle(nonceExt(n)), ca.key, nonceExt(n))
		}, Good, nil},
		{"different nonce", func(n []byte) []byte {
			return withResponseExtensions(t, plain(), ca.key, nonceExt(flip(n)))
		}, Unknown, ErrNonceMismatch},
		{"different in responseExtensions, echoed in singleExtensions", func(n []byte) []byte {
			return withResponseExtensions(t, inSingle(nonceExt(n)), ca.key, nonceExt(flip(n)))
		}, Unknown, ErrNonceMismatch},
		{"not wrapped in an OCTET STRING", func(n []byte) []byte {
			return withResponseExtensions(t, plain(), ca.key, pkix.Extension{Id: oidNonce, Value: n})
		}, Unknown, ErrNonceMismatch},
		{"missing", func([]byte) []byte { return plain() }, Unknown, ErrNonceMismatch},
		{"only in singleExtensions", func(n []byte) []byte { return inSingle(nonceExt(n)) }, Unknown, ErrNonceMismatch},
		{"added without re-signing", func(n []byte) []byte {
			return withResponseExtensions(t, plain(), other.key, nonceExt(n))
		}, Unknown, ErrBadSignature},
		{"repeated", func(n []byte) []byte {
			return withResponseExtensions(t, plain(), ca.key, nonceExt(n), nonceExt(n))
		}, Unknown, ErrMalformed},
		{"unknown critical extension", func(n []byte) []byte {
			return withResponseExtensions(t, plain(), ca.key, nonceExt(n), critical)
		}, Unknown, ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := &fakeTransport{ocsp: func(req []byte) ([]byte, error) {
				nonce := requestNonce(t, req)
				if len(nonce) != nonceSize {
					t.Fatalf("request nonce %x, want %d octets", nonce, nonceSize)
				}
				return tc.respond(nonce), nil
			}}
			c := New(Options{Now: func() time.Time { return testNow }, Transport: tr, OCSPNonce: true, DisableCRL: true})
			r, err := c.Check(context.Background(), cert, ca.cert)
			if !errors.Is(err, tc.wantErr) || r.Status != tc.status {
				t.Fatalf("Check = %v, %v; want %v, %v", r.Status, err, tc.status, tc.wantErr)
			}
		})
	}
}

// TestOCSPResponseExtensionsWithoutNonce: without a nonce sent, an echoed nonce is
// ignored but the responseExtensions are still checked.
func TestOCSPResponseExtensionsWithoutNonce(t *testing.T) {
	ca := newCA(t, "owner CA")
	cert := ca.leaf(t, 42)
	plain := ca.ocspResponse(t, ocsp.Response{Status: ocsp.Good, SerialNumber: cert.SerialNumber, ThisUpdate: testNow.Add(-time.Minute), NextUpdate: testNow.Add(time.Hour)}, nil)
	critical := pkix.Extension{Id: asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 99999, 1}, Critical: true, Value: []byte{5, 0}}
	for _, tc := range []struct {
		name    string
		der     []byte
		wantErr error
	}{
		{"unsolicited nonce", withResponseExtensions(t, plain, ca.key, nonceExt([]byte{1, 2, 3})), nil},
		{"non-critical unknown extension", withResponseExtensions(t, plain, ca.key, pkix.Extension{Id: critical.Id, Value: critical.Value}), nil},
		{"critical unknown extension", withResponseExtensions(t, plain, ca.key, critical), ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := VerifyOCSPResponse(tc.der, cert, ca.cert, OCSPCheck{Now: testNow}); !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
		})
	}
}

// TestOCSPRequestNonceBounds: VerifyOCSPResponse takes a nonce of 1 to 32 octets
// (RFC 8954 §2.1) and refuses any other, even when echoed.
func TestOCSPRequestNonceBounds(t *testing.T) {
	ca := newCA(t, "owner CA")
	cert := ca.leaf(t, 42)
	plain := ca.ocspResponse(t, ocsp.Response{Status: ocsp.Good, SerialNumber: cert.SerialNumber, ThisUpdate: testNow.Add(-time.Minute), NextUpdate: testNow.Add(time.Hour)}, nil)
	for _, tc := range []struct {
		name    string
		nonce   []byte
		wantErr error
	}{
		{"1 octet", []byte{7}, nil},
		{"32 octets", bytes.Repeat([]byte{7}, 32), nil},
		{"empty", []byte{}, ErrNonceMismatch},
		{"33 octets", bytes.Repeat([]byte{7}, 33), ErrNonceMismatch},
	} {
		t.Run(tc.name, func(t *testing.T) {
			der := withResponseExtensions(t, plain, ca.key, nonceExt(tc.nonce))
			_, err := VerifyOCSPResponse(der, cert, ca.cert, OCSPCheck{Now: testNow, Nonce: tc.nonce})
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
		})
	}
}
