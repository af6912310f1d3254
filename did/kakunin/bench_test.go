package kakunin

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net/url"
	"testing"
	"time"
)

var benchNow = time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)

// p256Chain issues a conforming agent chain (leaf, issuing CA, owner CA), every key
// P-256, and returns it with its DID.
func p256Chain(tb testing.TB, editLeaf func(*x509.Certificate)) ([]*x509.Certificate, ID) {
	tb.Helper()
	keys := make([]*ecdsa.PrivateKey, 3)
	for i := range keys {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			tb.Fatal(err)
		}
		keys[i] = k
	}
	id, err := New(Digest{1}, Digest{2}, &keys[2].PublicKey)
	if err != nil {
		tb.Fatal(err)
	}
	ca := func(name string, serial int64) *x509.Certificate {
		return &x509.Certificate{
			SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: name},
			NotBefore: benchNow.Add(-time.Hour), NotAfter: benchNow.Add(time.Hour),
			BasicConstraintsValid: true, IsCA: true, KeyUsage: x509.KeyUsageCertSign,
		}
	}
	owner := issue(tb, ca("owner", 1), &keys[2].PublicKey, nil, keys[2])
	issuing := issue(tb, ca("issuing", 2), &keys[1].PublicKey, owner, keys[2])
	leafT := &x509.Certificate{
		SerialNumber: big.NewInt(3), Subject: pkix.Name{CommonName: "agent"},
		NotBefore: benchNow.Add(-time.Hour), NotAfter: benchNow.Add(time.Hour),
		BasicConstraintsValid: true, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, URIs: []*url.URL{{Scheme: "did", Opaque: id.String()[4:]}},
		Policies: []x509.OID{AgentPolicy}, ExtraExtensions: []pkix.Extension{DigestsExtension(id)},
		SubjectKeyId: []byte{3}, CRLDistributionPoints: []string{"http://ca.example/crl"}, OCSPServer: []string{"http://ca.example/ocsp"},
	}
	if editLeaf != nil {
		editLeaf(leafT)
	}
	leaf := issue(tb, leafT, &keys[0].PublicKey, issuing, keys[1])
	return []*x509.Certificate{leaf, issuing, owner}, id
}

func issue(tb testing.TB, tmpl *x509.Certificate, pub any, parent *x509.Certificate, key *ecdsa.PrivateKey) *x509.Certificate {
	tb.Helper()
	if parent == nil {
		parent = tmpl
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, key)
	if err != nil {
		tb.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func TestVerifyChainSignatureAlgorithm(t *testing.T) {
	tests := []struct {
		alg  x509.SignatureAlgorithm
		want error
	}{{x509.ECDSAWithSHA256, nil}, {x509.ECDSAWithSHA384, nil}, {x509.ECDSAWithSHA512, ErrSignatureAlgorithm}}
	for _, tt := range tests {
		t.Run(tt.alg.String(), func(t *testing.T) {
			chain, id := p256Chain(t, func(c *x509.Certificate) { c.SignatureAlgorithm = tt.alg })
			_, err := VerifyChain(chain, id, VerifyOptions{CurrentTime: benchNow})
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("VerifyChain: %v, want %v", err, tt.want)
			}
		})
	}
}

func BenchmarkParseID(b *testing.B) {
	s := "did:kakunin:" + hexA + ":" + hexB + ":" + mkA
	for b.Loop() {
		if _, err := Parse(s); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyChainP256 compares VerifyChain with bare crypto/x509 Verify on the
// same three-certificate P-256 chain (pools built once, as a caller would).
func BenchmarkVerifyChainP256(b *testing.B) {
	chain, id := p256Chain(b, nil)
	b.Run("kakunin", func(b *testing.B) {
		for b.Loop() {
			if _, err := VerifyChain(chain, id, VerifyOptions{CurrentTime: benchNow}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("x509", func(b *testing.B) {
		roots, inter := x509.NewCertPool(), x509.NewCertPool()
		roots.AddCert(chain[2])
		inter.AddCert(chain[1])
		opts := x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: benchNow, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
		for b.Loop() {
			if _, err := chain[0].Verify(opts); err != nil {
				b.Fatal(err)
			}
		}
	})
}
