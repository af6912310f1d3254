package ca

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/kakunin-dev/kakunin/did/kakunin"
)

// Defaults applied when an Options field is zero.
const (
	DefaultValidity          = 24 * time.Hour     // agent certificates
	DefaultCRLValidity       = 24 * time.Hour     // nextUpdate − thisUpdate of a CRL
	DefaultOCSPValidity      = 1 * time.Hour      // nextUpdate − thisUpdate of an OCSP response
	DefaultResponderValidity = 7 * 24 * time.Hour // delegated OCSP responder certificates
	DefaultOwnerValidity     = 10 * 365 * 24 * time.Hour
	DefaultRenewalSkew       = 5 * time.Minute // accepted age of a renewal request's time
	DefaultMaxExtraURIs      = 4
	MaxURILength             = 1024 // an extra SAN URI
	backdate                 = time.Minute
)

// Options configure a CA. BaseURL is required; the zero value of every other field
// is the documented default.
type Options struct {
	// BaseURL is the public http(s) URL under which the HTTP handlers are mounted,
	// e.g. "https://ca.example.com". Certificates point at BaseURL +
	// "/ca/owners/{owner}/crl" (CRL distribution point), BaseURL +
	// "/ca/owners/{owner}/ocsp" (OCSP) and BaseURL + "/ca/owners/{owner}/ca.crt"
	// (caIssuers).
	BaseURL string
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Rand is the randomness for signatures and responder keys; nil means crypto/rand.
	Rand io.Reader
	// MaxValidity caps the validity of agent certificates; zero means DefaultValidity.
	// It may not exceed kakunin.MaxValidityCeiling.
	MaxValidity time.Duration
	// CRLValidity, OCSPValidity and ResponderValidity: see the Default constants.
	CRLValidity, OCSPValidity, ResponderValidity time.Duration
	// AllowExtraURIs lets enrolment requests add SAN URIs (a SPIFFE ID, an instance
	// URN) beside the DID, at most MaxExtraURIs (zero: DefaultMaxExtraURIs).
	AllowExtraURIs bool
	MaxExtraURIs   int
	// RenewalSkew bounds how far a renewal request's time may be from now; zero means
	// DefaultRenewalSkew.
	RenewalSkew time.Duration
	// OnRevoke, when set, is called after a revocation through Revoke, or a
	// deactivation through Deactivate, has committed, with the certificate's DID
	// and the reason (a rotation's superseded revocation, which leaves the DID a
	// new certificate, does not call it). It runs on the caller's goroutine with a
	// context that is not cancelled with the request's. A crash between the
	// commit and the call loses the call: whatever it does must be idempotent and
	// re-applied from Revocations at start and periodically.
	OnRevoke func(ctx context.Context, did string, reason Reason)
	// OnChange, when set, is called after any committed change of a DID's
	// certificates (issued, renewed, published, revoked, deactivated), e.g. to
	// drop the DID from a resolver cache. Same calling rules as OnRevoke.
	OnChange func(ctx context.Context, did string)
}

func (o Options) withDefaults() (Options, error) {
	u, err := url.Parse(o.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return o, fmt.Errorf("%w: BaseURL must be an absolute http(s) URL", ErrInvalidRequest)
	}
	o.BaseURL = strings.TrimSuffix(o.BaseURL, "/")
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Rand == nil {
		o.Rand = rand.Reader
	}
	if o.MaxValidity > kakunin.MaxValidityCeiling || o.MaxValidity < 0 {
		return o, fmt.Errorf("%w: MaxValidity above %v", ErrInvalidRequest, kakunin.MaxValidityCeiling)
	}
	o.MaxValidity = orDefault(o.MaxValidity, DefaultValidity)
	o.CRLValidity = orDefault(o.CRLValidity, DefaultCRLValidity)
	o.OCSPValidity = orDefault(o.OCSPValidity, DefaultOCSPValidity)
	o.ResponderValidity = orDefault(o.ResponderValidity, DefaultResponderValidity)
	o.RenewalSkew = orDefault(o.RenewalSkew, DefaultRenewalSkew)
	if o.MaxExtraURIs <= 0 {
		o.MaxExtraURIs = DefaultMaxExtraURIs
	}
	return o, nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// crlURL is the CRL distribution point of an owner's agent certificates.
func (o Options) crlURL(owner string) string {
	return o.BaseURL + "/ca/owners/" + url.PathEscape(owner) + "/crl"
}

// caIssuersURL is where the owner CA certificate is served in DER (RFC 5280
// §4.2.2.1: "the referenced file [...] MUST be a single DER encoded certificate
// [...] application/pkix-cert").
func (o Options) caIssuersURL(owner string) string {
	return o.BaseURL + "/ca/owners/" + url.PathEscape(owner) + "/ca.crt"
}

// ocspURL is the OCSP responder of an owner's agent certificates.
func (o Options) ocspURL(owner string) string {
	return o.BaseURL + "/ca/owners/" + url.PathEscape(owner) + "/ocsp"
}
