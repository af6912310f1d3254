package revocation

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ocsp"
)

var testNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

const (
	crlURL  = "http://ca.test/ca.crl"
	ocspURL = "http://ca.test/ocsp"
)

type testCA struct {
	cert *x509.Certificate
	key  crypto.Signer
}

func newKey(t testing.TB) crypto.Signer {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func newCA(t testing.TB, name string) *testCA {
	key := newKey(t)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: testNow.Add(-24 * time.Hour), NotAfter: testNow.Add(365 * 24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	return &testCA{cert: createCert(t, tmpl, tmpl, key.Public(), key), key: key}
}

func createCert(t testing.TB, tmpl, parent *x509.Certificate, pub crypto.PublicKey, key crypto.Signer) *x509.Certificate {
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

// leaf issues an end-entity certificate naming the test CRL and OCSP URLs.
func (ca *testCA) leaf(t testing.TB, serial int64) *x509.Certificate {
	return createCert(t, &x509.Certificate{
		SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: fmt.Sprint("agent ", serial)},
		NotBefore: testNow.Add(-time.Hour), NotAfter: testNow.Add(24 * time.Hour),
		OCSPServer: []string{ocspURL}, CRLDistributionPoints: []string{crlURL},
	}, ca.cert, newKey(t).Public(), ca.key)
}

// responder issues a delegated OCSP responder certificate, with or without the EKU.
func (ca *testCA) responder(t testing.TB, withEKU bool) *testCA {
	key := newKey(t)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1000), Subject: pkix.Name{CommonName: "ocsp responder"},
		NotBefore: testNow.Add(-time.Hour), NotAfter: testNow.Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature,
	}
	if withEKU {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageOCSPSigning}
	}
	return &testCA{cert: createCert(t, tmpl, ca.cert, key.Public(), ca.key), key: key}
}

type revokedSerial struct {
	serial int64
	reason int
}

// crl returns a DER CRL of ca with the given number, thisUpdate and revoked serials,
// signed by signer (ca's key when nil).
func (ca *testCA) crl(t testing.TB, number int64, thisUpdate time.Time, signer crypto.Signer, revoked ...revokedSerial) []byte {
	var entries []x509.RevocationListEntry
	for _, r := range revoked {
		entries = append(entries, x509.RevocationListEntry{
			SerialNumber: big.NewInt(r.serial), RevocationTime: thisUpdate.Add(-time.Minute), ReasonCode: r.reason,
		})
	}
	tmpl := &x509.RevocationList{
		Number: big.NewInt(number), ThisUpdate: thisUpdate, NextUpdate: thisUpdate.Add(time.Hour),
		RevokedCertificateEntries: entries,
	}
	issuerCert := ca.cert
	if signer == nil {
		signer = ca.key
	}
	der, err := x509.CreateRevocationList(rand.Reader, tmpl, issuerCert, signer)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// ocspResponse returns a DER OCSP response for tmpl, signed by the responder (the CA
// when responder is nil), embedding the responder certificate when it is a delegate.
func (ca *testCA) ocspResponse(t testing.TB, tmpl ocsp.Response, responder *testCA) []byte {
	signer := ca
	if responder != nil {
		signer = responder
		tmpl.Certificate = responder.cert
	}
	der, err := ocsp.CreateResponse(ca.cert, signer.cert, tmpl, signer.key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// fakeTransport serves CRLs and OCSP responses from functions and counts requests.
type fakeTransport struct {
	mu    sync.Mutex
	crl   func() ([]byte, error)
	ocsp  func(req []byte) ([]byte, error)
	calls int
}

func (f *fakeTransport) Get(_ context.Context, url string, _ int64) ([]byte, error) {
	f.mu.Lock()
	f.calls++
	f.mu.Unlock()
	if url != crlURL || f.crl == nil {
		return nil, fmt.Errorf("no CRL at %s", url)
	}
	return f.crl()
}

func (f *fakeTransport) Post(_ context.Context, url, _ string, body []byte, _ int64) ([]byte, error) {
	f.mu.Lock()
	f.calls++
	f.mu.Unlock()
	if url != ocspURL || f.ocsp == nil {
		return nil, fmt.Errorf("no OCSP responder at %s", url)
	}
	return f.ocsp(body)
}

// localCRLs is a CRLSource holding one CRL.
type localCRLs struct{ der []byte }

func (l *localCRLs) CRL(context.Context, *x509.Certificate) ([]byte, error) {
	if l.der == nil {
		return nil, fmt.Errorf("no CRL")
	}
	return l.der, nil
}

func clockAt(t *time.Time) func() time.Time { return func() time.Time { return *t } }
