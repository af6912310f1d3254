package revocation

import (
	"bytes"
	"context"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// Transport fetches CRLs and OCSP responses. Implementations must bound the size they
// read to maxBytes, returning an error wrapping [ErrTooLarge] past it, and honour ctx.
type Transport interface {
	Get(ctx context.Context, url string, maxBytes int64) ([]byte, error)
	Post(ctx context.Context, url, contentType string, body []byte, maxBytes int64) ([]byte, error)
}

// CRLSource supplies CRLs held locally, such as those the kakunin registry stores.
// It returns the DER CRL of issuer, or an error when it has none.
type CRLSource interface {
	CRL(ctx context.Context, issuer *x509.Certificate) ([]byte, error)
}

// HTTPTransport is a [Transport] over HTTP(S) with a per-request timeout.
// The zero value uses http.DefaultClient and a 10-second timeout.
type HTTPTransport struct {
	Client  *http.Client
	Timeout time.Duration
}

var _ Transport = HTTPTransport{}

const defaultHTTPTimeout = 10 * time.Second

// Get fetches url with GET.
func (t HTTPTransport) Get(ctx context.Context, u string, maxBytes int64) ([]byte, error) {
	return t.do(ctx, http.MethodGet, u, "", nil, maxBytes)
}

// Post sends body to url with POST.
func (t HTTPTransport) Post(ctx context.Context, u, contentType string, body []byte, maxBytes int64) ([]byte, error) {
	return t.do(ctx, http.MethodPost, u, contentType, body, maxBytes)
}

func (t HTTPTransport) do(ctx context.Context, method, u, contentType string, body []byte, maxBytes int64) ([]byte, error) {
	if parsed, err := url.Parse(u); err != nil || (parsed.Scheme != "http" && parsed.Scheme != "https") {
		return nil, fmt.Errorf("revocation: unsupported URL %q", u)
	}
	timeout := t.Timeout
	if timeout <= 0 {
		timeout = defaultHTTPTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	client := t.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("revocation: %s %s: HTTP status %d", method, u, resp.StatusCode)
	}
	return readLimited(resp.Body, maxBytes)
}

func readLimited(r io.Reader, maxBytes int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxBytes+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > maxBytes {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, maxBytes)
	}
	return data, nil
}
