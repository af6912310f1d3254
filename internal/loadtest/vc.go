package loadtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// ErrRejected is returned by a Post request whose answer accept refused.
var ErrRejected = errors.New("loadtest: answer rejected")

// Accept judges an answer to a POST: its status and its body (at most 1 MiB).
type Accept func(status int, body []byte) bool

// Post returns a Request that POSTs the JSON body next returns to rawURL with the
// header h and reads the whole answer. A request whose answer accept holds reports
// 200, whatever the status (an issuance answers 201), so that ClosedLoop and
// Summarize count it as a success; any other answer reports its status with an
// error wrapping ErrRejected, which the runs count under that status (a refused
// 200 under 0, with the failures that got no answer). rawURL must name
// host 127.0.0.1; next is called once per request, from many goroutines at once.
func Post(c *http.Client, rawURL string, h http.Header, next func() []byte, accept Accept) (Request, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("loadtest: %w", err)
	}
	if u.Hostname() != "127.0.0.1" {
		return nil, fmt.Errorf("%w: %q", ErrNotLoopback, u.Host)
	}
	h = h.Clone()
	if h == nil {
		h = http.Header{}
	}
	h.Set("Content-Type", "application/json")
	return func(ctx context.Context) (int, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, rawURL, bytes.NewReader(next()))
		if err != nil {
			return 0, err
		}
		req.Header = h.Clone()
		resp, err := c.Do(req)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
		if err != nil {
			return 0, err
		}
		if !accept(resp.StatusCode, body) {
			return resp.StatusCode, fmt.Errorf("%w: status %d", ErrRejected, resp.StatusCode)
		}
		return http.StatusOK, nil
	}, nil
}
