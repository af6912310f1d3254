package vcapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/server/idempotency"
)

// doKey sends a request with an Idempotency-Key header.
func (e *env) doKey(t testing.TB, path, token, key string, body any) (*http.Response, []byte) {
	t.Helper()
	raw, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set(idempotency.Header, key)
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	res := rec.Result()
	out, _ := io.ReadAll(res.Body)
	return res, out
}

func (e *env) credentialCount(t testing.TB) int {
	t.Helper()
	recs, err := e.Mem.CredentialsBySubject(context.Background(), e.Agent)
	if err != nil {
		t.Fatal(err)
	}
	return len(recs)
}

// TestIdempotentIssue: a retried issuance returns the identical credential, marked
// replayed, and the store holds one record; the same key with another body is a
// 422 problem; another tenant's identical key is its own; an expired key issues again.
func TestIdempotentIssue(t *testing.T) {
	paths := []struct {
		path string
		body func(e *env) any
	}{
		{"/credentials/issue", func(e *env) any { return credentialBody(e.Agent, nil) }},
		{"/credentials/issue/scope", func(e *env) any {
			return map[string]any{"agent": e.Agent, "validitySeconds": 3600,
				"delegator": map[string]any{"id": "did:web:acme.example"},
				"grants":    []any{map[string]any{"actions": []string{"payments:create"}}}}
		}},
		{"/instances/web/credentials/issue", func(e *env) any { return credentialBody(e.Agent, nil) }},
	}
	for _, p := range paths {
		t.Run(strings.ReplaceAll(strings.Trim(p.path, "/"), "/", "-"), func(t *testing.T) {
			e := newEnv(t)
			body := p.body(e)
			first, out1 := e.doKey(t, p.path, tokenAcme, "retry-1", body)
			if first.StatusCode != http.StatusCreated || first.Header.Get(idempotency.ReplayedHeader) != "" {
				t.Fatalf("first: %d %s %v", first.StatusCode, out1, first.Header)
			}
			again, out2 := e.doKey(t, p.path, tokenAcme, `"retry-1"`, body)
			if again.StatusCode != http.StatusCreated || !bytes.Equal(out1, out2) ||
				again.Header.Get(idempotency.ReplayedHeader) != "true" {
				t.Fatalf("retry: %d %s, replayed=%q", again.StatusCode, out2, again.Header.Get(idempotency.ReplayedHeader))
			}
			if n := e.credentialCount(t); n != 1 {
				t.Fatalf("%d credentials recorded after a retry, want 1", n)
			}
			res, out := e.doKey(t, p.path, tokenAcme, "retry-1", map[string]any{"other": true})
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Header.Get("Content-Type"), "problem+json") {
				t.Fatalf("same key, other body: %d %s", res.StatusCode, out)
			}
			res, out = e.doKey(t, p.path, tokenGlobex, "retry-1", body)
			if res.StatusCode != http.StatusCreated || bytes.Equal(out, out1) || res.Header.Get(idempotency.ReplayedHeader) != "" {
				t.Fatalf("other tenant, same key: %d %s", res.StatusCode, out)
			}
			e.Clock.Advance(idempotency.TTL + time.Second)
			res, out = e.doKey(t, p.path, tokenAcme, "retry-1", body)
			if res.StatusCode != http.StatusCreated || res.Header.Get(idempotency.ReplayedHeader) != "" {
				t.Fatalf("expired key: %d %s", res.StatusCode, out)
			}
			if n := e.credentialCount(t); n != 3 {
				t.Fatalf("%d credentials, want 3 (acme, globex, acme after expiry)", n)
			}
		})
	}
}

// TestIdempotentIssueConcurrent sends one request eight times at once: one
// credential is issued and every response carries it.
func TestIdempotentIssueConcurrent(t *testing.T) {
	e := newEnv(t)
	body := credentialBody(e.Agent, nil)
	outs := make([][]byte, 8)
	codes := make([]int, 8)
	var wg sync.WaitGroup
	for i := range outs {
		wg.Go(func() {
			res, out := e.doKey(t, "/credentials/issue", tokenAcme, "race", body)
			codes[i], outs[i] = res.StatusCode, out
		})
	}
	wg.Wait()
	for i := range outs {
		if codes[i] != http.StatusCreated || !bytes.Equal(outs[i], outs[0]) {
			t.Errorf("response %d: %d %s", i, codes[i], outs[i])
		}
	}
	if n := e.credentialCount(t); n != 1 {
		t.Errorf("%d credentials, want 1", n)
	}
}

// TestIdempotentStatus: a repeated status change is replayed; the key is refused
// for another change.
func TestIdempotentStatus(t *testing.T) {
	e := newEnv(t)
	id := "urn:uuid:4f1c1f0e-59a4-4b0c-9b58-3f3f6f1d2a10"
	e.issue(t, "/credentials/issue", credentialBody(e.Agent, map[string]any{"credentialId": id}))
	update := func(set bool) map[string]any {
		return map[string]any{"credentialId": id, "status": set,
			"credentialStatus": map[string]any{"type": "BitstringStatusListEntry", "statusPurpose": "suspension"}}
	}
	res1, out1 := e.doKey(t, "/credentials/status", tokenAcme, "s-1", update(true))
	res2, out2 := e.doKey(t, "/credentials/status", tokenAcme, "s-1", update(true))
	if res1.StatusCode != http.StatusOK || res2.StatusCode != http.StatusOK || !bytes.Equal(out1, out2) ||
		res2.Header.Get(idempotency.ReplayedHeader) != "true" {
		t.Fatalf("status retry: %d %s / %d %s", res1.StatusCode, out1, res2.StatusCode, out2)
	}
	if res, out := e.doKey(t, "/credentials/status", tokenAcme, "s-1", update(false)); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("same key, other change: %d %s", res.StatusCode, out)
	}
}

// TestIdempotencyKeyInvalid: malformed keys are refused with a 400 problem before
// any write.
func TestIdempotencyKeyInvalid(t *testing.T) {
	e := newEnv(t)
	for name, key := range map[string]string{
		"too long":        strings.Repeat("k", idempotency.MaxKeyLen+1),
		"not printable":   "key\x01",
		"non-ASCII":       "clé",
		"empty quoted":    `""`,
		"bad quoting":     `"a"b"`,
		"only whitespace": "   ",
	} {
		t.Run(name, func(t *testing.T) {
			res, out := e.doKey(t, "/credentials/issue", tokenAcme, key, credentialBody(e.Agent, nil))
			if res.StatusCode != http.StatusBadRequest || !strings.Contains(res.Header.Get("Content-Type"), "problem+json") {
				t.Fatalf("%d %s", res.StatusCode, out)
			}
		})
	}
	if n := e.credentialCount(t); n != 0 {
		t.Errorf("%d credentials issued with invalid keys", n)
	}
}
