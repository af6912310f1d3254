package main

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/ocsp"

	"github.com/kakunin-dev/kakunin/auth"
	"github.com/kakunin-dev/kakunin/ca"
	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/backend"
)

// syncBuffer is a bytes.Buffer safe for the server goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// instance is one runServe running in-process.
type instance struct {
	base, did string
	out, logs *syncBuffer
	stop      func() error
}

// testClient trusts the development certificate of --tls-self-signed, which the
// TLS test pins by its printed fingerprint, and nothing else over TLS.
var testClient = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{
	InsecureSkipVerify: true, // checked by VerifyPeerCertificate
	VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
		if len(raw) != 1 || !strings.Contains(pinnedFingerprint.Load().(string), fmt.Sprintf("%X", sha256.Sum256(raw[0]))) {
			return errors.New("unexpected server certificate")
		}
		return nil
	},
}}}

var pinnedFingerprint atomic.Value

func init() { pinnedFingerprint.Store("") }

var servingRE = regexp.MustCompile(`serving \S+ on (\S+)`)

var demoAgentRE = regexp.MustCompile(`demo agent (did:kakunin:\S+)`)

// startServe runs `kakunin serve` with args and waits until /readyz answers 200 on the
// address it prints.
func startServe(t *testing.T, args ...string) *instance {
	t.Helper()
	return launchServe(t, args, func(in *instance) bool {
		pinnedFingerprint.Store(in.out.String())
		m := servingRE.FindStringSubmatch(in.out.String())
		if m == nil || get(t, m[1]+"/readyz", "") != http.StatusOK {
			return false
		}
		in.base = m[1]
		if m := demoAgentRE.FindStringSubmatch(in.out.String()); m != nil {
			in.did = m[1]
		}
		return true
	})
}

// launchServe runs `kakunin serve` with args in-process until the test stops it, and
// returns once ready reports true; it fails the test if serve exits or is not ready
// within 10 s.
func launchServe(t *testing.T, args []string, ready func(*instance) bool) *instance {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	in := &instance{out: &syncBuffer{}, logs: &syncBuffer{}}
	env := &cliEnv{stdout: in.out, stderr: in.logs, getenv: func(string) string { return "" }}
	done := make(chan error, 1)
	go func() { done <- runServe(ctx, env, args) }()
	in.stop = func() error { cancel(); return <-done }
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		if ready(in) {
			return in
		}
		select {
		case err := <-done:
			t.Fatalf("serve exited: %v\n%s\n%s", err, in.out, in.logs)
		case <-time.After(20 * time.Millisecond):
		}
	}
	cancel()
	t.Fatalf("serve not ready:\n%s\n%s", in.out, in.logs)
	return nil
}

func get(t *testing.T, url, accept string) int {
	t.Helper()
	code, _, _ := fetch(t, http.MethodGet, url, accept, "", nil)
	return code
}

// fetch sends one request and returns the status, content type and body.
func fetch(t *testing.T, method, url, contentType, token string, body []byte) (int, string, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if method == http.MethodGet && contentType != "" {
		req.Header.Set("Accept", contentType)
	} else if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := testClient.Do(req)
	if err != nil {
		return 0, "", nil
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, resp.Header.Get("Content-Type"), data
}

// resolution is the part of a DID resolution result the test reads.
type resolution struct {
	DIDDocument struct {
		VerificationMethod []struct {
			Type         string `json:"type"`
			PublicKeyJwk struct {
				X5C []string `json:"x5c"`
			} `json:"publicKeyJwk"`
		} `json:"verificationMethod"`
	} `json:"didDocument"`
}

func resolveDemo(t *testing.T, in *instance) resolution {
	t.Helper()
	code, ctype, body := fetch(t, http.MethodGet, in.base+"/1.0/identifiers/"+in.did, "application/did-resolution", "", nil)
	if code != http.StatusOK || !strings.HasPrefix(ctype, "application/did-resolution") {
		t.Fatalf("resolve: %d %s %s", code, ctype, body)
	}
	var r resolution
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

func (r resolution) x5cKeys() int {
	n := 0
	for _, vm := range r.DIDDocument.VerificationMethod {
		if vm.Type == "JsonWebKey" && len(vm.PublicKeyJwk.X5C) > 0 {
			n++
		}
	}
	return n
}

// demoChain reads the demo agent's certificate and its owner CA certificate.
func demoChain(t *testing.T, dataDir string) (cert, issuer *x509.Certificate) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dataDir, demoDir, "agent.pem"))
	if err != nil {
		t.Fatal(err)
	}
	chain, err := ca.ParseChainPEM(data)
	if err != nil || len(chain) < 2 {
		t.Fatalf("chain: %v (%d)", err, len(chain))
	}
	return chain[0], chain[1]
}

