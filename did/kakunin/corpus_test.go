package kakunin

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// corpusCase mirrors internal/gencorpus.Case.
type corpusCase struct {
	Name             string `json:"name"`
	Chain            string `json:"chain"`
	DID              string `json:"did"`
	Time             string `json:"time"`
	Want             string `json:"want"`
	MaxValidity      string `json:"maxValidity"`
	TrustRoots       string `json:"trustRoots"`
	RequireTrustRoot bool   `json:"requireTrustRoot"`
	WantTrust        string `json:"wantTrust"`
}

var sentinels = map[string]error{
	"ErrExpired": ErrExpired, "ErrNotYetValid": ErrNotYetValid, "ErrSANMissing": ErrSANMissing,
	"ErrSANMismatch": ErrSANMismatch, "ErrSANDuplicate": ErrSANDuplicate, "ErrNotEndEntity": ErrNotEndEntity,
	"ErrExtKeyUsage": ErrExtKeyUsage, "ErrKeyUsage": ErrKeyUsage, "ErrAgentPolicy": ErrAgentPolicy,
	"ErrDigestsMissing": ErrDigestsMissing, "ErrDigestsMismatch": ErrDigestsMismatch,
	"ErrCriticalExtension": ErrCriticalExtension, "ErrSerialNumber": ErrSerialNumber,
	"ErrValidityTooLong": ErrValidityTooLong, "ErrKeyIdentifier": ErrKeyIdentifier,
	"ErrRevocationInfo": ErrRevocationInfo, "ErrKeyType": ErrKeyType,
	"ErrOwnerKeyNotInChain": ErrOwnerKeyNotInChain, "ErrChainTooLong": ErrChainTooLong,
	"ErrNameConstraints": ErrNameConstraints, "ErrChainMismatch": ErrChainMismatch,
	"ErrUntrusted": ErrUntrusted, "ErrNotCA": ErrNotCA, "ErrTrustRoot": ErrTrustRoot,
}

func loadCorpus(tb testing.TB) []corpusCase {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "corpus", "cases.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var cases []corpusCase
	if err := json.Unmarshal(b, &cases); err != nil {
		tb.Fatal(err)
	}
	return cases
}

func loadPEM(tb testing.TB, name string) []*x509.Certificate {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "corpus", name))
	if err != nil {
		tb.Fatal(err)
	}
	var certs []*x509.Certificate
	for block, rest := pem.Decode(b); block != nil; block, rest = pem.Decode(rest) {
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			tb.Fatalf("%s: %v", name, err)
		}
		certs = append(certs, c)
	}
	return certs
}

func (c corpusCase) options(tb testing.TB) VerifyOptions {
	now, err := time.Parse(time.RFC3339, c.Time)
	if err != nil {
		tb.Fatal(err)
	}
	opts := VerifyOptions{CurrentTime: now, RequireTrustRoot: c.RequireTrustRoot}
	if c.MaxValidity != "" {
		if opts.MaxValidity, err = time.ParseDuration(c.MaxValidity); err != nil {
			tb.Fatal(err)
		}
	}
	if c.TrustRoots != "" {
		opts.TrustRoots = x509.NewCertPool()
		for _, r := range loadPEM(tb, c.TrustRoots) {
			opts.TrustRoots.AddCert(r)
		}
	}
	return opts
}

// TestCorpus verifies every generated chain and asserts the exact outcome: success
// (with the trust-root result) or the one sentinel the case was built to trigger.
func TestCorpus(t *testing.T) {
	cases := loadCorpus(t)
	if len(cases) < 30 {
		t.Fatalf("corpus has %d cases; regenerate with make golden", len(cases))
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			id, err := Parse(c.DID)
			if err != nil {
				t.Fatal(err)
			}
			v, err := VerifyChain(loadPEM(t, c.Chain), id, c.options(t))
			if c.Want == "" {
				if err != nil {
					t.Fatalf("VerifyChain: %v", err)
				}
				if c.WantTrust != "" && v.TrustRoot.String() != c.WantTrust {
					t.Errorf("TrustRoot = %v, want %s", v.TrustRoot, c.WantTrust)
				}
				return
			}
			want, ok := sentinels[c.Want]
			if !ok {
				t.Fatalf("unknown sentinel %s", c.Want)
			}
			var ce *ChainError
			if !errors.Is(err, want) || !errors.As(err, &ce) || ce.Err != want {
				t.Fatalf("VerifyChain error = %v, want %s", err, c.Want)
			}
		})
	}
}
