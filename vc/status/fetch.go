package status

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"sync"
	"syscall"
	"time"

	"github.com/kakunin-dev/kakunin/vc"
)

// Fetcher dereferences a statusListCredential URL and returns the list credential as served:
// JSON with an embedded proof, or a compact JWS, or any form the [CredentialVerifier] reads.
// The service serves its own lists from its store through a [FetcherFunc]; remote lists go
// through [HTTPFetcher]. A Fetcher must bound what it returns.
type Fetcher interface {
	Fetch(ctx context.Context, url string) ([]byte, error)
}

// FetcherFunc adapts a function to [Fetcher].
type FetcherFunc func(ctx context.Context, url string) ([]byte, error)

// Fetch calls f.
func (f FetcherFunc) Fetch(ctx context.Context, url string) ([]byte, error) { return f(ctx, url) }

// CredentialVerifier checks every proof of a list credential (Data Integrity or VC-JOSE) under
// the verifier's trust policy and returns the parsed credential. Any error is reported as a
// STATUS_VERIFICATION_ERROR wrapping it.
type CredentialVerifier interface {
	VerifyCredential(ctx context.Context, raw []byte) (*vc.Credential, error)
}

// VerifierFunc adapts a function to [CredentialVerifier].
type VerifierFunc func(ctx context.Context, raw []byte) (*vc.Credential, error)

// VerifyCredential calls f.
func (f VerifierFunc) VerifyCredential(ctx context.Context, raw []byte) (*vc.Credential, error) {
	return f(ctx, raw)
}

// Causes of [HTTPFetcher] failures.
var (
	ErrRefusedURL           = errors.New("status: status list URL refused") // scheme, or a non-public address
	ErrResponseTooLarge     = errors.New("status: status list response too large")
	ErrUnexpectedHTTPStatus = errors.New("status: status list server answered with an error")
)

// Defaults of [HTTPFetcher].
const (
	DefaultFetchTimeout  = 10 * time.Second
	DefaultFetchMaxBytes = 1 << 20 // as vc.ParseOptions
	maxRedirects         = 5
)

// acceptHeader asks for the media types of §4: secured credentials first, then plain JSON.
const acceptHeader = "application/vc, application/vc+jwt;q=0.9, application/ld+json;q=0.8, application/json;q=0.7"

// HTTPFetcher is a bounded [Fetcher] for remote lists. The zero value is safe: https only, at
// most [DefaultFetchMaxBytes] per response, [DefaultFetchTimeout] per fetch including
// redirects (at most 5, never to another scheme than allowed), and no connection to loopback,
// private, link-local, multicast or unspecified addresses, which a credential's issuer could
// otherwise point the verifier at. Use it through a pointer; it is safe for concurrent use.
type HTTPFetcher struct {
	// Client replaces the built-in client, whose redirect and address policies it must then
	// apply itself; MaxBytes, Timeout and the scheme check still apply.
	Client *http.Client
	// MaxBytes bounds the response body; zero means DefaultFetchMaxBytes.
	MaxBytes int64
	// Timeout bounds one fetch; zero means DefaultFetchTimeout.
	Timeout time.Duration
	// AllowHTTP also accepts http URLs.
	AllowHTTP bool
	// AllowPrivate accepts non-public addresses (tests, or lists served inside a network).
	AllowPrivate bool
	// Proxy routes requests through a proxy, which §3.2 advises so as to hide retrieval from
	// the issuer (http.ProxyFromEnvironment reads HTTPS_PROXY); nil connects directly. The
	// address policy then applies to the proxy, which is left to refuse internal destinations.
	Proxy func(*http.Request) (*url.URL, error)

	once   sync.Once
	client *http.Client
}

// Fetch GETs rawURL and returns the body of a 200 response. Errors wrap [ErrRefusedURL],
// [ErrResponseTooLarge], [ErrUnexpectedHTTPStatus], or the transport's error.
func (f *HTTPFetcher) Fetch(ctx context.Context, rawURL string) ([]byte, error) {
	if err := f.checkURL(rawURL); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, orDefault(f.Timeout, DefaultFetchTimeout))
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrRefusedURL, err)
	}
	req.Header.Set("Accept", acceptHeader)
	resp, err := f.httpClient().Do(req)
	if err != nil {
		return nil, fmt.Errorf("status: fetching the status list: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%w: %s", ErrUnexpectedHTTPStatus, resp.Status)
	}
	limit := orDefault(f.MaxBytes, DefaultFetchMaxBytes)
	if resp.ContentLength > limit {
		return nil, fmt.Errorf("%w: %d bytes announced, limit %d", ErrResponseTooLarge, resp.ContentLength, limit)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("status: reading the status list: %w", err)
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrResponseTooLarge, limit)
	}
	return body, nil
}

func (f *HTTPFetcher) checkURL(rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%w: not an absolute http(s) URL", ErrRefusedURL)
	}
	if u.Scheme != "https" && !(f.AllowHTTP && u.Scheme == "http") {
		return fmt.Errorf("%w: scheme %q is not allowed", ErrRefusedURL, u.Scheme)
	}
	return nil
}

func (f *HTTPFetcher) httpClient() *http.Client {
	if f.Client != nil {
		return f.Client
	}
	f.once.Do(func() {
		dialer := &net.Dialer{Timeout: DefaultFetchTimeout, KeepAlive: 30 * time.Second}
		if !f.AllowPrivate {
			dialer.Control = publicAddressOnly
		}
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.DialContext, t.Proxy = dialer.DialContext, f.Proxy
		f.client = &http.Client{Transport: t, CheckRedirect: f.checkRedirect}
	})
	return f.client
}

func (f *HTTPFetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return fmt.Errorf("%w: more than %d redirects", ErrRefusedURL, maxRedirects)
	}
	return f.checkURL(req.URL.String())
}

// publicAddressOnly refuses, at connection time (after DNS resolution, so that a name cannot
// rebind to an internal address), any address that is not global unicast or is private.
func publicAddressOnly(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: address %q", ErrRefusedURL, address)
	}
	ip := ap.Addr().Unmap()
	if !ip.IsGlobalUnicast() || ip.IsPrivate() || sharedAddressSpace.Contains(ip) {
		return fmt.Errorf("%w: %s is not a public address", ErrRefusedURL, ip)
	}
	return nil
}

// sharedAddressSpace is 100.64.0.0/10 (RFC 6598), carrier-grade NAT space.
var sharedAddressSpace = netip.MustParsePrefix("100.64.0.0/10")

// orDefault returns v, or def when v is not positive.
func orDefault[T int | int64 | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}
