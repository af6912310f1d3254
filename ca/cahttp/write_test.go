package cahttp_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/ca"
	"github.com/kakunin-dev/kakunin/did/kakunin"
)

func TestEnroll(t *testing.T) {
	e := newEnv(t)
	chain := e.enroll(ed25519Key("agent"))
	if err := kakunin.CheckAgentCertificate(chain[0], e.did(), kakunin.ProfileOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := kakunin.VerifyChain(chain, e.did(), kakunin.VerifyOptions{CurrentTime: t0}); err != nil {
		t.Fatal(err)
	}
}

func TestEnrollErrors(t *testing.T) {
	e := newEnv(t)
	good := map[string]any{"csr": csrPEM(t, ed25519Key("agent")), "did": e.did().String()}
	with := func(k string, v any) map[string]any {
		m := map[string]any{}
		for key, val := range good {
			m[key] = val
		}
		m[k] = v
		return m
	}
	tests := []struct {
		name   string
		path   string
		token  string
		body   any
		status int
	}{
		{"no token", "/ca/owners/acme/enroll", "", good, http.StatusUnauthorized},
		{"unknown token", "/ca/owners/acme/enroll", tokenWrong, good, http.StatusUnauthorized},
		{"token of another owner", "/ca/owners/other/enroll", tokenOwner, good, http.StatusForbidden},
		{"other tenant", "/ca/owners/acme/enroll", tokenOther, good, http.StatusForbidden},
		{"unknown owner", "/ca/owners/other/enroll", tokenAll, good, http.StatusNotFound},
		{"not JSON", "/ca/owners/acme/enroll", tokenOwner, []byte("{"), http.StatusBadRequest},
		{"duplicate member", "/ca/owners/acme/enroll", tokenOwner, []byte(`{"csr":"a","csr":"b"}`), http.StatusBadRequest},
		{"too large", "/ca/owners/acme/enroll", tokenOwner, with("csr", strings.Repeat("A", 40<<10)), http.StatusRequestEntityTooLarge},
		{"bad CSR", "/ca/owners/acme/enroll", tokenOwner, with("csr", "nope"), http.StatusBadRequest},
		{"bad digest", "/ca/owners/acme/enroll", tokenOwner, with("modelDigest", "xyz"), http.StatusBadRequest},
		{"validity too long", "/ca/owners/acme/enroll", tokenOwner, with("validitySeconds", 7*24*3600), http.StatusUnprocessableEntity},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.postJSON(tc.path, tc.token, tc.body)
			wantProblem(t, resp, body, tc.status)
			if tc.status == http.StatusUnauthorized && !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Error("401 without a Bearer challenge")
			}
		})
	}
}

// renewBody signs a renewal of cert (with key) onto newKey.
func renewBody(t *testing.T, e *env, serial string, oldKey, newKey ed25519.PrivateKey, revokeOld bool) map[string]any {
	t.Helper()
	csr := csrPEM(t, newKey)
	parsed, err := ca.ParseCSR([]byte(csr))
	if err != nil {
		t.Fatal(err)
	}
	at := e.clock.Now()
	n, _ := new(big.Int).SetString(serial, 16)
	sig, err := ca.SignRenewal(rand.Reader, oldKey, ownerID, n, at, parsed.Raw)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]any{"serialNumber": serial, "csr": csr, "time": at.Format(time.RFC3339),
		"signature": base64.RawURLEncoding.EncodeToString(sig), "revokeOld": revokeOld}
}

func TestRenew(t *testing.T) {
	e := newEnv(t)
	oldKey, newKey := ed25519Key("old"), ed25519Key("new")
	serial := e.enroll(oldKey)[0].SerialNumber.Text(16)
	tests := []struct {
		name   string
		body   func() map[string]any
		status int
	}{
		{"signed by another key", func() map[string]any { return renewBody(t, e, serial, newKey, newKey, false) }, http.StatusBadRequest},
		{"bad time", func() map[string]any {
			b := renewBody(t, e, serial, oldKey, newKey, false)
			b["time"] = "yesterday"
			return b
		}, http.StatusBadRequest},
		{"bad serial", func() map[string]any {
			b := renewBody(t, e, serial, oldKey, newKey, false)
			b["serialNumber"] = "-5"
			return b
		}, http.StatusBadRequest},
		{"unknown serial", func() map[string]any { return renewBody(t, e, "abcdef", oldKey, newKey, false) }, http.StatusNotFound},
		{"rotation", func() map[string]any { return renewBody(t, e, serial, oldKey, newKey, true) }, http.StatusCreated},
		{"old one now revoked", func() map[string]any { return renewBody(t, e, serial, oldKey, newKey, false) }, http.StatusUnprocessableEntity},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.postJSON("/ca/owners/acme/renew", tokenOwner, tc.body())
			if tc.status == http.StatusCreated {
				var out struct {
					DID   string
					Chain string
				}
				if resp.StatusCode != tc.status || json.Unmarshal(body, &out) != nil || out.DID != e.did().String() {
					t.Fatalf("%d %s", resp.StatusCode, body)
				}
				return
			}
			wantProblem(t, resp, body, tc.status)
		})
	}
}

