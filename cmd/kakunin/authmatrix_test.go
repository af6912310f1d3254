package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/auth"
	"github.com/kakunin-dev/kakunin/did/key"
	"github.com/kakunin-dev/kakunin/server/idempotency"
	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/backend"
)

// matrixTenant is the tenant whose tokens the matrix presents against the demo
// tenant's resources.
const matrixTenant = "globex-matrix"

// seeded is a token recorded before the server starts.
type seeded struct {
	text, id, tenant string
}

// secret is the part of the token's text that only its holder knows.
func (s seeded) secret() string { return s.text[strings.LastIndex(s.text, "_")+1:] }

// seedTokens records tokens in one store session: each grant is issued at its
// own time (to make expired tokens), and the tokens named in revoke are revoked.
func seedTokens(t *testing.T, dsn string, grants map[string]auth.Grant, issuedAt map[string]time.Time,
	revoke ...string) map[string]seeded {
	t.Helper()
	ctx := context.Background()
	db, err := backend.Open(ctx, dsn, backend.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string]seeded{}
	for name, g := range grants {
		at, ok := issuedAt[name]
		if !ok {
			at = time.Now()
		}
		err := db.Tx(ctx, func(tx store.Tx) error {
			text, tok, err := auth.Issue(ctx, tx.(store.TokenTx), rand.Reader, g, at)
			out[name] = seeded{text: text, id: tok.ID, tenant: g.TenantID}
			return err
		})
		if err != nil {
			t.Fatalf("token %s: %v", name, err)
		}
	}
	for _, name := range revoke {
		if err := auth.Revoke(ctx, db, out[name].tenant, out[name].id, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// allBut returns every action except those given and admin.
func allBut(except ...string) []string {
	var out []string
	for _, a := range auth.Actions() {
		if a != auth.ActionAdmin && !slices.Contains(except, a) {
			out = append(out, a)
		}
	}
	return out
}

// clientFrom returns a client whose connections leave from the loopback address
// ip, so that each endpoint's requests have their own rate-limit budget.
func clientFrom(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DialContext: d.DialContext}}
}

// reply is an answer of the server.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func send(t *testing.T, c *http.Client, method, url, token string, body []byte) reply {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		t.Fatal(err)
	}
	return reply{resp.StatusCode, resp.Header, data}
}

// endpoint is a write route of the running service with a body that reaches its
// tenant check (well-formed, so that a refusal is about who asks, not what).
type endpoint struct {
	name, path string
	action     string // the token action it needs
	body       []byte
	// crossTenant is the status of another tenant's admin token; 0 when the
	// route acts on no tenant's resource (publication, creating one's own token).
	crossTenant int
}

