package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// maxAnswer bounds a server's answer read by the CLI.
const maxAnswer = 1 << 20

// cliClient is the CLI's HTTP client: bounded in time as a whole and per phase,
// and it follows no redirect (a CA endpoint has no reason to send one, and
// following it would carry the bearer token elsewhere).
var cliClient = &http.Client{
	Timeout: 30 * time.Second,
	Transport: &http.Transport{
		Proxy:                  http.ProxyFromEnvironment,
		DialContext:            (&net.Dialer{Timeout: 10 * time.Second}).DialContext,
		TLSHandshakeTimeout:    10 * time.Second,
		ResponseHeaderTimeout:  20 * time.Second,
		MaxResponseHeaderBytes: 64 << 10,
		IdleConnTimeout:        30 * time.Second,
	},
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// ownerPath is the path of an owner's CA endpoint.
func ownerPath(owner, action string) string {
	return "/ca/owners/" + url.PathEscape(owner) + "/" + action
}

// maxRetryWait bounds how long the CLI waits, once, on a 429 or 503 answer's
// Retry-After before sending the request again.
const maxRetryWait = 5 * time.Second

// postJSON posts body to server+path with a bearer token and an Idempotency-Key,
// and decodes a JSON answer into v (nil for none). A request that fails before
// any answer arrives, or that the service asks to retry shortly (429 or 503 with
// a Retry-After of at most maxRetryWait), is sent once more with the same key, so
// that the service acts on it once even when the first attempt reached it.
func postJSON(ctx context.Context, server, path, token string, body []byte, v any) error {
	key, err := idempotencyKey()
	if err != nil {
		return err
	}
	var data []byte
	for attempt := 0; attempt < 2; attempt++ {
		req, rerr := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(server, "/")+path, bytes.NewReader(body))
		if rerr != nil {
			return usageError{fmt.Sprintf("--server: %v", rerr)}
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, application/problem+json")
		req.Header.Set("Idempotency-Key", `"`+key+`"`)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		var wait time.Duration
		data, wait, err = sendOnce(req)
		if err == nil || wait < 0 || !sleep(ctx, wait) {
			break
		}
	}
	if err != nil || v == nil || len(bytes.TrimSpace(data)) == 0 {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: malformed answer: %w", path, err)
	}
	return nil
}

// sleep waits d unless ctx ends first; it reports whether it waited.
func sleep(ctx context.Context, d time.Duration) bool {
	if ctx.Err() != nil {
		return false
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// idempotencyKey is a fresh random key (128 bits, hex).
func idempotencyKey() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

// do sends req and returns a 2xx answer's body (bounded), or a *problemError
// (vc.go) with the server's problem details, and the body it sent.
func do(req *http.Request) ([]byte, error) {
	data, _, err := sendOnce(req)
	return data, err
}

// sendOnce is do that also says whether the request may be sent again, and after
// how long: 0 after a transport error, the Retry-After delay (RFC 9110 §10.2.3,
// delay-seconds only) of a 429 or 503 when at most maxRetryWait, else -1.
func sendOnce(req *http.Request) (data []byte, retry time.Duration, err error) {
	resp, err := cliClient.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	data, err = io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	switch {
	case err != nil:
		return nil, -1, err
	case len(data) > maxAnswer:
		return nil, -1, fmt.Errorf("%s: answer larger than %d bytes", req.URL.Path, maxAnswer)
	}
	retry = -1
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		if secs, perr := strconv.ParseUint(strings.TrimSpace(resp.Header.Get("Retry-After")), 10, 16); perr == nil && time.Duration(secs)*time.Second <= maxRetryWait {
			retry = time.Duration(secs) * time.Second
		}
	}
	return data, retry, answerError(req.URL.Path, resp.StatusCode, resp.Header.Get("Content-Type"), data)
}

// answerError is nil for a 2xx status, else a *problemError carrying the RFC 9457
// problem details of a JSON body (RFC 9457 §3: "type", "title", "detail"); a body
// that is not problem details leaves them empty.
func answerError(path string, status int, contentType string, body []byte) error {
	if status/100 == 2 {
		return nil
	}
	pe := &problemError{}
	if mt, _, _ := mime.ParseMediaType(contentType); strings.HasSuffix(mt, "json") {
		if json.Unmarshal(body, pe) != nil {
			pe = &problemError{}
		}
	}
	pe.Path, pe.Status = path, status
	return pe
}
