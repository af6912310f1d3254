package loadtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"
)

// ErrNotLoopback is returned by Get for a URL whose host is not 127.0.0.1.
var ErrNotLoopback = errors.New("loadtest: target is not 127.0.0.1")

// maxBody bounds the response bytes read per request.
const maxBody = 1 << 20

// Request sends one request and reports the response status.
type Request func(ctx context.Context) (status int, err error)

// NewClient returns an HTTP/1.1 client that keeps up to conns connections open
// to one host, so that conns requests can be outstanding at once.
func NewClient(conns int) *http.Client {
	return &http.Client{
		Timeout: 10 * time.Second,
		Transport: &http.Transport{
			Proxy:               nil,
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
			MaxConnsPerHost:     conns,
			MaxIdleConns:        conns,
			MaxIdleConnsPerHost: conns,
			IdleConnTimeout:     30 * time.Second,
		},
	}
}

// Get returns a Request that GETs rawURL with the header h and reads the whole
// response. rawURL must name host 127.0.0.1.
func Get(c *http.Client, rawURL string, h http.Header) (Request, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("loadtest: %w", err)
	}
	if u.Hostname() != "127.0.0.1" {
		return nil, fmt.Errorf("%w: %q", ErrNotLoopback, u.Host)
	}
	return func(ctx context.Context) (int, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
		if err != nil {
			return 0, err
		}
		req.Header = h.Clone()
		resp, err := c.Do(req)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		if _, err := io.Copy(io.Discard, io.LimitReader(resp.Body, maxBody)); err != nil {
			return 0, err
		}
		return resp.StatusCode, nil
	}, nil
}
