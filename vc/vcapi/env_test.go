package vcapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/kakunin-dev/kakunin/server"
	"github.com/kakunin-dev/kakunin/vc/issuer"
	"github.com/kakunin-dev/kakunin/vc/issuer/issuertest"
	"github.com/kakunin-dev/kakunin/vc/status"
	"github.com/kakunin-dev/kakunin/vc/vcapi"
	"github.com/kakunin-dev/kakunin/vc/verifier"
)

const (
	tokenAcme   = "acme-token"
	tokenGlobex = "globex-token"
	tokenVerify = "verify-only"
)

type env struct {
	*issuertest.Env
	handler http.Handler
}

func newEnv(t testing.TB) *env {
	e := issuertest.New(t)
	v, err := verifier.New(verifier.Config{Resolver: e.Resolver, Status: e.Issuer.Fetcher(nil), Now: e.Clock.Now,
		JOSEAnyKeyType: true, StatusOptions: status.Options{CacheBytes: -1}})
	if err != nil {
		t.Fatal(err)
	}
	auth := vcapi.StaticTokens{
		tokenAcme:   {Caller: e.Caller, Instances: []string{"*"}},
		tokenGlobex: {Caller: issuer.Caller{ID: "globex-client", Tenant: "globex"}, Instances: []string{"*"}},
		tokenVerify: {Caller: e.Caller, Instances: []string{""}, Actions: []vcapi.Action{vcapi.ActionStatus}},
	}
	h, err := vcapi.New(e.Issuer, v, auth, vcapi.Options{MaxBody: 64 << 10, Now: e.Clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	limits := server.RateLimitConfig{Read: server.Unlimited, Write: server.Unlimited}
	return &env{Env: e, handler: server.New(server.Config{Logger: log, RateLimit: limits}, h).Handler()}
}

// do sends a request with a JSON body and returns the response with its body read.
func (e *env) do(t testing.TB, method, path, token string, body any) (*http.Response, []byte) {
	t.Helper()
	return e.send(t, method, path, token, http.Header{"Content-Type": {"application/json"}}, body)
}

// send is do with the request's header fields given (a Content-Type among them, or none).
func (e *env) send(t testing.TB, method, path, token string, header http.Header, body any) (*http.Response, []byte) {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewReader([]byte(b))
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, path, rd)
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	res := rec.Result()
	out, _ := io.ReadAll(res.Body)
	return res, out
}

// issue issues through the API and returns the verifiableCredential.
func (e *env) issue(t testing.TB, path string, body any) json.RawMessage {
	t.Helper()
	res, out := e.do(t, http.MethodPost, path, tokenAcme, body)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("issue: %d %s", res.StatusCode, out)
	}
	var r struct {
		VerifiableCredential json.RawMessage `json:"verifiableCredential"`
	}
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatal(err)
	}
	return r.VerifiableCredential
}

type verifyResult struct {
	Verified       bool `json:"verified"`
	ProblemDetails []struct {
		Type  string `json:"type"`
		Title string `json:"title"`
	} `json:"problemDetails"`
	Results map[string]json.RawMessage `json:"results"`
}

func (e *env) verify(t testing.TB, vc json.RawMessage, options any) verifyResult {
	t.Helper()
	res, out := e.do(t, http.MethodPost, "/credentials/verify", "", map[string]any{"verifiableCredential": vc, "options": options})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("verify: %d %s", res.StatusCode, out)
	}
	var r verifyResult
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatal(err)
	}
	return r
}