func matrixEndpoints(in *instance, credentialID, victimToken string) []endpoint {
	did := in.did
	credential := fmt.Sprintf(`{"credential":{"@context":["https://www.w3.org/ns/credentials/v2"],
		"type":["VerifiableCredential"],"credentialSubject":{"id":%q}}}`, did)
	scope := fmt.Sprintf(`{"agent":%q,"validitySeconds":3600,"delegator":{"id":"did:web:acme.example"},
		"grants":[{"actions":["payments:create"]}]}`, did)
	parts := strings.Split(did, ":")
	compliance := fmt.Sprintf(`{"agent":%q,"claims":{"frameworks":{"euAiAct":{"riskClass":"limited","article12Logging":true}},
		"modelProvenance":{"modelDigest":%q,"promptDigest":%q},"assessor":{"id":"did:web:assessor.example"},
		"assessmentDate":"2026-01-10T09:00:00Z","evidence":[{"type":["KakuninAuditLogEvidence"],
		"log":"https://kakunin.example.com/log","checkpoint":{"origin":"kakunin.example.com/log","treeSize":8,
		"rootHash":"RzIJh/mknVsAEZuWDyR6lWdz9XVDmCuL/LbaW7Ov2e8="},"inclusionProof":{"leafIndex":7,
		"leafHash":"n5EWH0NDPkmm3m22gNefYBWfLkrJFyYhoShGQoFYRAs="}}]}}`, did, parts[2], parts[3])
	status := fmt.Sprintf(`{"credentialId":%q,"status":true,
		"credentialStatus":{"type":"BitstringStatusListEntry","statusPurpose":"suspension"}}`, credentialID)
	return []endpoint{
		{"CA enroll", "/ca/owners/demo/enroll", auth.ActionEnroll, []byte(`{"csr":"x"}`), http.StatusForbidden},
		{"CA renew", "/ca/owners/demo/renew", auth.ActionRenew,
			[]byte(`{"serialNumber":"01","csr":"x","time":"2026-01-01T00:00:00Z","signature":"AA"}`), http.StatusForbidden},
		{"CA revoke", "/ca/owners/demo/revoke", auth.ActionRevoke, []byte(`{"serialNumber":"01"}`), http.StatusForbidden},
		// An unknown reason would stop the request before the CA; cessationOfOperation
		// lets the tenant check decide.
		{"CA deactivate", "/ca/dids/" + did + "/deactivate", auth.ActionDeactivate,
			[]byte(`{"reason":"cessationOfOperation"}`), http.StatusForbidden},
		{"CA publish", "/ca/publish", auth.ActionPublish, []byte(`{"chain":"x"}`), 0},
		{"VC issue", "/credentials/issue", auth.ActionIssue, []byte(credential), http.StatusForbidden},
		{"VC issue/scope", "/credentials/issue/scope", auth.ActionIssue, []byte(scope), http.StatusForbidden},
		{"VC issue/compliance", "/credentials/issue/compliance", auth.ActionIssue, []byte(compliance), http.StatusForbidden},
		{"VC status", "/credentials/status", auth.ActionStatus, []byte(status), http.StatusForbidden},
		{"token create", "/auth/tokens", auth.ActionAdmin, []byte(`{"actions":["issue"]}`), 0},
		{"token revoke", "/auth/tokens/" + victimToken + "/revoke", auth.ActionAdmin, []byte(`{}`), http.StatusNotFound},
	}
}

