package main

import (
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"net/url"
	"time"

	"github.com/kakunin-dev/kakunin/did/kakunin"
)

// issued is a certificate with the key that signs its children.
type issued struct {
	cert *x509.Certificate
	key  crypto.Signer
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func serial(seed, label string, octets int) *big.Int {
	b := make([]byte, octets)
	stream(seed, "serial/"+label).Read(b)
	b[0] = b[0]&0x7f | 0x40 // positive, exactly octets long
	return new(big.Int).SetBytes(b)
}

func keyID(pub crypto.PublicKey) []byte {
	der := must(x509.MarshalPKIXPublicKey(pub))
	sum := sha256.Sum256(der)
	return sum[:20] // RFC 7093 §2 method 1: leftmost 160 bits of SHA-256
}

// caTemplate is an owner or issuing CA certificate: basicConstraints (critical),
// keyUsage keyCertSign and cRLSign, SKI.
func caTemplate(seed, name string, pub crypto.PublicKey, from, to time.Time) *x509.Certificate {
	return &x509.Certificate{
		SerialNumber:          serial(seed, name, 16),
		Subject:               pkix.Name{Organization: []string{"Example Owner"}, CommonName: name},
		NotBefore:             from,
		NotAfter:              to,
		BasicConstraintsValid: true,
		IsCA:                  true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		SubjectKeyId:          keyID(pub),
	}
}

// agentTemplate is a conforming agent certificate for id, valid for 24 hours from
// notBefore.
func agentTemplate(seed, name string, id kakunin.ID, pub crypto.PublicKey, notBefore time.Time) *x509.Certificate {
	return &x509.Certificate{
		SerialNumber:          serial(seed, name, 16),
		Subject:               pkix.Name{Organization: []string{"Example Owner"}, CommonName: "agent instance " + name},
		NotBefore:             notBefore,
		NotAfter:              notBefore.Add(24 * time.Hour),
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		URIs:                  []*url.URL{must(url.Parse(id.String())), must(url.Parse("spiffe://agents.example.com/instance/" + name))},
		Policies:              []x509.OID{kakunin.AgentPolicy},
		ExtraExtensions:       []pkix.Extension{kakunin.DigestsExtension(id)},
		SubjectKeyId:          keyID(pub),
		CRLDistributionPoints: []string{"http://ca.example.com/crl/issuing.crl"},
		OCSPServer:            []string{"http://ca.example.com/ocsp"},
		IssuingCertificateURL: []string{"http://ca.example.com/issuing.crt"},
	}
}

// sign issues tmpl for pub under parent (nil: self-signed with key).
func sign(tmpl *x509.Certificate, pub crypto.PublicKey, parent *issued, key crypto.Signer) *issued {
	parentCert, signer := tmpl, key
	if parent != nil {
		parentCert, signer = parent.cert, parent.key
	}
	// Every signer in the corpus is Ed25519, whose signatures are deterministic,
	// so the corpus is byte-for-byte reproducible. The rand argument is unused.
	der := must(x509.CreateCertificate(nil, tmpl, parentCert, pub, signer))
	return &issued{cert: must(x509.ParseCertificate(der)), key: key}
}

// exampleArcExtension is a critical extension under 2.999 (joint-iso-itu-t
// example, ITU-T X.660) that no verifier knows.
func exampleArcExtension() pkix.Extension {
	return pkix.Extension{Id: asn1.ObjectIdentifier{2, 999, 1}, Critical: true, Value: []byte{0x05, 0x00}}
}
