package did

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Params are the DID parameters of a DID URL query (DID Resolution § DID Parameters),
// percent-decoded. The zero Params is an empty query.
type Params struct {
	Service     string // service: a service of the DID document, by id
	ServiceType string // serviceType: services of the DID document, by type
	RelativeRef string // relativeRef: a relative reference resolved against a service endpoint
	VersionID   string // versionId: a version of the DID document
	// VersionTime is the versionTime parameter, zero when absent; DID Resolution
	// requires UTC datetimes without fractional seconds.
	VersionTime time.Time
	// HL is the hashlink parameter "hl" of the DID Specification Registries (DID 1.0).
	HL string
	// Other holds the remaining parameters in query order, repeats included.
	Other []Param
}

// Param is one query parameter other than those Params names.
type Param struct{ Name, Value string }

// Params parses the DID parameters in u.Query. Each parameter this package names may
// appear once: DID Resolution (§ Duplicate Parameter Handling) gives duplicates no
// meaning and suggests INVALID_DID_URL. Errors wrap ErrInvalidDIDURL.
func (u URL) Params() (Params, error) {
	var p Params
	if u.Query == "" {
		return p, nil
	}
	seen := map[string]bool{}
	for field := range strings.SplitSeq(u.Query, "&") {
		name, value, _ := strings.Cut(field, "=")
		n, err1 := url.PathUnescape(name)
		v, err2 := url.PathUnescape(value)
		if err1 != nil || err2 != nil {
			return Params{}, fmt.Errorf("%w: query parameter %q: bad percent-encoding", ErrInvalidDIDURL, name)
		}
		dst := p.field(n)
		if dst == nil && n != "versionTime" {
			p.Other = append(p.Other, Param{n, v})
			continue
		}
		if seen[n] {
			return Params{}, fmt.Errorf("%w: query parameter %q repeated", ErrInvalidDIDURL, n)
		}
		seen[n] = true
		if dst != nil {
			*dst = v
			continue
		}
		t, err := ParseTime(v)
		if err != nil {
			return Params{}, fmt.Errorf("%w: versionTime: %w", ErrInvalidDIDURL, err)
		}
		p.VersionTime = t
	}
	return p, nil
}

func (p *Params) field(name string) *string {
	switch name {
	case "service":
		return &p.Service
	case "serviceType":
		return &p.ServiceType
	case "relativeRef":
		return &p.RelativeRef
	case "versionId":
		return &p.VersionID
	case "hl":
		return &p.HL
	}
	return nil
}

// Encode returns p as a DID URL query (without "?"): the named parameters in the
// order service, serviceType, relativeRef, versionId, versionTime, hl, then Other.
// Values are percent-encoded as RFC 3986 query components require.
func (p Params) Encode() string {
	var b strings.Builder
	add := func(name, value string) {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(escapeQuery(name))
		b.WriteByte('=')
		b.WriteString(escapeQuery(value))
	}
	for _, kv := range [...]Param{{"service", p.Service}, {"serviceType", p.ServiceType}, {"relativeRef", p.RelativeRef}, {"versionId", p.VersionID}} {
		if kv.Value != "" {
			add(kv.Name, kv.Value)
		}
	}
	if !p.VersionTime.IsZero() {
		add("versionTime", FormatTime(p.VersionTime))
	}
	if p.HL != "" {
		add("hl", p.HL)
	}
	for _, kv := range p.Other {
		add(kv.Name, kv.Value)
	}
	return b.String()
}

// escapeQuery percent-encodes all but unreserved characters, ":" and "@", so that
// "&", "=", "/", "?" and "+" in values keep no query meaning (relativeRef values such
// as "/resume.pdf" become "%2Fresume.pdf", as in the DID Resolution examples).
func escapeQuery(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAlphaDigit(c) || strings.IndexByte("-._~:@", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
