package kakunin

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/json/jsontext"
	"encoding/json/v2"
	"fmt"
	"strings"

	"github.com/kakunin-dev/kakunin/did"
)

// OptionX509Chain is the resolution option that carries a chain to resolve from
// instead of the registry (spec §10.1): the certificates' DER, each unpadded
// base64url, joined by ",", agent certificate first.
const OptionX509Chain = "x509Chain"

// Bounds of the x509Chain option (spec §10.1, §12).
const (
	MaxChainOptionSize  = 64 << 10
	MaxChainOptionCerts = MaxChainLengthCeiling
)

// chainOption reads the x509Chain option; nil when it is absent. Errors wrap
// did.ErrInvalidOptions.
func chainOption(method map[string]jsontext.Value) ([]*x509.Certificate, error) {
	raw, ok := method[OptionX509Chain]
	if !ok {
		return nil, nil
	}
	if len(raw) > MaxChainOptionSize+2 {
		return nil, fmt.Errorf("%w: x509Chain is larger than %d bytes", did.ErrInvalidOptions, MaxChainOptionSize)
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("%w: x509Chain is not a JSON string", did.ErrInvalidOptions)
	}
	return ParseChainOption(s)
}

// ParseChainOption decodes the value of the x509Chain option. Errors wrap
// did.ErrInvalidOptions.
func ParseChainOption(s string) ([]*x509.Certificate, error) {
	if len(s) > MaxChainOptionSize {
		return nil, fmt.Errorf("%w: x509Chain is larger than %d bytes", did.ErrInvalidOptions, MaxChainOptionSize)
	}
	if strings.Count(s, ",") >= MaxChainOptionCerts {
		return nil, fmt.Errorf("%w: x509Chain has more than %d certificates", did.ErrInvalidOptions, MaxChainOptionCerts)
	}
	var chain []*x509.Certificate
	for i, part := range strings.Split(s, ",") {
		der, err := base64.RawURLEncoding.Strict().DecodeString(part)
		if err != nil {
			return nil, fmt.Errorf("%w: x509Chain certificate %d is not unpadded base64url", did.ErrInvalidOptions, i)
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, fmt.Errorf("%w: x509Chain certificate %d: %w", did.ErrInvalidOptions, i, err)
		}
		chain = append(chain, c)
	}
	return chain, nil
}

// FormatChainOption encodes chain as the value of the x509Chain option.
func FormatChainOption(chain []*x509.Certificate) string {
	parts := make([]string, len(chain))
	for i, c := range chain {
		parts[i] = base64.RawURLEncoding.EncodeToString(c.Raw)
	}
	return strings.Join(parts, ",")
}
