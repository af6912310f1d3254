package ca_test

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/ca"
	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/did/kakunin"
	"github.com/kakunin-dev/kakunin/keys"
)

func TestInitOwner(t *testing.T) {
	e := newEnv(t, ca.Options{})
	want, err := did.EncodeMultikey(e.ownerKey.Public())
	if err != nil {
		t.Fatal(err)
	}
	if e.owner.Multikey != want {
		t.Errorf("Multikey = %s, want %s", e.owner.Multikey, want)
	}
	c := e.owner.Certificate
	if !c.IsCA || c.KeyUsage&x509.KeyUsageCertSign == 0 || len(c.SubjectKeyId) == 0 {
		t.Errorf("owner certificate is not a conforming CA: %+v", c)
	}
	if err := c.CheckSignatureFrom(c); err != nil {
		t.Errorf("not self-signed: %v", err)
	}
	crl, err := e.ca.CRL(context.Background(), ownerID)
	if err != nil || crl.Number != 1 {
		t.Fatalf("first CRL = %v, %v; want number 1", crl, err)
	}

	tests := []struct {
		name string
		id   string
		want error
	}{
		{"taken id", ownerID, ca.ErrConflict},
		{"empty id", "", ca.ErrInvalidRequest},
		{"slash in id", "a/b", ca.ErrInvalidRequest},
		{"leading dot", ".acme", ca.ErrInvalidRequest},
		{"id too long", strings.Repeat("a", ca.MaxOwnerID+1), ca.ErrInvalidRequest},
		{"ok", "acme-2.eu_west", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.ca.InitOwner(context.Background(), ca.OwnerRequest{ID: tc.id, Signer: ed25519Key(t, "other")})
			if !errors.Is(err, tc.want) {
				t.Fatalf("InitOwner(%q) = %v, want %v", tc.id, err, tc.want)
			}
		})
	}
}

func TestLoadOwner(t *testing.T) {
	e := newEnv(t, ca.Options{})
	fresh, err := ca.New(e.db, ca.Options{BaseURL: "https://ca.example.com", Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tests := []struct {
		name   string
		id     string
		signer crypto.Signer
		want   error
	}{
		{"wrong key", ownerID, ed25519Key(t, "other"), ca.ErrKeyMismatch},
		{"unknown owner", "nobody", ed25519Key(t, "owner"), ca.ErrUnknownOwner},
		{"ok", ownerID, ed25519Key(t, "owner"), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := fresh.LoadOwner(ctx, tc.id, tc.signer)
			if !errors.Is(err, tc.want) {
				t.Fatalf("LoadOwner = %v, want %v", err, tc.want)
			}
		})
	}
	// The reloaded CA issues under the same owner.
	if _, err := fresh.Enroll(ctx, ca.EnrollRequest{Owner: ownerID, Tenant: tenant, CSR: csrFor(t, ed25519Key(t, "agent")),
		ModelDigest: modelDigest, PromptDigest: promptDigest}); err != nil {
		t.Fatalf("Enroll after LoadOwner: %v", err)
	}
}

// TestImportOwner certifies an owner key by an enterprise root through OwnerCSR and
// checks that agent chains then validate against the root as a trust anchor.
func TestImportOwner(t *testing.T) {
	e := newEnv(t, ca.Options{})
	ctx := context.Background()
	signer, err := keys.Generate(ctx, "file:"+t.TempDir()+"/owner.pem", keys.ECDSAP256)
	if err != nil {
		t.Fatal(err)
	}
	defer signer.Close()
	req := ca.OwnerRequest{ID: "enterprise-owner", TenantID: tenant, Signer: signer, Subject: pkix.Name{CommonName: "Example Owner CA"}}
	csrDER, err := ca.OwnerCSR(req)
	if err != nil {
		t.Fatal(err)
	}
	csr, err := x509.ParseCertificateRequest(csrDER)
	if err != nil || csr.CheckSignature() != nil {
		t.Fatalf("owner CSR: %v", err)
	}
	root, rootKey := enterpriseRoot(t)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(7), Subject: csr.Subject, NotBefore: t0.Add(-time.Hour), NotAfter: t0.Add(365 * 24 * time.Hour),
		BasicConstraintsValid: true, IsCA: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		SubjectKeyId: []byte{1, 2, 3, 4},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, root, csr.PublicKey, rootKey)
	if err != nil {
		t.Fatal(err)
	}
	ownerCert, _ := x509.ParseCertificate(der)

	if _, err := e.ca.ImportOwner(ctx, req, []*x509.Certificate{ownerCert, e.owner.Certificate}); !errors.Is(err, ca.ErrInvalidRequest) {
		t.Errorf("ImportOwner with a wrong parent: %v, want ErrInvalidRequest", err)
	}
	info, err := e.ca.ImportOwner(ctx, req, []*x509.Certificate{ownerCert, root})
	if err != nil {
		t.Fatal(err)
	}
	id, err := kakunin.New(modelDigest, promptDigest, signer.Public())
	if err != nil {
		t.Fatal(err)
	}
	issued, err := e.ca.Enroll(ctx, ca.EnrollRequest{Owner: info.ID, Tenant: tenant, CSR: csrFor(t, ecKey(t, elliptic.P256())), DID: id.String()})
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(root)
	v, err := kakunin.VerifyChain(issued.Chain, id, kakunin.VerifyOptions{CurrentTime: t0, TrustRoots: roots, RequireTrustRoot: true})
	if err != nil || v.TrustRoot != kakunin.Trusted {
		t.Fatalf("VerifyChain = %v, %v; want a trusted chain", v, err)
	}
}

func enterpriseRoot(t *testing.T) (*x509.Certificate, ed25519.PrivateKey) {
	key := ed25519Key(t, "enterprise root")
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Example Enterprise Root"},
		NotBefore: t0.Add(-time.Hour), NotAfter: t0.Add(10 * 365 * 24 * time.Hour),
		BasicConstraintsValid: true, IsCA: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		SubjectKeyId: []byte{9, 9, 9, 9},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return cert, key
}
