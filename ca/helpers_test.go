package ca_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/ca"
	"github.com/kakunin-dev/kakunin/did/kakunin"
	"github.com/kakunin-dev/kakunin/did/kakunin/revocation"
	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/backend"
)

var t0 = time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)

// clock is an injected, settable time.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

const (
	ownerID = "acme"
	tenant  = "tenant-a"
)

var (
	modelDigest  = kakunin.Digest(sha256.Sum256([]byte("model weights")))
	promptDigest = kakunin.Digest(sha256.Sum256([]byte("prompt manifest")))
)

// env is a CA over a fresh SQLite store with one owner, "acme", of tenant-a.
type env struct {
	t        testing.TB
	ca       *ca.CA
	db       store.DB
	clock    *clock
	owner    *ca.OwnerInfo
	ownerKey crypto.Signer
}

func newEnv(t testing.TB, opts ca.Options) *env {
	t.Helper()
	db, err := backend.Open(context.Background(), filepath.Join(t.TempDir(), "ca.db"), backend.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clk := &clock{t: t0}
	if opts.BaseURL == "" {
		opts.BaseURL = "https://ca.example.com"
	}
	opts.Now = clk.Now
	c, err := ca.New(db, opts)
	if err != nil {
		t.Fatal(err)
	}
	key := ed25519Key(t, "owner")
	info, err := c.InitOwner(context.Background(), ca.OwnerRequest{ID: ownerID, TenantID: tenant, Signer: key})
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, ca: c, db: db, clock: clk, owner: info, ownerKey: key}
}

// ed25519Key is a deterministic key named by label.
func ed25519Key(t testing.TB, label string) ed25519.PrivateKey {
	t.Helper()
	seed := sha256.Sum256([]byte(label))
	return ed25519.NewKeyFromSeed(seed[:])
}

func ecKey(t testing.TB, curve elliptic.Curve) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(curve, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func rsaKey(t testing.TB, bits int) *rsa.PrivateKey {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func csrFor(t testing.TB, key crypto.Signer) []byte {
	t.Helper()
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: "ignored"}}, key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func (e *env) did() kakunin.ID {
	id, err := kakunin.New(modelDigest, promptDigest, e.ownerKey.Public())
	if err != nil {
		e.t.Fatal(err)
	}
	return id
}

func (e *env) enroll(key crypto.Signer) *ca.Issued {
	e.t.Helper()
	issued, err := e.ca.Enroll(context.Background(), ca.EnrollRequest{
		Owner: ownerID, Tenant: tenant, CSR: csrFor(e.t, key), ModelDigest: modelDigest, PromptDigest: promptDigest,
	})
	if err != nil {
		e.t.Fatalf("Enroll: %v", err)
	}
	return issued
}

// checker is a revocation checker that asks this CA, through its OCSP method and its
// CRLs, at the env's clock.
func (e *env) checker() *revocation.Checker {
	return revocation.New(revocation.Options{Now: e.clock.Now, Transport: caTransport{e.ca}, CRLSource: crlSource{e.ca}})
}

type caTransport struct{ ca *ca.CA }

func (c caTransport) Get(ctx context.Context, url string, _ int64) ([]byte, error) {
	crl, err := c.ca.CRL(ctx, ownerOfURL(url))
	if err != nil {
		return nil, err
	}
	return crl.DER, nil
}

func (c caTransport) Post(ctx context.Context, url, _ string, body []byte, _ int64) ([]byte, error) {
	resp, err := c.ca.OCSP(ctx, ownerOfURL(url), body)
	if err != nil {
		return nil, err
	}
	return resp.DER, nil
}

func ownerOfURL(u string) string {
	rest := strings.TrimPrefix(u, "https://ca.example.com/ca/owners/")
	return rest[:strings.IndexByte(rest, '/')]
}

type crlSource struct{ ca *ca.CA }

func (s crlSource) CRL(ctx context.Context, _ *x509.Certificate) ([]byte, error) {
	crl, err := s.ca.CRL(ctx, ownerID)
	if err != nil {
		return nil, err
	}
	return crl.DER, nil
}

// ocspRequest builds a DER OCSPRequest for cert under issuer with CertID hash h and,
// when nonce is not nil, a nonce extension.
func ocspRequest(t testing.TB, cert, issuer *x509.Certificate, h crypto.Hash, nonce []byte) []byte {
	t.Helper()
	oid := map[crypto.Hash]asn1.ObjectIdentifier{
		crypto.SHA1:   {1, 3, 14, 3, 2, 26},
		crypto.SHA256: {2, 16, 840, 1, 101, 3, 4, 2, 1},
	}[h]
	var spki struct {
		Algorithm pkix.AlgorithmIdentifier
		PublicKey asn1.BitString
	}
	if _, err := asn1.Unmarshal(issuer.RawSubjectPublicKeyInfo, &spki); err != nil {
		t.Fatal(err)
	}
	name, key := h.New(), h.New()
	name.Write(issuer.RawSubject)
	key.Write(spki.PublicKey.RightAlign())
	type certID struct {
		HashAlgorithm pkix.AlgorithmIdentifier
		NameHash      []byte
		IssuerKeyHash []byte
		SerialNumber  *big.Int
	}
	var req struct {
		TBSRequest struct {
			RequestList []struct{ Cert certID }
			Extensions  []pkix.Extension `asn1:"explicit,tag:2,optional"`
		}
	}
	req.TBSRequest.RequestList = []struct{ Cert certID }{{Cert: certID{
		HashAlgorithm: pkix.AlgorithmIdentifier{Algorithm: oid, Parameters: asn1.NullRawValue},
		NameHash:      name.Sum(nil), IssuerKeyHash: key.Sum(nil), SerialNumber: cert.SerialNumber,
	}}}
	if nonce != nil {
		v, _ := asn1.Marshal(nonce)
		req.TBSRequest.Extensions = []pkix.Extension{{Id: asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 48, 1, 2}, Value: v}}
	}
	der, err := asn1.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

type pkixExt = pkix.Extension

func bigInt(v int64) *big.Int { return big.NewInt(v) }