func TestRevoke(t *testing.T) {
	e := newEnv(t)
	serial := e.enroll(ed25519Key("agent"))[0].SerialNumber.Text(16)
	tests := []struct {
		name   string
		token  string
		body   map[string]any
		status int
	}{
		{"token without revoke", tokenReader, map[string]any{"serialNumber": serial}, http.StatusForbidden},
		{"bad reason", tokenOwner, map[string]any{"serialNumber": serial, "reason": "bored"}, http.StatusBadRequest},
		{"unknown serial", tokenOwner, map[string]any{"serialNumber": "1234"}, http.StatusNotFound},
		{"ok", tokenOwner, map[string]any{"serialNumber": serial, "reason": "keyCompromise"}, http.StatusNoContent},
		{"again", tokenOwner, map[string]any{"serialNumber": serial}, http.StatusConflict},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.postJSON("/ca/owners/acme/revoke", tc.token, tc.body)
			if tc.status == http.StatusNoContent {
				if resp.StatusCode != tc.status {
					t.Fatalf("%d %s", resp.StatusCode, body)
				}
				return
			}
			wantProblem(t, resp, body, tc.status)
		})
	}
}

func TestDeactivate(t *testing.T) {
	e := newEnv(t)
	e.enroll(ed25519Key("agent"))
	path := "/ca/dids/" + e.did().String() + "/deactivate"
	foreign := "did:kakunin:" + modelDigest.String() + ":" + promptDigest.String() + ":z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
	tests := []struct {
		name   string
		path   string
		token  string
		body   []byte
		status int
	}{
		{"no token", path, "", nil, http.StatusUnauthorized},
		{"other tenant", path, tokenOther, nil, http.StatusForbidden},
		{"not a DID", "/ca/dids/did:web:example.com/deactivate", tokenOwner, nil, http.StatusBadRequest},
		{"owner not here", "/ca/dids/" + foreign + "/deactivate", tokenOwner, nil, http.StatusNotFound},
		{"bad reason", path, tokenOwner, []byte(`{"reason":"certificateHold"}`), http.StatusBadRequest},
		{"ok, empty body", path, tokenOwner, nil, http.StatusNoContent},
		{"again", path, tokenOwner, []byte(`{"reason":"privilegeWithdrawn"}`), http.StatusConflict},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.do(http.MethodPost, tc.path, tc.token, "application/json", tc.body)
			if tc.status == http.StatusNoContent {
				if resp.StatusCode != tc.status {
					t.Fatalf("%d %s", resp.StatusCode, body)
				}
				return
			}
			wantProblem(t, resp, body, tc.status)
		})
	}
	resp, body := e.postJSON("/ca/owners/acme/enroll", tokenOwner, map[string]any{"csr": csrPEM(t, ed25519Key("late")), "did": e.did().String()})
	wantProblem(t, resp, body, http.StatusConflict)
}

func TestPublish(t *testing.T) {
	e := newEnv(t)
	other := newEnv(t, "external owner") // another CA, another owner key
	chain := other.enroll(ed25519Key("external agent"))
	var pemChain bytes.Buffer
	for _, c := range chain {
		pemChain.Write(pemCert(c))
	}
	reversed := string(pemCert(chain[1])) + string(pemCert(chain[0]))
	tests := []struct {
		name   string
		token  string
		body   map[string]any
		status int
	}{
		{"no token", "", map[string]any{"chain": pemChain.String()}, http.StatusUnauthorized},
		{"not PEM", tokenOwner, map[string]any{"chain": "hello"}, http.StatusBadRequest},
		{"reversed", tokenOwner, map[string]any{"chain": reversed}, http.StatusUnprocessableEntity},
		{"ok", tokenOwner, map[string]any{"chain": pemChain.String()}, http.StatusCreated},
		{"again", tokenOwner, map[string]any{"chain": pemChain.String()}, http.StatusConflict},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.postJSON("/ca/publish", tc.token, tc.body)
			if tc.status == http.StatusCreated {
				var out struct {
					DID      string `json:"did"`
					IssuerID string `json:"issuerId"`
				}
				if resp.StatusCode != tc.status || json.Unmarshal(body, &out) != nil || !strings.HasPrefix(out.IssuerID, "x509:") {
					t.Fatalf("%d %s", resp.StatusCode, body)
				}
				return
			}
			wantProblem(t, resp, body, tc.status)
		})
	}
}
