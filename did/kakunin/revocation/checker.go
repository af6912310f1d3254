package revocation

import (
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"time"
)

// Options configure a [Checker]. The zero value is safe: the wall clock, no network, no
// local source (so every Check fails with ErrNoSource until one is given), no stale
// window, no OCSP nonce, SHA-1 OCSP CertIDs and the default size limits.
type Options struct {
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Transport fetches from the certificate's OCSP responders and CRL distribution
	// points; nil disables fetching.
	Transport Transport
	// CRLSource supplies CRLs held locally; it is asked before any distribution point.
	CRLSource CRLSource
	// DisableOCSP and DisableCRL turn a source off.
	DisableOCSP, DisableCRL bool
	// CRLStaleWindow allows a CRL to be used for this long after its nextUpdate, with
	// Result.Stale set. Zero (the default) means hard-fail at nextUpdate.
	CRLStaleWindow time.Duration
	// OCSPNonce sends a random 32-octet nonce (RFC 8954) in each OCSP request and then
	// requires the response to echo it in its responseExtensions, rejecting
	// pre-signed responses.
	OCSPNonce bool
	// OCSPHash is the hash of the request's CertID; zero means SHA-1, which RFC 5019
	// made clients use and which deployed responders answer. RFC 9919, obsoleting RFC
	// 5019, recommends SHA-256: set crypto.SHA256 for responders that support it. The
	// hash only names the issuer, it secures nothing; responses are accepted with a
	// SHA-1, SHA-256, SHA-384 or SHA-512 CertID.
	OCSPHash crypto.Hash
	// OCSPMaxAge bounds the use of an OCSP response that has no nextUpdate, from its
	// thisUpdate. Zero means one hour.
	OCSPMaxAge time.Duration
	// MaxCRLSize and MaxOCSPSize bound responses; zero means 8 MiB and 64 KiB.
	MaxCRLSize, MaxOCSPSize int64
	// MaxCacheEntries bounds each cache (CRL issuers, OCSP certificates); zero means 10000.
	MaxCacheEntries int
}

const (
	defaultMaxCRLSize  = 8 << 20
	defaultMaxOCSPSize = 64 << 10
	defaultOCSPMaxAge  = time.Hour
	defaultMaxEntries  = 10000
)

// Checker checks revocation and caches verified answers. It is safe for concurrent use.
type Checker struct {
	opts  Options
	crls  *cache[*crlEntry]
	ocsps *cache[Result]
}

// New returns a Checker with opts, defaults filled in.
func New(opts Options) *Checker {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.OCSPHash == 0 {
		opts.OCSPHash = crypto.SHA1
	}
	if opts.OCSPMaxAge <= 0 {
		opts.OCSPMaxAge = defaultOCSPMaxAge
	}
	if opts.MaxCRLSize <= 0 {
		opts.MaxCRLSize = defaultMaxCRLSize
	}
	if opts.MaxOCSPSize <= 0 {
		opts.MaxOCSPSize = defaultMaxOCSPSize
	}
	if opts.MaxCacheEntries <= 0 {
		opts.MaxCacheEntries = defaultMaxEntries
	}
	return &Checker{opts: opts, crls: newCache[*crlEntry](opts.MaxCacheEntries), ocsps: newCache[Result](opts.MaxCacheEntries)}
}

// Check returns the revocation status of cert, issued by issuer. It answers from the
// cache when a verified answer is still fresh, then asks OCSP, then the CRLs (local
// source first). err is nil only when the result is Good or Revoked; otherwise it
// wraps ErrNoAnswer (or ErrNoSource) and the error of each source tried.
func (c *Checker) Check(ctx context.Context, cert, issuer *x509.Certificate) (Result, error) {
	now := c.opts.Now()
	if r, ok := c.cached(cert, issuer, now, false); ok {
		return r, nil
	}
	var errs []error
	if !c.opts.DisableOCSP {
		r, err := c.CheckOCSP(ctx, cert, issuer)
		if err == nil {
			return r, nil
		}
		errs = append(errs, err)
	}
	if !c.opts.DisableCRL {
		r, err := c.CheckCRL(ctx, cert, issuer)
		if err == nil {
			return r, nil
		}
		errs = append(errs, err)
	}
	// A CRL past nextUpdate but within the configured stale window answers only when
	// no source could give a fresh answer.
	if r, ok := c.cached(cert, issuer, now, true); ok {
		return r, nil
	}
	if allNoSource(errs) {
		return Result{}, fmt.Errorf("%w for serial %x", ErrNoSource, cert.SerialNumber)
	}
	return Result{}, fmt.Errorf("%w for serial %x: %w", ErrNoAnswer, cert.SerialNumber, errors.Join(errs...))
}

func allNoSource(errs []error) bool {
	for _, err := range errs {
		if !errors.Is(err, ErrNoSource) {
			return false
		}
	}
	return true
}

// cached returns a fresh cached OCSP answer, or the answer of a cached CRL: a fresh
// one, or when allowStale one past nextUpdate within Options.CRLStaleWindow.
func (c *Checker) cached(cert, issuer *x509.Certificate, now time.Time, allowStale bool) (Result, bool) {
	key := issuerKey(issuer)
	if !c.opts.DisableOCSP {
		if r, ok := c.ocsps.get(key + cert.SerialNumber.String()); ok && !now.After(r.NextUpdate) && !now.Before(r.ThisUpdate) {
			r.Cached = true
			return r, true
		}
	}
	if !c.opts.DisableCRL {
		if e, ok := c.crls.get(key); ok {
			if r, err := e.result(cert, now, c.opts.CRLStaleWindow); err == nil && (allowStale || !r.Stale) {
				r.Cached = true
				return r, true
			}
		}
	}
	return Result{}, false
}
