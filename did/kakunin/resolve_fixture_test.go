package kakunin

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/binary"
	"fmt"
	"math/big"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/did/kakunin/revocation"
)

// t0 is the start of the fixtures' history.
var t0 = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// seeded returns 32 bytes derived from label, for reproducible fixture keys.
func seeded(label string, counter uint32) []byte {
	var c [4]byte
	binary.BigEndian.PutUint32(c[:], counter)
	sum := sha256.Sum256(append([]byte("kakunin resolve fixtures\x00"+label+"\x00"), c[:]...))
	return sum[:]
}

func fixtureEd25519(label string) ed25519.PrivateKey { return ed25519.NewKeyFromSeed(seeded(label, 0)) }

func fixtureP256(label string) *ecdsa.PrivateKey {
	for i := uint32(0); ; i++ {
		if k, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), seeded(label, i)); err == nil {
			return k
		}
	}
}

// pki is an owner CA (Ed25519 unless made otherwise, so certificates are
// byte-for-byte reproducible) with the DID its key names.
type pki struct {
	id       ID
	owner    *x509.Certificate
	ownerKey crypto.Signer
	serial   int64
}

func newPKI(tb testing.TB, label string, key crypto.Signer) *pki {
	tb.Helper()
	if key == nil {
		key = fixtureEd25519(label + "/owner")
	}
	model, prompt := sha256.Sum256([]byte(label+"/model")), sha256.Sum256([]byte(label+"/prompt"))
	id, err := New(Digest(model), Digest(prompt), key.Public())
	if err != nil {
		tb.Fatal(err)
	}
	p := &pki{id: id, ownerKey: key}
	p.owner = p.sign(tb, caTemplateFor(label+" Owner CA", key.Public()), key.Public(), nil, key)
	return p
}

func caTemplateFor(name string, pub crypto.PublicKey) *x509.Certificate {
	return &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{Organization: []string{"Fixture Owner"}, CommonName: name},
		NotBefore:             t0.AddDate(-1, 0, 0),
		NotAfter:              t0.AddDate(5, 0, 0),
		BasicConstraintsValid: true,
		IsCA:                  true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		SubjectKeyId:          skid(pub),
	}
}

func skid(pub crypto.PublicKey) []byte {
	der, _ := x509.MarshalPKIXPublicKey(pub)
	sum := sha256.Sum256(der)
	return sum[:20]
}

// sign issues tmpl for pub under parent (nil: self-signed by key).
func (p *pki) sign(tb testing.TB, tmpl *x509.Certificate, pub crypto.PublicKey, parent *x509.Certificate, key crypto.Signer) *x509.Certificate {
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

// agent issues a conforming agent certificate with a P-256 key, valid for 24 hours
// from notBefore, under parent (nil: the owner CA) signed by parentKey.
func (p *pki) agent(tb testing.TB, name string, notBefore time.Time, parent *x509.Certificate, parentKey crypto.Signer) *x509.Certificate {
	tb.Helper()
	if parent == nil {
		parent, parentKey = p.owner, p.ownerKey
	}
	key := fixtureP256(p.id.String() + "/" + name)
	p.serial++
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1000 + p.serial),
		Subject:               pkix.Name{Organization: []string{"Fixture Owner"}, CommonName: "agent " + name},
		NotBefore:             notBefore,
		NotAfter:              notBefore.Add(24 * time.Hour),
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		URIs:                  []*url.URL{{Scheme: "did", Opaque: p.id.String()[len("did:"):]}},
		Policies:              []x509.OID{AgentPolicy},
		ExtraExtensions:       []pkix.Extension{DigestsExtension(p.id)},
		SubjectKeyId:          skid(key.Public()),
		CRLDistributionPoints: []string{"http://ca.example.com/crl/" + parent.Subject.CommonName},
		OCSPServer:            []string{"http://ca.example.com/ocsp"},
	}
	return p.sign(tb, tmpl, key.Public(), parent, parentKey)
}