func ocspStatus(t *testing.T, in *instance, cert, issuer *x509.Certificate) int {
	t.Helper()
	req, err := ocsp.CreateRequest(cert, issuer, &ocsp.RequestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	code, _, body := fetch(t, http.MethodPost, in.base+"/ca/owners/demo/ocsp", "application/ocsp-request", "", req)
	if code != http.StatusOK {
		t.Fatalf("OCSP: %d", code)
	}
	resp, err := ocsp.ParseResponseForCert(body, cert, issuer)
	if err != nil {
		t.Fatal(err)
	}
	return resp.Status
}

// issueToken records a token of another tenant before the server starts.
func issueToken(t *testing.T, dsn string, g auth.Grant) string {
	t.Helper()
	ctx := context.Background()
	db, err := backend.Open(ctx, dsn, backend.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var text string
	err = db.Tx(ctx, func(tx store.Tx) error {
		var err error
		text, _, err = auth.Issue(ctx, tx.(store.TokenTx), rand.Reader, g, time.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return text
}

var tokenRE = regexp.MustCompile(`KAKUNIN_TOKEN=(kak_\S+)`)

func TestServeSQLite(t *testing.T) {
	dir := t.TempDir()
	testServe(t, dir, filepath.Join(dir, "kakunin.db"))
}

// testServe runs the service end to end: demo resolution, CRL, OCSP, revocation
// through the CA with the admin token (refused without one or with another
// tenant's), the resolution change, and a restart that keeps the demo DID.
func testServe(t *testing.T, dataDir, dsn string) {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		t.Fatal(err)
	}
	other := issueToken(t, dsn, auth.Grant{TenantID: "other", AllOwners: true, Actions: []string{auth.ActionAdmin}})
	args := []string{"--addr", "127.0.0.1:0", "--data-dir", dataDir, "--db", dsn, "--log-level", "info"}
	in := startServe(t, args...)
	m := tokenRE.FindStringSubmatch(in.out.String())
	if in.did == "" || m == nil {
		t.Fatalf("no demo DID or admin token in:\n%s", in.out)
	}
	admin := m[1]
	if n := resolveDemo(t, in).x5cKeys(); n != 1 {
		t.Fatalf("%d JsonWebKey methods with x5c, want 1", n)
	}
	checkRoutes(t, in)
	checkCredentials(t, in, admin, other)
	code, ctype, body := fetch(t, http.MethodGet, in.base+"/ca/owners/demo/crl", "", "", nil)
	if _, err := x509.ParseRevocationList(body); code != http.StatusOK || ctype != "application/pkix-crl" || err != nil {
		t.Fatalf("CRL: %d %s %v", code, ctype, err)
	}
	cert, issuer := demoChain(t, dataDir)
	if s := ocspStatus(t, in, cert, issuer); s != ocsp.Good {
		t.Fatalf("OCSP status %d, want good", s)
	}
	revoke := []byte(fmt.Sprintf(`{"serialNumber":%q,"reason":"keyCompromise"}`, cert.SerialNumber.Text(16)))
	refusals := []struct {
		name, token string
		want        int
	}{
		{"no token", "", http.StatusUnauthorized},
		{"malformed token", "kak_nope", http.StatusUnauthorized},
		{"another tenant", other, http.StatusForbidden},
	}
	for _, r := range refusals {
		if code, _, body := fetch(t, http.MethodPost, in.base+"/ca/owners/demo/revoke", "application/json", r.token, revoke); code != r.want {
			t.Errorf("revoke with %s: %d %s, want %d", r.name, code, body, r.want)
		}
	}
	if code, _, body := fetch(t, http.MethodPost, in.base+"/ca/owners/demo/revoke", "application/json", admin, revoke); code/100 != 2 {
		t.Fatalf("revoke: %d %s", code, body)
	}
	if n := resolveDemo(t, in).x5cKeys(); n != 0 {
		t.Errorf("revoked certificate still in the document (%d keys)", n)
	}
	if s := ocspStatus(t, in, cert, issuer); s != ocsp.Revoked {
		t.Errorf("OCSP status %d after revocation, want revoked", s)
	}
	if strings.Contains(in.logs.String(), admin[len(auth.Prefix):]) || strings.Contains(in.logs.String(), other[len(auth.Prefix):]) {
		t.Error("a token appears in the logs")
	}
	if err := in.stop(); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	again := startServe(t, "--addr", strings.TrimPrefix(in.base, "http://"), "--data-dir", dataDir, "--db", dsn)
	defer again.stop()
	if again.did != in.did || tokenRE.MatchString(again.out.String()) {
		t.Fatalf("restart: demo DID %s (was %s) or the admin token printed again", again.did, in.did)
	}
	if n := resolveDemo(t, again).x5cKeys(); n != 1 {
		t.Errorf("after restart the demo agent has %d certified keys, want 1 (re-enrolled)", n)
	}
	if renewed, _ := demoChain(t, dataDir); renewed.PublicKey.(interface{ Equal(crypto.PublicKey) bool }).Equal(cert.PublicKey) {
		t.Error("the demo agent was re-enrolled with its compromised key")
	}
}

// checkRoutes checks the other roles' routes that the demo prints or lists.
func checkRoutes(t *testing.T, in *instance) {
	t.Helper()
	code, _, body := fetch(t, http.MethodGet, in.base+"/1.0/testIdentifiers", "", "", nil)
	if code != http.StatusOK || !strings.Contains(string(body), in.did) {
		t.Errorf("testIdentifiers: %d %s", code, body)
	}
	code, _, body = fetch(t, http.MethodGet, in.base+"/audit/checkpoint", "", "", nil)
	if code != http.StatusOK || !strings.HasPrefix(string(body), strings.TrimPrefix(in.base, "http://")+"/audit\n") {
		t.Errorf("audit checkpoint: %d %q", code, body)
	}
	code, ctype, _ := fetch(t, http.MethodGet, in.base+"/contexts/kakunin-v1.jsonld", "", "", nil)
	if code != http.StatusOK || ctype != "application/ld+json" {
		t.Errorf("kakunin context: %d %s", code, ctype)
	}
}

// TestServeRoles serves the resolver alone: the demo still resolves (the CA runs
// in-process), while the CA and audit routes are absent.
func TestServeRoles(t *testing.T) {
	in := startServe(t, "--addr", "127.0.0.1:0", "--data-dir", t.TempDir(), "--roles", "resolver")
	defer in.stop()
	if n := resolveDemo(t, in).x5cKeys(); n != 1 {
		t.Errorf("%d certified keys, want 1", n)
	}
	for _, path := range []string{"/ca/owners/demo/crl", "/audit/checkpoint"} {
		if code := get(t, in.base+path, ""); code != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, code)
		}
	}
}
