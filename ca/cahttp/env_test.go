package cahttp_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/ca"
	"github.com/kakunin-dev/kakunin/ca/cahttp"
	"github.com/kakunin-dev/kakunin/did/kakunin"
	"github.com/kakunin-dev/kakunin/server"
	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/backend"
)

var t0 = time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)

const (
	ownerID = "acme"
	tenant  = "tenant-a"
	// Tokens of StaticTokens in every test.
	tokenOwner  = "owner-token" // tenant-a, owner acme, every action
	tokenAll    = "all-token"   // tenant-a, every owner
	tokenOther  = "other-token" // tenant-b, every owner
	tokenReader = "enroll-only" // tenant-a, acme, enrol only
	tokenWrong  = "not-a-token" // unknown
)

var (
	modelDigest  = kakunin.Digest(sha256.Sum256([]byte("model weights")))
	promptDigest = kakunin.Digest(sha256.Sum256([]byte("prompt manifest")))
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is a CA served over a real HTTP listener, so certificates point at it.
type env struct {
	t        testing.TB
	handler  http.Handler // the echo server, for in-process benchmarks
	ca       *ca.CA
	srv      *httptest.Server
	clock    *clock
	owner    *ca.OwnerInfo
	ownerKey ed25519.PrivateKey
	db       store.DB
}

// newEnv serves a CA whose owner key is derived from ownerLabel (default "owner").
func newEnv(t testing.TB, ownerLabel ...string) *env {
	t.Helper()
	label := "owner"
	if len(ownerLabel) > 0 {
		label = ownerLabel[0]
	}
	db, err := backend.Open(context.Background(), filepath.Join(t.TempDir(), "ca.db"), backend.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var handler http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	clk := &clock{t: t0}
	c, err := ca.New(db, ca.Options{BaseURL: srv.URL, Now: clk.Now, AllowExtraURIs: true})
	if err != nil {
		t.Fatal(err)
	}
	key := ed25519Key(label)
	info, err := c.InitOwner(context.Background(), ca.OwnerRequest{ID: ownerID, TenantID: tenant, Signer: key})
	if err != nil {
		t.Fatal(err)
	}
	auth := cahttp.StaticTokens{
		tokenOwner:  {Tenant: tenant, Owners: []string{ownerID}},
		tokenAll:    {Tenant: tenant, Owners: []string{"*"}},
		tokenOther:  {Tenant: "tenant-b", Owners: []string{"*"}},
		tokenReader: {Tenant: tenant, Owners: []string{ownerID}, Actions: []cahttp.Action{cahttp.ActionEnroll}},
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	idem, ok := db.(cahttp.IdempotencyStore)
	if !ok {
		t.Fatal("the store keeps no idempotency keys")
	}
	h := cahttp.New(c, auth, cahttp.Options{Now: clk.Now, Logger: log, MaxBody: 32 << 10, Idempotency: idem})
	// Tests and benchmarks send many requests from one address.
	limits := server.RateLimitConfig{Read: server.Unlimited, Write: server.Unlimited}
	handler = server.New(server.Config{Logger: log, RateLimit: limits}, h).Handler()
	return &env{t: t, handler: handler, ca: c, srv: srv, clock: clk, owner: info, ownerKey: key, db: db}
}

func ed25519Key(label string) ed25519.PrivateKey {
	seed := sha256.Sum256([]byte(label))
	return ed25519.NewKeyFromSeed(seed[:])
}

func csrPEM(t testing.TB, key crypto.Signer) string {
	t.Helper()
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{}, key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}))
}

func (e *env) did() kakunin.ID {
	id, err := kakunin.New(modelDigest, promptDigest, e.ownerKey.Public())
	if err != nil {
		e.t.Fatal(err)
	}
	return id
}

// do sends a request and returns the response and its body.
func (e *env) do(method, path, token, contentType string, body []byte) (*http.Response, []byte) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp, data
}

func (e *env) postJSON(path, token string, v any) (*http.Response, []byte) {
	e.t.Helper()
	body, ok := v.([]byte)
	if !ok {
		var err error
		if body, err = json.Marshal(v); err != nil {
			e.t.Fatal(err)
		}
	}
	return e.do(http.MethodPost, path, token, "application/json", body)
}

// enroll enrols key over HTTP and returns the parsed chain.
func (e *env) enroll(key crypto.Signer) []*x509.Certificate {
	e.t.Helper()
	resp, body := e.postJSON("/ca/owners/acme/enroll", tokenOwner, map[string]any{
		"csr": csrPEM(e.t, key), "modelDigest": modelDigest.String(), "promptDigest": promptDigest.String(),
	})
	if resp.StatusCode != http.StatusCreated {
		e.t.Fatalf("enroll: %d %s", resp.StatusCode, body)
	}
	var out struct{ Chain string }
	if err := json.Unmarshal(body, &out); err != nil {
		e.t.Fatal(err)
	}
	chain, err := ca.ParseChainPEM([]byte(out.Chain))
	if err != nil {
		e.t.Fatal(err)
	}
	return chain
}

// wantProblem asserts an RFC 9457 answer with status.
func wantProblem(t *testing.T, resp *http.Response, body []byte, status int) {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("status %d, want %d: %s", resp.StatusCode, status, body)
	}
	var p struct {
		Type   string `json:"type"`
		Status int    `json:"status"`
	}
	if resp.Header.Get("Content-Type") != "application/problem+json" || json.Unmarshal(body, &p) != nil || p.Status != status {
		t.Fatalf("not a problem document: %s %s", resp.Header.Get("Content-Type"), body)
	}
}

func pemCert(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}