// intermediate issues an issuing CA under the owner CA.
func (p *pki) intermediate(tb testing.TB, name string, key crypto.Signer) *x509.Certificate {
	tb.Helper()
	t := caTemplateFor(name, key.Public())
	t.SerialNumber = big.NewInt(2)
	return p.sign(tb, t, key.Public(), p.owner, p.ownerKey)
}

// fakeRegistry is an in-memory Registry.
type fakeRegistry struct {
	certs  map[string][]RegistryCertificate
	events map[string][]RegistryEvent
	owners map[string][][]byte
	err    error
}

func newFakeRegistry() *fakeRegistry {
	return &fakeRegistry{certs: map[string][]RegistryCertificate{}, events: map[string][]RegistryEvent{}, owners: map[string][][]byte{}}
}

func (f *fakeRegistry) CertificatesByDID(_ context.Context, d string) ([]RegistryCertificate, error) {
	return slices.Clone(f.certs[d]), f.err
}

func (f *fakeRegistry) Events(_ context.Context, d string) ([]RegistryEvent, error) {
	return slices.Clone(f.events[d]), f.err
}

func (f *fakeRegistry) OwnerCertificates(_ context.Context, key string) ([][]byte, error) {
	return f.owners[key], f.err
}

func (f *fakeRegistry) addOwner(p *pki) {
	f.owners[p.id.OwnerMultikey()] = append(f.owners[p.id.OwnerMultikey()], p.owner.Raw)
}

func (f *fakeRegistry) event(d string, kind EventKind, at time.Time, c *x509.Certificate) {
	e := RegistryEvent{VersionID: int64(len(f.events[d]) + 1), Kind: kind, Time: at}
	if c != nil {
		e.IssuerID, e.Serial = c.Issuer.CommonName, c.SerialNumber
	}
	f.events[d] = append(f.events[d], e)
}

// issue records c for its DID with an "issued" event at at.
func (f *fakeRegistry) issue(p *pki, c *x509.Certificate, at time.Time) {
	d := p.id.String()
	f.certs[d] = append(f.certs[d], RegistryCertificate{IssuerID: c.Issuer.CommonName, Serial: c.SerialNumber,
		DER: c.Raw, NotBefore: c.NotBefore, NotAfter: c.NotAfter})
	f.event(d, EventIssued, at, c)
}

// revoke marks c revoked at at with reason and invalidity date, and records the event.
func (f *fakeRegistry) revoke(p *pki, c *x509.Certificate, at time.Time, reason int, invalidity time.Time) {
	d := p.id.String()
	for i := range f.certs[d] {
		if f.certs[d][i].Serial.Cmp(c.SerialNumber) == 0 {
			f.certs[d][i].Revoked, f.certs[d][i].RevokedAt, f.certs[d][i].Reason = true, at, reason
			f.certs[d][i].InvalidityDate = invalidity
		}
	}
	f.event(d, EventRevoked, at, c)
}

// fakeChecker answers Good for every certificate except those it was told about.
type fakeChecker struct {
	revoked     map[string]bool // by thumbprint
	unavailable map[string]bool
	nextUpdate  time.Time
	calls       int
}

func (f *fakeChecker) Check(_ context.Context, cert, _ *x509.Certificate) (revocation.Result, error) {
	f.calls++
	t := Thumbprint(cert)
	switch {
	case f.unavailable[t]:
		return revocation.Result{}, fmt.Errorf("%w: responder unreachable", revocation.ErrNoAnswer)
	case f.revoked[t]:
		return revocation.Result{Status: revocation.Revoked, Source: revocation.SourceOCSP, RevokedAt: t0}, nil
	}
	return revocation.Result{Status: revocation.Good, Source: revocation.SourceOCSP, URL: "http://ca.example.com/ocsp",
		ThisUpdate: t0, NextUpdate: f.nextUpdate}, nil
}

func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }
