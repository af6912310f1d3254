package kakunin

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/json/jsontext"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/did/kakunin/revocation"
)

// crlSource serves CRLs by issuer common name, as the registry's CRL store would.
type crlSource map[string][]byte

func (s crlSource) CRL(_ context.Context, issuer *x509.Certificate) ([]byte, error) {
	if der, ok := s[issuer.Subject.CommonName]; ok {
		return der, nil
	}
	return nil, errors.New("no CRL recorded for this issuer")
}

func makeCRL(tb testing.TB, issuer *x509.Certificate, key crypto.Signer, thisUpdate time.Time, revoked ...*x509.Certificate) []byte {
	tb.Helper()
	rl := &x509.RevocationList{Number: big.NewInt(1), ThisUpdate: thisUpdate, NextUpdate: thisUpdate.Add(6 * time.Hour)}
	for _, c := range revoked {
		rl.RevokedCertificateEntries = append(rl.RevokedCertificateEntries,
			x509.RevocationListEntry{SerialNumber: c.SerialNumber, RevocationTime: thisUpdate, ReasonCode: 1})
	}
	der, err := x509.CreateRevocationList(rand.Reader, rl, issuer, key)
	if err != nil {
		tb.Fatal(err)
	}
	return der
}

// chainFixture is a three-certificate chain: agent, issuing CA, owner CA.
type chainFixture struct {
	p              *pki
	agent, issuing *x509.Certificate
	issuingKey     crypto.Signer
	chain          []*x509.Certificate
	crls           crlSource
	now            time.Time
}

func newChainFixture(tb testing.TB, p *pki, issuingKey crypto.Signer) *chainFixture {
	tb.Helper()
	f := &chainFixture{p: p, issuingKey: issuingKey, now: t0.Add(time.Hour), crls: crlSource{}}
	f.issuing = p.intermediate(tb, "Fixture Issuing CA", issuingKey)
	f.agent = p.agent(tb, "chain", t0, f.issuing, issuingKey)
	f.chain = []*x509.Certificate{f.agent, f.issuing, p.owner}
	return f
}

func (f *chainFixture) resolver(tb testing.TB) *Resolver {
	tb.Helper()
	chk := revocation.New(revocation.Options{Now: fixedClock(f.now), CRLSource: f.crls, DisableOCSP: true})
	r, err := NewResolver(ResolverOptions{Now: fixedClock(f.now), Revocation: chk})
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

func chainOptions(chain []*x509.Certificate) did.ResolutionOptions {
	v, _ := json.Marshal(FormatChainOption(chain))
	return did.ResolutionOptions{Method: map[string]jsontext.Value{OptionX509Chain: v}}
}

// TestResolveChainOption resolves registry-less from x509Chain with the real
// revocation checker reading CRLs from a local source.
func TestResolveChainOption(t *testing.T) {
	tests := []struct {
		name       string
		crl        func(*chainFixture) []byte // nil: no CRL at all
		wantActive int
		wantReason string
	}{
		{"good", func(f *chainFixture) []byte { return makeCRL(t, f.issuing, f.issuingKey, t0) }, 1, ""},
		{"revoked", func(f *chainFixture) []byte { return makeCRL(t, f.issuing, f.issuingKey, t0, f.agent) }, 0, ReasonRevoked},
		{"revocation unavailable", nil, 0, ReasonRevocationUnknown},
		{"stale CRL", func(f *chainFixture) []byte { return makeCRL(t, f.issuing, f.issuingKey, t0.Add(-12*time.Hour)) }, 0, ReasonRevocationUnknown},
	}
	p := newPKI(t, "chain", nil)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newChainFixture(t, p, fixtureEd25519("issuing"))
			if tc.crl != nil {
				f.crls[f.issuing.Subject.CommonName] = tc.crl(f)
			}
			res, err := f.resolver(t).Resolve(context.Background(), p.id.String(), chainOptions(f.chain))
			if err != nil {
				t.Fatal(err)
			}
			m := kakuninSection(t, res)
			if m.ActiveCertificates != tc.wantActive || len(certMethods(res.DIDDocument)) != tc.wantActive {
				t.Errorf("active %d, methods %v", m.ActiveCertificates, certMethods(res.DIDDocument))
			}
			if tc.wantReason != "" && (len(m.ExcludedCertificates) != 1 || m.ExcludedCertificates[0].Reason != tc.wantReason) {
				t.Errorf("excluded %+v, want reason %s", m.ExcludedCertificates, tc.wantReason)
			}
			meta := res.DIDDocumentMetadata
			if !meta.Created.Equal(f.agent.NotBefore) || meta.VersionID != "" {
				t.Errorf("metadata %+v", meta)
			}
			if tc.wantActive == 1 && (len(m.Revocation) != 1 || m.Revocation[0].Source != "CRL" || !meta.NextUpdate.Equal(t0.Add(6*time.Hour))) {
				t.Errorf("revocation %+v nextUpdate %v", m.Revocation, meta.NextUpdate)
			}
		})
	}
}

func TestResolveChainOptionInvalid(t *testing.T) {
	p := newPKI(t, "chain", nil)
	f := newChainFixture(t, p, fixtureEd25519("issuing"))
	other := newPKI(t, "other", nil)
	for name, opts := range map[string]did.ResolutionOptions{
		"wrong owner":      chainOptions([]*x509.Certificate{f.agent, f.issuing, other.owner}),
		"missing issuer":   chainOptions([]*x509.Certificate{f.agent, p.owner}),
		"too many":         {Method: map[string]jsontext.Value{OptionX509Chain: jsontext.Value(`"` + strings.Repeat("AA,", MaxChainOptionCerts) + `AA"`)}},
		"oversized":        {Method: map[string]jsontext.Value{OptionX509Chain: jsontext.Value(`"` + strings.Repeat("A", MaxChainOptionSize+1) + `"`)}},
		"not certificates": {Method: map[string]jsontext.Value{OptionX509Chain: jsontext.Value(`"AAAA"`)}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := f.resolver(t).Resolve(context.Background(), p.id.String(), opts)
			if !errors.Is(err, did.ErrInvalidOptions) {
				t.Errorf("err %v, want ErrInvalidOptions", err)
			}
		})
	}
}

func TestChainOptionRoundTrip(t *testing.T) {
	chain := loadPEM(t, "good.pem")
	s := FormatChainOption(chain)
	got, err := ParseChainOption(s)
	if err != nil || len(got) != len(chain) {
		t.Fatalf("%d certificates, %v", len(got), err)
	}
	for i := range chain {
		if !got[i].Equal(chain[i]) {
			t.Errorf("certificate %d differs", i)
		}
	}
}

func FuzzParseChainOption(f *testing.F) {
	f.Add(FormatChainOption(loadPEM(f, "good.pem")))
	f.Add("")
	f.Add("AA,BB")
	f.Fuzz(func(t *testing.T, s string) {
		chain, err := ParseChainOption(s)
		if err != nil {
			if !errors.Is(err, did.ErrInvalidOptions) {
				t.Fatalf("error %v does not wrap ErrInvalidOptions", err)
			}
			return
		}
		if again := FormatChainOption(chain); again != s {
			t.Fatalf("round trip %q → %q", s, again)
		}
	})
}

// TestResolveTrustRoot: the optional trust-root check of spec §8 step 7 is reported
// in kakunin.trustRoot, and RequireTrustRoot turns notTrusted into an invalid chain.
func TestResolveTrustRoot(t *testing.T) {
	p := newPKI(t, "chain", nil)
	f := newChainFixture(t, p, fixtureEd25519("issuing"))
	f.crls[f.issuing.Subject.CommonName] = makeCRL(t, f.issuing, f.issuingKey, t0)
	own, other := x509.NewCertPool(), x509.NewCertPool()
	own.AddCert(p.owner)
	other.AddCert(newPKI(t, "other", nil).owner)
	for _, tc := range []struct {
		name    string
		roots   *x509.CertPool
		require bool
		want    string
		wantErr error
	}{
		{"not checked", nil, false, "notChecked", nil},
		{"trusted", own, false, "trusted", nil},
		{"not trusted", other, false, "notTrusted", nil},
		{"required", other, true, "", did.ErrInvalidOptions},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := f.resolver(t)
			r.opts.Verify = VerifyOptions{TrustRoots: tc.roots, RequireTrustRoot: tc.require}
			res, err := r.Resolve(context.Background(), p.id.String(), chainOptions(f.chain))
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err %v, want %v", err, tc.wantErr)
			}
			if err != nil {
				return
			}
			if m := kakuninSection(t, res); m.TrustRoot != tc.want {
				t.Errorf("trustRoot %s, want %s", m.TrustRoot, tc.want)
			}
		})
	}
}
