package kakunin

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/internal/vectors"
)

// limboCase is the part of an x509-limbo test case the generic path core reads.
type limboCase struct {
	ID             string   `json:"id"`
	Trusted        []string `json:"trusted_certs"`
	Intermediates  []string `json:"untrusted_intermediates"`
	Peer           string   `json:"peer_certificate"`
	ValidationTime *string  `json:"validation_time"`
	EKUs           []string `json:"extended_key_usage"`
	MaxChainDepth  *int     `json:"max_chain_depth"`
	ExpectedResult string   `json:"expected_result"`
}

var limboEKUs = map[string]x509.ExtKeyUsage{
	"anyExtendedKeyUsage": x509.ExtKeyUsageAny, "serverAuth": x509.ExtKeyUsageServerAuth,
	"clientAuth": x509.ExtKeyUsageClientAuth, "codeSigning": x509.ExtKeyUsageCodeSigning,
	"emailProtection": x509.ExtKeyUsageEmailProtection, "timeStamping": x509.ExtKeyUsageTimeStamping,
	"OCSPSigning": x509.ExtKeyUsageOCSPSigning,
}

// TestX509Limbo runs every x509-limbo case through verifyPath, the generic core
// that VerifyChain uses, and compares the outcome with the expected result. Each
// case where kakunin deliberately differs is listed, with its reason, in
// testdata/limbo-expectations.json; an unlisted difference or a listed case that no
// longer differs fails the test.
func TestX509Limbo(t *testing.T) {
	dir := vectors.Dir(t, "x509-limbo")
	var limbo struct {
		Testcases []limboCase `json:"testcases"`
	}
	readJSON(t, filepath.Join(dir, "limbo.json"), &limbo)
	var deviations map[string]string
	readJSON(t, filepath.Join("testdata", "limbo-expectations.json"), &deviations)
	if len(limbo.Testcases) == 0 {
		t.Fatal("no x509-limbo cases")
	}
	for _, tc := range limbo.Testcases {
		t.Run(tc.ID, func(t *testing.T) {
			got := runLimbo(t, tc)
			why, listed := deviations[tc.ID]
			switch {
			case got != tc.ExpectedResult && !listed:
				t.Errorf("result %s, want %s, and no deviation is listed", got, tc.ExpectedResult)
			case got == tc.ExpectedResult && listed:
				t.Errorf("listed as a deviation (%s) but the result matches: remove the entry", why)
			}
		})
	}
}

func readJSON(tb testing.TB, name string, v any) {
	tb.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		tb.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
}

// runLimbo returns "SUCCESS" or "FAILURE". A peer certificate that crypto/x509
// cannot parse is a failure, as it is for a verifier.
func runLimbo(tb testing.TB, tc limboCase) string {
	leaf := parseLimboPEM(tb, tc.Peer)
	if len(leaf) != 1 {
		return "FAILURE"
	}
	p := pathParams{roots: parseLimboPEM(tb, tc.Trusted...), intermediates: parseLimboPEM(tb, tc.Intermediates...)}
	// A case without a validation time means "now"; a fixed instant keeps the test
	// deterministic (every such case's certificates are valid then).
	p.now = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if tc.ValidationTime != nil {
		var err error
		if p.now, err = time.Parse(time.RFC3339, *tc.ValidationTime); err != nil {
			tb.Fatal(err)
		}
	}
	for _, e := range tc.EKUs {
		u, ok := limboEKUs[e]
		if !ok {
			tb.Fatalf("unknown EKU %q", e)
		}
		p.usages = append(p.usages, u)
	}
	if tc.MaxChainDepth != nil {
		p.maxLength = *tc.MaxChainDepth + 2 // depth counts intermediates
	}
	if _, err := verifyPath(leaf[0], p); err != nil {
		return "FAILURE"
	}
	return "SUCCESS"
}

// parseLimboPEM parses PEM certificates, leaving out those crypto/x509 rejects
// (as x509.CertPool.AppendCertsFromPEM does).
func parseLimboPEM(tb testing.TB, texts ...string) []*x509.Certificate {
	var certs []*x509.Certificate
	for _, text := range texts {
		block, _ := pem.Decode([]byte(text))
		if block == nil {
			tb.Fatalf("bad PEM in limbo case")
		}
		if c, err := x509.ParseCertificate(block.Bytes); err == nil {
			certs = append(certs, c)
		}
	}
	return certs
}
