package status

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"syscall"
	"time"

	"github.com/kakunin-dev/kakunin/internal/netguard"
)

// Causes of [HTTPFetcher] failures.
var (
	ErrRefusedURL           = errors.New("status: status list URL refused") // scheme, or a non-public address
	ErrResponseTooLarge     = errors.New("status: status list response too large")
	ErrUnexpectedHTTPStatus = errors.New("status: status list server answered with an error")
	ErrMediaType            = errors.New("status: status list served with an unsupported media type") // see AcceptedMediaType
)

// Defaults of [HTTPFetcher].
const (
	DefaultFetchTimeout  = 10 * time.Second
	DefaultFetchMaxBytes = 1 << 20 // as vc.ParseOptions
	maxRedirects         = 5
)

// acceptHeader asks for the media types of §4 that AcceptedMediaType lists: secured
// credentials first, then plain JSON.
const acceptHeader = "application/vc, application/vc+jwt;q=0.9, application/vc+ld+json;q=0.8, application/ld+json;q=0.8, application/json;q=0.7"

// HTTPFetcher is a bounded [Fetcher] and [DocumentFetcher] for remote lists. The zero value is
// safe: https only, at most [DefaultFetchMaxBytes] per response, [DefaultFetchTimeout] per
// fetch including redirects (at most 5, never to another scheme than allowed), a Content-Type
// among [AcceptedMediaType] (or none), and no connection to an address that is not public
// unicast (loopback, private, link-local, special-purpose ranges, NAT64 of those: the policy
// of internal/netguard, which did:web shares), which a credential's issuer could otherwise
// point the verifier at. Use it through a pointer; it is safe for concurrent use.
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

// Fetch is FetchDocument without the media type.
func (f *HTTPFetcher) Fetch(ctx context.Context, rawURL string) ([]byte, error) {
	doc, err := f.FetchDocument(ctx, rawURL)
	return doc.Body, err
}

// FetchDocument GETs rawURL and returns the body of a 200 response with its media type ("" when
// the response has no Content-Type). Errors wrap [ErrRefusedURL], [ErrUnexpectedHTTPStatus],
// [ErrMediaType], [ErrResponseTooLarge], or the transport's error.
func (f *HTTPFetcher) FetchDocument(ctx context.Context, rawURL string) (Document, error) {
	if err := f.checkURL(rawURL); err != nil {
		return Document{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, orDefault(f.Timeout, DefaultFetchTimeout))
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return Document{}, fmt.Errorf("%w: %v", ErrRefusedURL, err)
	}
	req.Header.Set("Accept", acceptHeader)
	resp, err := f.httpClient().Do(req)
	if err != nil {
		return Document{}, fmt.Errorf("status: fetching the status list: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Document{}, fmt.Errorf("%w: %s", ErrUnexpectedHTTPStatus, resp.Status)
	}
	mediaType, err := parseContentType(resp.Header.Get("Content-Type"))
	if err != nil {
		return Document{}, err
	}
	body, err := f.readBody(resp)
	return Document{Body: body, MediaType: mediaType}, err
}

// readBody reads at most MaxBytes of the response body.
func (f *HTTPFetcher) readBody(resp *http.Response) ([]byte, error) {
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
// rebind to an internal address), any address netguard.CheckAddr refuses.
func publicAddressOnly(network, address string, c syscall.RawConn) error {
	if err := netguard.Control(network, address, c); err != nil {
		return fmt.Errorf("%w: %w", ErrRefusedURL, err)
	}
	return nil
}

// orDefault returns v, or def when v is not positive.
func orDefault[T int | int64 | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}
