package main

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/keys"
)

func TestAgentUsageErrors(t *testing.T) {
	pem := filepath.Join(t.TempDir(), "agent.pem")
	tests := []struct {
		name string
		args []string
	}{
		{"no command", nil},
		{"unknown command", []string{"retire"}},
		{"enroll without owner", []string{"enroll", "--model", "m", "--prompt", "p"}},
		{"renew without owner", []string{"renew"}},
		{"rotate with a bad algorithm", []string{"rotate", "--owner", "o", "--alg", "DSA"}},
		{"revoke without serial", []string{"revoke", "--owner", "o"}},
		{"revoke with serial and cert", []string{"revoke", "--owner", "o", "--serial", "1a", "--cert", pem}},
		{"revoke with a zero serial", []string{"revoke", "--owner", "o", "--serial", "0"}},
		{"revoke with a 21-octet serial", []string{"revoke", "--owner", "o", "--serial", strings.Repeat("ab", 21)}},
		{"deactivate without DID", []string{"deactivate"}},
		{"deactivate another method", []string{"deactivate", "--did", "did:key:z6Mk"}},
		{"stray argument", []string{"renew", "--owner", "o", "extra"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ue usageError
			if _, err := cli(t, runAgent, nil, tt.args...); !errors.As(err, &ue) {
				t.Errorf("err = %v, want a usage error", err)
			}
		})
	}
}

// TestAgentServerAnswers checks how the CLI reads refusals: problem details in the
// error, no redirect followed (the token stays with the CA), and an answer
// beyond maxAnswer refused.
func TestAgentServerAnswers(t *testing.T) {
	var redirected sync.Map
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasPrefix(r.URL.Path, "/ca/owners/forbidden/"):
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(http.StatusForbidden)
			w.Write([]byte(`{"type":"about:blank","title":"Forbidden","status":403,"detail":"tenant may not act for owner"}`))
		case strings.HasPrefix(r.URL.Path, "/ca/owners/moved/"):
			http.Redirect(w, r, "/elsewhere", http.StatusTemporaryRedirect)
		case r.URL.Path == "/elsewhere":
			redirected.Store("hit", r.Header.Get("Authorization"))
		case strings.HasPrefix(r.URL.Path, "/ca/owners/huge/"):
			w.Write(make([]byte, maxAnswer+1))
		default:
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusBadGateway)
			w.Write([]byte(`{"detail":"not problem details"}`))
		}
	}))
	defer srv.Close()
	tests := []struct {
		owner      string
		wantStatus int
		wantDetail string
	}{
		{"forbidden", http.StatusForbidden, "tenant may not act for owner"},
		{"moved", http.StatusTemporaryRedirect, ""},
		{"plain", http.StatusBadGateway, ""},
	}
	vars := map[string]string{"KAKUNIN_TOKEN": "kak_secret"}
	for _, tt := range tests {
		t.Run(tt.owner, func(t *testing.T) {
			_, err := cli(t, runAgent, vars, "revoke", "--server", srv.URL, "--owner", tt.owner, "--serial", "1f")
			var pe *problemError
			if !errors.As(err, &pe) || pe.Status != tt.wantStatus || pe.Detail != tt.wantDetail {
				t.Fatalf("err = %#v, want status %d detail %q", err, tt.wantStatus, tt.wantDetail)
			}
			if tt.wantDetail != "" && !strings.Contains(err.Error(), tt.wantDetail) {
				t.Errorf("error %q lacks the problem detail", err)
			}
		})
	}
	if _, hit := redirected.Load("hit"); hit {
		t.Error("the CLI followed a redirect")
	}
	_, err := cli(t, runAgent, vars, "revoke", "--server", srv.URL, "--owner", "huge", "--serial", "1f")
	var pe *problemError
	if err == nil || errors.As(err, &pe) || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("oversized answer: %v", err)
	}
}

