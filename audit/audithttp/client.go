package audithttp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/kakunin-dev/kakunin/audit/verify"
)

// maxProblemSize bounds an error answer read by the [Client].
const maxProblemSize = 64 << 10

// ErrTooLarge is returned by the [Client] for an answer beyond its size bound.
var ErrTooLarge = errors.New("audithttp: answer too large")

// StatusError is returned by the [Client] for an answer other than 200 OK,
// with the detail of its RFC 9457 problem when it has one.
type StatusError struct {
	Status int
	Detail string
}

func (e *StatusError) Error() string {
	if e.Detail == "" {
		return fmt.Sprintf("audithttp: server answered %d %s", e.Status, http.StatusText(e.Status))
	}
	return fmt.Sprintf("audithttp: server answered %d %s: %s", e.Status, http.StatusText(e.Status), e.Detail)
}

// Client is an auditor's client of these routes. Every answer is read within
// a size bound; timeouts are the http.Client's.
type Client struct {
	base *url.URL
	hc   *http.Client
}

// NewClient returns a client of the log served at base (an http or https URL,
// possibly with a path prefix), using hc (nil: a client with a 30 s timeout).
func NewClient(base string, hc *http.Client) (*Client, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return nil, fmt.Errorf("%w: server URL must be http(s)://host[/path] without credentials", ErrBadParameter)
	}
	if hc == nil {
		hc = &http.Client{Timeout: defaultClientTimeout}
	}
	return &Client{base: u, hc: hc}, nil
}

// Checkpoint fetches the latest signed checkpoint (not yet verified).
func (c *Client) Checkpoint(ctx context.Context) ([]byte, error) {
	return c.get(ctx, "audit/checkpoint", nil, verify.MaxCheckpointSize)
}

// ExportQuery selects a bundle; zero To means the server's default (a page,
// or up to the tree size).
type ExportQuery struct {
	From, To, Since uint64
}

// Export fetches a bundle and checks that it parses, returning its bytes and
// its parsed form (not yet verified).
func (c *Client) Export(ctx context.Context, q ExportQuery) ([]byte, *verify.Bundle, error) {
	v := url.Values{"from": {strconv.FormatUint(q.From, 10)}, "since": {strconv.FormatUint(q.Since, 10)}}
	if q.To != 0 {
		v.Set("to", strconv.FormatUint(q.To, 10))
	}
	data, err := c.get(ctx, "audit/export", v, verify.MaxBundleSize)
	if err != nil {
		return nil, nil, err
	}
	b, err := verify.ParseBundle(data)
	if err != nil {
		return nil, nil, err
	}
	return data, b, nil
}

func (c *Client) get(ctx context.Context, path string, q url.Values, limit int64) ([]byte, error) {
	u := c.base.JoinPath(path)
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("audithttp: GET /%s: %w", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, statusError(resp)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("audithttp: GET /%s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%w: /%s beyond %d bytes", ErrTooLarge, path, limit)
	}
	return data, nil
}

func statusError(resp *http.Response) error {
	e := &StatusError{Status: resp.StatusCode}
	var p struct {
		Detail string `json:"detail"`
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxProblemSize))
	if json.Unmarshal(body, &p) == nil && len(p.Detail) <= 1024 {
		e.Detail = p.Detail
	}
	return e
}
