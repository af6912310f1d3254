package x509

import (
	"crypto"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json/jsontext"
	"encoding/json/v2"
	"fmt"
	"strings"
	"time"

	"github.com/kakunin-dev/kakunin/did"
)

// OptionChain is the resolution option carrying the certificate chain: "a
// comma-separated list of base64url-encoded DER certificates", leaf first.
const OptionChain = "x509chain"

// Bounds on the x509chain option.
const (
	MaxChainLength = 10
	MaxChainBytes  = 64 << 10
)

// ChainFromOptions decodes the x509chain option. Errors wrap did.ErrInvalidOptions
// and ErrChainRequired, ErrChainMalformed or ErrChainTooShort.
func ChainFromOptions(opts did.ResolutionOptions) ([]*x509.Certificate, error) {
	v, ok := opts.Method[OptionChain]
	if !ok {
		return nil, optErr(ErrChainRequired, "")
	}
	if len(v) > MaxChainBytes {
		return nil, optErr(ErrChainMalformed, "longer than %d bytes", MaxChainBytes)
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return nil, optErr(ErrChainMalformed, "not a string")
	}
	return ParseChain(s)
}

// EncodeChain returns the x509chain value of chain.
func EncodeChain(chain []*x509.Certificate) string {
	parts := make([]string, len(chain))
	for i, c := range chain {
		parts[i] = base64.RawURLEncoding.EncodeToString(c.Raw)
	}
	return strings.Join(parts, ",")
}

// ChainOption returns opts with the x509chain option set to chain.
func ChainOption(opts did.ResolutionOptions, chain []*x509.Certificate) did.ResolutionOptions {
	m := make(map[string]jsontext.Value, len(opts.Method)+1)
	for k, v := range opts.Method {
		m[k] = v
	}
	m[OptionChain], _ = jsontext.AppendQuote(nil, EncodeChain(chain))
	opts.Method = m
	return opts
}

// ParseChain decodes an x509chain value. Errors wrap did.ErrInvalidOptions.
func ParseChain(s string) ([]*x509.Certificate, error) {
	parts := strings.Split(s, ",")
	if len(parts) > MaxChainLength {
		return nil, optErr(ErrChainMalformed, "more than %d certificates", MaxChainLength)
	}
	chain := make([]*x509.Certificate, 0, len(parts))
	for i, p := range parts {
		der, err := base64.RawURLEncoding.Strict().DecodeString(strings.TrimRight(p, "="))
		if err != nil {
			return nil, optErr(ErrChainMalformed, "certificate %d: %v", i, err)
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, optErr(ErrChainMalformed, "certificate %d: %v", i, err)
		}
		chain = append(chain, c)
	}
	if len(chain) < 2 {
		return nil, optErr(ErrChainTooShort, "")
	}
	return chain, nil
}

func optErr(err error, format string, args ...any) error {
	if format == "" {
		return fmt.Errorf("%w: %w", did.ErrInvalidOptions, err)
	}
	return fmt.Errorf("%w: %w: %s", did.ErrInvalidOptions, err, fmt.Sprintf(format, args...))
}

// permittedCritical are the extensions the spec lets a certificate mark critical:
// those of its JSON model (extendedKeyUsage, subjectAltName) and basicConstraints,
// keyUsage, nameConstraints, policyConstraints, policyMappings, certificatePolicies
// and inhibitAnyPolicy. The Fulcio issuer extension is deliberately absent.
var permittedCritical = map[string]bool{
	"2.5.29.37": true, "2.5.29.17": true, "2.5.29.19": true, "2.5.29.15": true,
	"2.5.29.30": true, "2.5.29.36": true, "2.5.29.33": true, "2.5.29.32": true, "2.5.29.54": true,
}

var oidKeyUsage = asn1.ObjectIdentifier{2, 5, 29, 15}

// verifyChain runs RFC 5280 path validation of chain with its last certificate as the
// only trust anchor, at time at, and returns nil when the verified path is exactly the
// supplied chain. crypto/x509 does not check an issuer's keyUsage or a trust anchor's
// basicConstraints, so those are checked here: every issuer must be a CA and, when it
// has keyUsage, carry keyCertSign. Errors wrap did.ErrInvalidOptions.
func verifyChain(chain []*x509.Certificate, at time.Time) error {
	for i, c := range chain {
		for _, e := range c.Extensions {
			if e.Critical && !permittedCritical[e.Id.String()] {
				return optErr(ErrCriticalExtension, "certificate %d: %s", i, e.Id)
			}
		}
	}
	for i, c := range chain[1:] {
		if !c.BasicConstraintsValid || !c.IsCA || hasExtension(c, oidKeyUsage) && c.KeyUsage&x509.KeyUsageCertSign == 0 {
			return optErr(ErrChainInvalid, "invalid CA certificate %d", i+1)
		}
	}
	roots, inter := x509.NewCertPool(), x509.NewCertPool()
	roots.AddCert(chain[len(chain)-1])
	for _, c := range chain[1 : len(chain)-1] {
		inter.AddCert(c)
	}
	paths, err := chain[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: at,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
	if err != nil {
		return optErr(ErrChainInvalid, "%v", err)
	}
	for _, p := range paths {
		if sameChain(p, chain) {
			return nil
		}
	}
	return optErr(ErrChainMismatch, "")
}

func sameChain(a, b []*x509.Certificate) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Equal(b[i]) {
			return false
		}
	}
	return true
}

func hasExtension(c *x509.Certificate, oid asn1.ObjectIdentifier) bool {
	for _, e := range c.Extensions {
		if e.Id.Equal(oid) {
			return true
		}
	}
	return false
}

func hashFor(alg string) (crypto.Hash, error) {
	switch alg {
	case "sha256":
		return crypto.SHA256, nil
	case "sha384":
		return crypto.SHA384, nil
	case "sha512":
		return crypto.SHA512, nil
	}
	return 0, invalid(ErrUnsupportedAlgorithm, "%q", truncate(alg))
}

// Fingerprint returns the base64url digest of c's DER with alg ("sha256", "sha384",
// "sha512"), the form of ca-fingerprint.
func Fingerprint(alg string, c *x509.Certificate) (string, error) {
	h, err := hashFor(alg)
	if err != nil {
		return "", err
	}
	var sum []byte
	switch h {
	case crypto.SHA256:
		s := sha256.Sum256(c.Raw)
		sum = s[:]
	case crypto.SHA384:
		s := sha512.Sum384(c.Raw)
		sum = s[:]
	default:
		s := sha512.Sum512(c.Raw)
		sum = s[:]
	}
	return base64.RawURLEncoding.EncodeToString(sum), nil
}

// checkFingerprint requires a non-leaf certificate of chain to have the DID's
// fingerprint.
func checkFingerprint(id ID, chain []*x509.Certificate) error {
	for _, c := range chain[1:] {
		if fp, err := Fingerprint(id.Algorithm, c); err == nil && fp == id.Fingerprint {
			return nil
		}
	}
	return optErr(ErrCAFingerprintMismatch, "")
}
