package revocation_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"time"

	"github.com/kakunin-dev/kakunin/did/kakunin/revocation"
)

// registry stands for the kakunin registry, which holds each CA's current CRL.
type registry struct{ crl []byte }

func (r registry) CRL(context.Context, *x509.Certificate) ([]byte, error) { return r.crl, nil }

// Check a certificate against its issuer's CRL from a local source, with a fixed clock.
func Example() {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "owner CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}
	caDER, _ := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, caKey.Public(), caKey)
	ca, _ := x509.ParseCertificate(caDER)
	leafDER, _ := x509.CreateCertificate(rand.Reader, &x509.Certificate{SerialNumber: big.NewInt(7),
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour)}, ca, caKey.Public(), caKey)
	leaf, _ := x509.ParseCertificate(leafDER)
	crl, _ := x509.CreateRevocationList(rand.Reader, &x509.RevocationList{Number: big.NewInt(1),
		ThisUpdate: now.Add(-time.Minute), NextUpdate: now.Add(time.Hour),
		RevokedCertificateEntries: []x509.RevocationListEntry{{SerialNumber: big.NewInt(7), RevocationTime: now.Add(-time.Minute), ReasonCode: 1}},
	}, ca, caKey)

	checker := revocation.New(revocation.Options{Now: func() time.Time { return now }, CRLSource: registry{crl}})
	r, err := checker.Check(context.Background(), leaf, ca)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Status, r.Source, r.Reason)
	r, _ = checker.Check(context.Background(), leaf, ca)
	fmt.Println("cached:", r.Cached)
	// Output:
	// revoked CRL 1
	// cached: true
}