// TestAuthMatrix sends every write route of the running service the credentials
// that must be refused (none, malformed, another tenant's, expired, without the
// action, revoked) and checks the status, the RFC 9457 problem, the Bearer
// challenge of 401s, and that no answer or log line reveals a token secret or
// another tenant's tokens; token listing shows only the caller's tenant.
func TestAuthMatrix(t *testing.T) {
	dir := t.TempDir()
	dsn := filepath.Join(dir, "kakunin.db")
	grants := map[string]auth.Grant{
		"admin":   {TenantID: defaultTenant, AllOwners: true, Actions: []string{auth.ActionAdmin}},
		"victim":  {TenantID: defaultTenant, Actions: []string{auth.ActionIssue}},
		"other":   {TenantID: matrixTenant, AllOwners: true, Actions: []string{auth.ActionAdmin}},
		"expired": {TenantID: defaultTenant, AllOwners: true, Actions: []string{auth.ActionAdmin}, Expires: time.Now().Add(-time.Hour)},
		"revoked": {TenantID: defaultTenant, AllOwners: true, Actions: []string{auth.ActionAdmin}},
	}
	for _, a := range auth.Actions() {
		grants["without "+a] = auth.Grant{TenantID: defaultTenant, AllOwners: true, Actions: allBut(a)}
	}
	toks := seedTokens(t, dsn, grants, map[string]time.Time{"expired": time.Now().Add(-2 * time.Hour)}, "revoked")
	in := startServe(t, "--addr", "127.0.0.1:0", "--data-dir", dir, "--db", dsn, "--log-level", "debug")
	var once sync.Once
	stop := func() {
		once.Do(func() {
			if err := in.stop(); err != nil {
				t.Errorf("shutdown: %v", err)
			}
		})
	}
	defer stop()
	if in.did == "" {
		t.Fatalf("no demo DID in:\n%s", in.out)
	}
	setup := clientFrom("127.0.0.2")
	credentialID := "urn:uuid:5a0c2f7e-3b9d-4e61-8f0a-2d7c6b1e9a44"
	issue := fmt.Sprintf(`{"credential":{"@context":["https://www.w3.org/ns/credentials/v2"],
		"type":["VerifiableCredential"],"credentialSubject":{"id":%q}},"options":{"credentialId":%q}}`, in.did, credentialID)
	if r := send(t, setup, http.MethodPost, in.base+"/credentials/issue", toks["admin"].text, []byte(issue)); r.status != http.StatusCreated {
		t.Fatalf("setup issuance: %d %s", r.status, r.body)
	}

	cases := []struct {
		name  string
		token func(e endpoint) string
		want  func(e endpoint) int
	}{
		{"no credentials", func(endpoint) string { return "" }, fixed(http.StatusUnauthorized)},
		{"malformed token", func(endpoint) string { return "kak_not-a-token" }, fixed(http.StatusUnauthorized)},
		{"another tenant", func(endpoint) string { return toks["other"].text }, func(e endpoint) int { return e.crossTenant }},
		{"expired token", func(endpoint) string { return toks["expired"].text }, fixed(http.StatusUnauthorized)},
		{"without the action", func(e endpoint) string { return toks["without "+e.action].text }, fixed(http.StatusForbidden)},
		{"revoked token", func(endpoint) string { return toks["revoked"].text }, fixed(http.StatusUnauthorized)},
	}
	var answers [][]byte
	for i, e := range matrixEndpoints(in, credentialID, toks["victim"].id) {
		client := clientFrom(fmt.Sprintf("127.0.0.%d", 10+i))
		for _, tc := range cases {
			want := tc.want(e)
			if want == 0 {
				continue
			}
			t.Run(e.name+"/"+tc.name, func(t *testing.T) {
				r := send(t, client, http.MethodPost, in.base+e.path, tc.token(e), e.body)
				answers = append(answers, r.body)
				checkRefusal(t, r, want)
				if tc.name == "another tenant" {
					checkForeign(t, r.body, toks, matrixTenant)
				}
			})
		}
	}
	checkListing(t, setup, in, toks)
	subject := checkIdempotentIssue(t, setup, in, toks)
	stop()
	checkCredentialCount(t, dsn, subject, 2)
	for name, tok := range toks {
		if strings.Contains(in.logs.String(), tok.secret()) || strings.Contains(in.out.String(), tok.secret()) {
			t.Errorf("the secret of token %q is in the logs", name)
		}
		for _, a := range answers {
			if bytes.Contains(a, []byte(tok.secret())) {
				t.Errorf("the secret of token %q is in an answer: %s", name, a)
			}
		}
	}
}

func fixed(status int) func(endpoint) int { return func(endpoint) int { return status } }

// checkRefusal asserts the status, an RFC 9457 problem with that status, and on
// 401 a Bearer challenge (RFC 6750 §3).
func checkRefusal(t *testing.T, r reply, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d, want %d: %s", r.status, want, r.body)
	}
	var p struct {
		Type   string `json:"type"`
		Title  string `json:"title"`
		Status int    `json:"status"`
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Errorf("Content-Type %q, want application/problem+json", ct)
	}
	if err := json.Unmarshal(r.body, &p); err != nil || p.Status != want || p.Type == "" || p.Title == "" {
		t.Errorf("not an RFC 9457 problem with status %d: %s (%v)", want, r.body, err)
	}
	challenge := r.header.Get("WWW-Authenticate")
	if want == http.StatusUnauthorized && !strings.HasPrefix(challenge, "Bearer ") {
		t.Errorf("401 without a Bearer challenge: %q", challenge)
	}
}

// checkForeign asserts that an answer to a token of tenant names no token of
// another tenant.
func checkForeign(t *testing.T, body []byte, toks map[string]seeded, tenant string) {
	t.Helper()
	for name, tok := range toks {
		if tok.tenant == tenant {
			continue
		}
		if bytes.Contains(body, []byte(tok.id)) {
			t.Errorf("the answer names token %q of tenant %s: %s", name, tok.tenant, body)
		}
		if bytes.Contains(body, []byte(`"`+tok.tenant+`"`)) || bytes.Contains(body, []byte(`\"`+tok.tenant+`\"`)) {
			t.Errorf("the answer names tenant %s: %s", tok.tenant, body)
		}
	}
}