// TestAgentRetrySameIdempotencyKey drops the first connection: the CLI sends the
// request again with the same Idempotency-Key, so the CA answers it once.
func TestAgentRetrySameIdempotencyKey(t *testing.T) {
	var mu sync.Mutex
	var keys []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		keys = append(keys, r.Header.Get("Idempotency-Key"))
		first := len(keys) == 1
		mu.Unlock()
		if first {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	did := "did:kakunin:example"
	if _, err := cli(t, runAgent, nil, "deactivate", "--server", srv.URL, "--did", did); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(keys) != 2 || keys[0] == "" || keys[0] != keys[1] {
		t.Errorf("Idempotency-Key per attempt = %q, want one key sent twice", keys)
	}
}

// TestAgentRotateFailure leaves the agent's key and chain in place when the CA
// refuses, keeping the new key for the next attempt; renew refuses a key that
// is not the certificate's.
func TestAgentRotateFailure(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusUnprocessableEntity)
		w.Write([]byte(`{"title":"Unprocessable Entity","detail":"the current certificate is revoked"}`))
	}))
	defer srv.Close()
	dir := t.TempDir()
	key := writeSelfCertified(t, dir)
	before, _ := os.ReadFile(filepath.Join(dir, "agent.pem"))
	_, err := cli(t, runAgent, nil, "rotate", "--server", srv.URL, "--owner", "o", "--dir", dir)
	var pe *problemError
	if !errors.As(err, &pe) || pe.Status != http.StatusUnprocessableEntity {
		t.Fatalf("rotate: %v", err)
	}
	after, _ := os.ReadFile(filepath.Join(dir, "agent.pem"))
	now, err := keys.Open(context.Background(), filepath.Join(dir, "agent.key"))
	if err != nil {
		t.Fatal(err)
	}
	defer now.Close()
	if string(after) != string(before) || !samePublic(now.Public(), key) {
		t.Error("a refused rotation changed agent.pem or agent.key")
	}
	if _, err := os.Stat(filepath.Join(dir, "agent.key.new")); err != nil {
		t.Errorf("the pending key was not kept: %v", err)
	}
	if err := os.Rename(filepath.Join(dir, "agent.key.new"), filepath.Join(dir, "agent.key")); err != nil {
		t.Fatal(err)
	}
	if _, err := cli(t, runAgent, nil, "renew", "--server", srv.URL, "--owner", "o", "--dir", dir); !errors.Is(err, errKeyMismatch) {
		t.Errorf("renew with another key: %v, want errKeyMismatch", err)
	}
}

// writeSelfCertified writes dir/agent.key and a certificate for it in
// dir/agent.pem, and returns the public key.
func writeSelfCertified(t *testing.T, dir string) any {
	t.Helper()
	k, err := keys.Generate(context.Background(), filepath.Join(dir, "agent.key"), keys.Ed25519)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	u, _ := url.Parse("did:kakunin:example")
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(0x1f), Subject: pkix.Name{}, URIs: []*url.URL{u},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, k.Public(), k)
	if err != nil {
		t.Fatal(err)
	}
	if err := writeChain(dir, string(pemBlock("CERTIFICATE", der))); err != nil {
		t.Fatal(err)
	}
	return k.Public()
}

// FuzzAnswerError reads arbitrary answers: no panic, an error exactly for a
// non-2xx status, and that error carries the status.
func FuzzAnswerError(f *testing.F) {
	f.Add(403, "application/problem+json", []byte(`{"type":"about:blank","detail":"no"}`))
	f.Add(200, "application/json", []byte(`{}`))
	f.Add(500, "text/plain", []byte("oops"))
	f.Add(409, "application/problem+json; charset=utf-8", []byte(`{"detail":7}`))
	f.Fuzz(func(t *testing.T, status int, ctype string, body []byte) {
		err := answerError("/p", status, ctype, body)
		var pe *problemError
		if (status/100 == 2) != (err == nil) || (err != nil && (!errors.As(err, &pe) || pe.Status != status)) {
			t.Fatalf("status %d: err = %v", status, err)
		}
	})
}

// FuzzRevokeSerial parses --serial: no panic, and an accepted serial prints
// back to a value that parses to the same number.
func FuzzRevokeSerial(f *testing.F) {
	for _, s := range []string{"1f", "0x1F", "01:ab:cd", "0", "-1", strings.Repeat("f", 41)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := revokeSerial(s, "")
		if err != nil {
			return
		}
		again, err := revokeSerial(n.Text(16), "")
		if err != nil || again.Cmp(n) != 0 || n.Sign() <= 0 {
			t.Fatalf("%q: %v then %v, %v", s, n, again, err)
		}
	})
}

// TestAgentRetryAfter honours a short Retry-After once, with the same key, and
// gives up on a long one.
func TestAgentRetryAfter(t *testing.T) {
	tests := []struct {
		name, retryAfter string
		wantCalls        int
		wantErr          bool
	}{
		{"short", "0", 2, false},
		{"too long", "3600", 1, true},
		{"HTTP date", "Fri, 31 Dec 1999 23:59:59 GMT", 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			var keys []string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				keys = append(keys, r.Header.Get("Idempotency-Key"))
				n := len(keys)
				mu.Unlock()
				if n == 1 {
					w.Header().Set("Retry-After", tt.retryAfter)
					w.WriteHeader(http.StatusTooManyRequests)
					return
				}
				w.WriteHeader(http.StatusNoContent)
			}))
			defer srv.Close()
			_, err := cli(t, runAgent, nil, "revoke", "--server", srv.URL, "--owner", "o", "--serial", "1f")
			mu.Lock()
			defer mu.Unlock()
			var pe *problemError
			if len(keys) != tt.wantCalls || (err != nil) != tt.wantErr || (err != nil && (!errors.As(err, &pe) || pe.Status != http.StatusTooManyRequests)) {
				t.Errorf("%d calls, err %v; want %d calls, error %v", len(keys), err, tt.wantCalls, tt.wantErr)
			}
			if len(keys) == 2 && keys[0] != keys[1] {
				t.Errorf("retry with another Idempotency-Key: %q", keys)
			}
		})
	}
}
