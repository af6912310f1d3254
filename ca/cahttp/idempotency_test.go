package cahttp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/kakunin-dev/kakunin/server/idempotency"
)

// postKey posts v as JSON with an Idempotency-Key.
func (e *env) postKey(path, token, key string, v any) (*http.Response, []byte) {
	e.t.Helper()
	body, err := json.Marshal(v)
	if err != nil {
		e.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(idempotency.Header, key)
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out bytes.Buffer
	if _, err := out.ReadFrom(resp.Body); err != nil {
		e.t.Fatal(err)
	}
	return resp, out.Bytes()
}

func (e *env) certificates() int {
	e.t.Helper()
	certs, err := e.db.CertificatesByDID(context.Background(), e.did().String())
	if err != nil {
		e.t.Fatal(err)
	}
	return len(certs)
}

// TestIdempotentEnroll: a retried enrolment returns the same certificate, marked
// replayed, and the CA issued one; the key is refused for another CSR (422) and is
// free for another tenant.
func TestIdempotentEnroll(t *testing.T) {
	e := newEnv(t)
	body := map[string]any{"csr": csrPEM(t, ed25519Key("agent")), "modelDigest": modelDigest.String(),
		"promptDigest": promptDigest.String()}
	r1, out1 := e.postKey("/ca/owners/acme/enroll", tokenOwner, "enrol-1", body)
	r2, out2 := e.postKey("/ca/owners/acme/enroll", tokenOwner, "enrol-1", body)
	if r1.StatusCode != http.StatusCreated || r2.StatusCode != http.StatusCreated || !bytes.Equal(out1, out2) ||
		r2.Header.Get(idempotency.ReplayedHeader) != "true" || r1.Header.Get(idempotency.ReplayedHeader) != "" {
		t.Fatalf("retry: %d %s / %d %s", r1.StatusCode, out1, r2.StatusCode, out2)
	}
	if n := e.certificates(); n != 1 {
		t.Fatalf("%d certificates after a retried enrolment, want 1", n)
	}
	other := map[string]any{"csr": csrPEM(t, ed25519Key("agent-2")), "modelDigest": modelDigest.String(),
		"promptDigest": promptDigest.String()}
	resp, out := e.postKey("/ca/owners/acme/enroll", tokenOwner, "enrol-1", other)
	wantProblem(t, resp, out, http.StatusUnprocessableEntity)
	// tenant-b may use the key; it is refused by the CA (another tenant's owner),
	// not answered with tenant-a's certificate.
	resp, out = e.postKey("/ca/owners/acme/enroll", tokenOther, "enrol-1", body)
	wantProblem(t, resp, out, http.StatusForbidden)
	if n := e.certificates(); n != 1 {
		t.Fatalf("%d certificates, want 1", n)
	}
}

// TestIdempotentRevoke: a retried revocation is replayed (204) instead of failing
// with 409 because the certificate is already revoked.
func TestIdempotentRevoke(t *testing.T) {
	e := newEnv(t)
	chain := e.enroll(ed25519Key("agent"))
	body := map[string]any{"serialNumber": chain[0].SerialNumber.Text(16), "reason": "keyCompromise"}
	r1, _ := e.postKey("/ca/owners/acme/revoke", tokenOwner, "rev-1", body)
	r2, out := e.postKey("/ca/owners/acme/revoke", tokenOwner, "rev-1", body)
	if r1.StatusCode != http.StatusNoContent || r2.StatusCode != http.StatusNoContent || len(out) != 0 ||
		r2.Header.Get(idempotency.ReplayedHeader) != "true" {
		t.Fatalf("revoke retry: %d / %d %s", r1.StatusCode, r2.StatusCode, out)
	}
	resp, out := e.postJSON("/ca/owners/acme/revoke", tokenOwner, body)
	wantProblem(t, resp, out, http.StatusConflict)
}

// TestIdempotencyKeyRefused: an invalid key is a 400 problem and nothing is issued.
func TestIdempotencyKeyRefused(t *testing.T) {
	e := newEnv(t)
	body := map[string]any{"csr": csrPEM(t, ed25519Key("agent")), "modelDigest": modelDigest.String(),
		"promptDigest": promptDigest.String()}
	resp, out := e.postKey("/ca/owners/acme/enroll", tokenOwner, strings.Repeat("k", idempotency.MaxKeyLen+1), body)
	wantProblem(t, resp, out, http.StatusBadRequest)
	if n := e.certificates(); n != 0 {
		t.Fatalf("%d certificates, want 0", n)
	}
}

// TestIdempotentEnrollConcurrent sends one enrolment eight times at once: the
// duplicates wait for the first and are replayed, so one certificate is issued.
func TestIdempotentEnrollConcurrent(t *testing.T) {
	e := newEnv(t)
	body := map[string]any{"csr": csrPEM(t, ed25519Key("agent")), "modelDigest": modelDigest.String(),
		"promptDigest": promptDigest.String()}
	outs := make([][]byte, 8)
	codes := make([]int, 8)
	var wg sync.WaitGroup
	for i := range outs {
		wg.Go(func() {
			resp, out := e.postKey("/ca/owners/acme/enroll", tokenOwner, "same", body)
			codes[i], outs[i] = resp.StatusCode, out
		})
	}
	wg.Wait()
	for i := range outs {
		if codes[i] != http.StatusCreated || !bytes.Equal(outs[i], outs[0]) {
			t.Errorf("response %d: %d %s", i, codes[i], outs[i])
		}
	}
	if n := e.certificates(); n != 1 {
		t.Errorf("%d certificates, want 1", n)
	}
}