// checkListing lists tokens with each tenant's admin token: only that tenant's
// tokens appear, and never a token's text.
func checkListing(t *testing.T, c *http.Client, in *instance, toks map[string]seeded) {
	t.Helper()
	for _, admin := range []string{"admin", "other"} {
		r := send(t, c, http.MethodGet, in.base+"/auth/tokens", toks[admin].text, nil)
		var list struct {
			Tokens []struct {
				ID      string `json:"id"`
				Tenant  string `json:"tenant"`
				Token   string `json:"token"`
				Revoked string `json:"revoked"`
			} `json:"tokens"`
		}
		if err := json.Unmarshal(r.body, &list); r.status != http.StatusOK || err != nil {
			t.Fatalf("list with %s: %d %s", admin, r.status, r.body)
		}
		tenant, n := toks[admin].tenant, 0
		for _, tok := range toks {
			if tok.tenant == tenant {
				n++
			}
		}
		if len(list.Tokens) != n {
			t.Errorf("%s lists %d tokens, want its tenant's %d", admin, len(list.Tokens), n)
		}
		for _, l := range list.Tokens {
			if l.Tenant != tenant || l.Token != "" {
				t.Errorf("%s lists token %s of tenant %s (text shown: %v)", admin, l.ID, l.Tenant, l.Token != "")
			}
			if l.ID == toks["victim"].id && l.Revoked != "" {
				t.Errorf("another tenant revoked token %s", l.ID)
			}
		}
		checkForeign(t, r.body, toks, tenant)
	}
}

// checkIdempotentIssue retries an issuance with an Idempotency-Key on the SQL
// store: the retry is the first answer replayed (a second issuance of the same
// credentialId would be a 409), another body under the key is a 422 problem, and
// another tenant's request with the same key is its own issuance.
func checkIdempotentIssue(t *testing.T, c *http.Client, in *instance, toks map[string]seeded) string {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	subject, err := key.New(pub)
	if err != nil {
		t.Fatal(err)
	}
	body := func(id string) []byte {
		return fmt.Appendf(nil, `{"credential":{"@context":["https://www.w3.org/ns/credentials/v2"],
			"type":["VerifiableCredential"],"credentialSubject":{"id":%q}},"options":{"credentialId":%q}}`, subject, id)
	}
	post := func(token string, b []byte) reply {
		req, err := http.NewRequest(http.MethodPost, in.base+"/credentials/issue", bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set(idempotency.Header, "matrix-retry")
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		return reply{resp.StatusCode, resp.Header, data}
	}
	first := post(toks["admin"].text, body("urn:uuid:idem-1"))
	again := post(toks["admin"].text, body("urn:uuid:idem-1"))
	if first.status != http.StatusCreated || again.status != http.StatusCreated || !bytes.Equal(first.body, again.body) ||
		again.header.Get(idempotency.ReplayedHeader) != "true" {
		t.Fatalf("retried issuance: %d %s / %d %s", first.status, first.body, again.status, again.body)
	}
	checkRefusal(t, post(toks["admin"].text, body("urn:uuid:idem-2")), http.StatusUnprocessableEntity)
	other := post(toks["other"].text, body("urn:uuid:idem-3"))
	if other.status != http.StatusCreated || other.header.Get(idempotency.ReplayedHeader) != "" {
		t.Fatalf("another tenant's key: %d %s", other.status, other.body)
	}
	return subject.String()
}

// checkCredentialCount asserts how many credentials the store holds for subject.
func checkCredentialCount(t *testing.T, dsn, subject string, want int) {
	t.Helper()
	db, err := backend.Open(context.Background(), dsn, backend.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	recs, err := db.(store.CredentialReader).CredentialsBySubject(context.Background(), subject)
	if err != nil || len(recs) != want {
		t.Fatalf("%d credentials of %s (%v), want %d", len(recs), subject, err, want)
	}
}
