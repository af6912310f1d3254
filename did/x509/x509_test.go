package x509

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json/jsontext"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/did"
)

func TestParseID(t *testing.T) {
	const fp = "wB-YrYI1eo_9-9izSw6aviwkdLz4O7-kgrK_VzU4_OA"
	cases := []struct {
		in   string
		want error // nil: valid
		kind *did.ErrorKind
	}{
		{"did:x509:0:sha256:" + fp + "::subject:CN:example.com", nil, nil},
		{"did:x509:0:sha256:" + fp + "::subject:C:US:O:Example%20Org::eku:1.3.6.1.5.5.7.3.3", nil, nil},
		{"did:x509:0:sha256:" + fp + "::san:uri:https%3A%2F%2Fexample.com#0", nil, nil},
		{"did:x509:1:sha256:" + fp + "::subject:CN:a", ErrInvalidPrefix, did.ErrInvalidDID},
		{"did:y509:0:sha256:" + fp + "::subject:CN:a", ErrInvalidPrefix, did.ErrMethodNotSupported},
		{"did:x509:0:md5:" + fp + "::subject:CN:a", ErrUnsupportedAlgorithm, did.ErrInvalidDID},
		{"did:x509:0:sha256:" + fp, ErrNoPredicate, did.ErrInvalidDID},
		{"did:x509:0:sha256:" + fp + "::subject:CN:a/path", ErrPathNotSupported, did.ErrInvalidDID},
		{"did:x509:0:sha256:" + fp + "::subject:CN:a?q=1", ErrQueryNotSupported, did.ErrInvalidDID},
		{"did:x509:0:sha256:" + fp + "::nope:x", ErrUnknownPredicate, did.ErrInvalidDID},
		{"did:x509:0:sha256:" + fp + "::subject:CN", ErrPredicateSyntax, did.ErrInvalidDID},
		{"did:x509:0:sha256:" + fp + "::subject:XX:a", ErrPredicateSyntax, did.ErrInvalidDID},
		{"did:x509:0:sha256:" + fp + "::subject:CN:a:CN:b", ErrPredicateSyntax, did.ErrInvalidDID},
		{"did:x509:0:sha256:" + fp + "::san:ip:1.2.3.4", ErrPredicateSyntax, did.ErrInvalidDID},
		{"did:x509:0:sha256:" + fp + "::eku:1.2.x", ErrPredicateSyntax, did.ErrInvalidDID},
		{"did:x509:0:sha256:" + fp + "::eku", ErrPredicateSyntax, did.ErrInvalidDID},
		{"did:x509:0:sha256:f%25p::eku:1.2", ErrPredicateSyntax, did.ErrInvalidDID},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			_, err := ParseID(c.in)
			if c.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, c.want) || !errors.Is(err, c.kind) {
				t.Fatalf("err = %v, want %v and %v", err, c.want, c.kind)
			}
		})
	}
}

// testChain makes a root and a leaf with the given key usage (0: no extension).
func testChain(t *testing.T, ku x509.KeyUsage, notAfter time.Time) []*x509.Certificate {
	t.Helper()
	rootKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	leafKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	root := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Root"},
		NotBefore: t0, NotAfter: notAfter, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	leaf := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "Leaf"},
		NotBefore: t0, NotAfter: notAfter, KeyUsage: ku, EmailAddresses: []string{"a@example.com"}}
	rootDER, err := x509.CreateCertificate(rand.Reader, root, root, &rootKey.PublicKey, rootKey)
	if err != nil {
		t.Fatal(err)
	}
	rc, _ := x509.ParseCertificate(rootDER)
	leafDER, err := x509.CreateCertificate(rand.Reader, leaf, rc, &leafKey.PublicKey, rootKey)
	if err != nil {
		t.Fatal(err)
	}
	lc, _ := x509.ParseCertificate(leafDER)
	return []*x509.Certificate{lc, rc}
}

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func TestResolve(t *testing.T) {
	chain := testChain(t, x509.KeyUsageDigitalSignature, t0.Add(24*time.Hour))
	fp, _ := Fingerprint("sha256", chain[1])
	id := "did:x509:0:sha256:" + fp + "::san:email:a%40example.com"
	at := func(d time.Duration) Resolver { return Resolver{Now: func() time.Time { return t0.Add(d) }} }
	withChain := ChainOption(did.ResolutionOptions{}, chain)
	cases := []struct {
		name string
		r    Resolver
		id   string
		opts did.ResolutionOptions
		want error
	}{
		{"valid", at(time.Hour), id, withChain, nil},
		{"expired at validation time", at(48 * time.Hour), id, withChain, ErrChainInvalid},
		{"no chain", at(time.Hour), id, did.ResolutionOptions{}, ErrChainRequired},
		{"chain not a string", at(time.Hour), id, did.ResolutionOptions{Method: map[string]jsontext.Value{OptionChain: jsontext.Value(`[1]`)}}, ErrChainMalformed},
		{"chain not base64url", at(time.Hour), id, did.ResolutionOptions{Method: map[string]jsontext.Value{OptionChain: jsontext.Value(`"a+b,c"`)}}, ErrChainMalformed},
		{"reversed chain", at(time.Hour), id, ChainOption(did.ResolutionOptions{}, []*x509.Certificate{chain[1], chain[0]}), ErrChainInvalid},
		{"versionId", at(time.Hour), id, func() did.ResolutionOptions { o := withChain; o.VersionID = "1"; return o }(), did.ErrFeatureNotSupported},
		{"representation", at(time.Hour), id, func() did.ResolutionOptions { o := withChain; o.Accept = "text/html"; return o }(), did.ErrRepresentationNotSupported},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := c.r.Resolve(t.Context(), c.id, c.opts)
			if c.want != nil {
				if !errors.Is(err, c.want) {
					t.Fatalf("err = %v, want %v", err, c.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			vm, err := res.DIDDocument.Authorized(id+"#0", did.AssertionMethod)
			if err != nil {
				t.Fatal(err)
			}
			if pub, err := vm.PublicKey(); err != nil || !chain[0].PublicKey.(*ecdsa.PublicKey).Equal(pub) {
				t.Errorf("key = %v, %v", pub, err)
			}
			if len(res.DIDDocument.KeyAgreement) != 0 {
				t.Errorf("keyAgreement without the key usage bit")
			}
		})
	}
}

func TestKeyUsage(t *testing.T) {
	cases := []struct {
		ku          x509.KeyUsage
		sign, agree bool
		wantErr     error
	}{
		{0, true, true, nil},
		{x509.KeyUsageDigitalSignature, true, false, nil},
		{x509.KeyUsageKeyAgreement, false, true, nil},
		{x509.KeyUsageContentCommitment, false, false, ErrKeyUsage},
	}
	for _, c := range cases {
		chain := testChain(t, c.ku, t0.Add(time.Hour))
		doc, err := document("did:x509:0:sha256:x::subject:CN:Leaf", chain[0])
		if !errors.Is(err, c.wantErr) {
			t.Fatalf("ku %d: err = %v", c.ku, err)
		}
		if err == nil && (len(doc.AssertionMethod) > 0 != c.sign || len(doc.KeyAgreement) > 0 != c.agree) {
			t.Errorf("ku %d: assertion %v keyAgreement %v", c.ku, doc.AssertionMethod, doc.KeyAgreement)
		}
	}
}
