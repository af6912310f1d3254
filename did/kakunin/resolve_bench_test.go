package kakunin

import (
	"context"
	"crypto/x509"
	"testing"

	"github.com/kakunin-dev/kakunin/did"
)

// BenchmarkDeriveDocument derives the document of a DID with two certificates
// (P-256 and Ed25519 agent keys, three-certificate chains), chains already verified.
func BenchmarkDeriveDocument(b *testing.B) {
	id := corpusID(b)
	chains := [][]*x509.Certificate{loadPEM(b, "good.pem"), loadPEM(b, "good-ed25519.pem")}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DeriveDocument(id, chains, specDocumentOptions); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkResolve resolves a DID from an x509Chain option holding a P-256 chain of
// three certificates (agent, issuing CA, owner CA): option decoding, certificate
// parsing, chain validation, a revocation answer from the checker's CRL cache, the
// document and its metadata. Nothing of the resolution itself is cached.
func BenchmarkResolve(b *testing.B) {
	owner, issuing := fixtureP256("bench/owner"), fixtureP256("bench/issuing")
	p := newPKI(b, "bench", owner)
	f := newChainFixture(b, p, issuing)
	f.crls[f.issuing.Subject.CommonName] = makeCRL(b, f.issuing, issuing, t0)
	r := f.resolver(b)
	opts := chainOptions(f.chain)
	d := p.id.String()
	warm := func() *did.ResolutionResult {
		res, err := r.Resolve(context.Background(), d, opts)
		if err != nil {
			b.Fatal(err)
		}
		return res
	}
	warm()
	if m := kakuninSection(b, warm()); m.ActiveCertificates != 1 || len(m.Revocation) != 1 || !m.Revocation[0].Cached {
		b.Fatalf("second resolution does not use the cached CRL: %+v", m)
	}
	b.ReportAllocs()
	for b.Loop() {
		warm()
	}
}
