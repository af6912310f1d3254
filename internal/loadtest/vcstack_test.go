package loadtest

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/kakunin-dev/kakunin/did/key"
	"github.com/kakunin-dev/kakunin/internal/pgtest"
	"github.com/kakunin-dev/kakunin/resolver"
	"github.com/kakunin-dev/kakunin/server"
	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/backend"
	"github.com/kakunin-dev/kakunin/vc/issuer"
	"github.com/kakunin-dev/kakunin/vc/status"
	"github.com/kakunin-dev/kakunin/vc/vcapi"
	"github.com/kakunin-dev/kakunin/vc/verifier"
)

// The VC stack is built as cmd/kakunin's issuer role builds it (wire_issuer.go):
// the store that backend.Open opens (durable commits, group commit), the SQL
// issuer store, an Ed25519 did:key instance signing eddsa-rdfc-2022, a verifier
// reading this issuer's status lists from the store without a cache, the VC API
// behind server.New with its rate limits off, served on 127.0.0.1.
const (
	vcToken   = "load-token"
	vcBaseURL = "https://issuer.example"
)

// vcCaller is who the token authenticates, and who issues and revokes directly.
var vcCaller = issuer.Caller{ID: "load", Tenant: "load", Operator: true}

// vcSubject is the did:key the credentials are issued to.
const vcSubject = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"

// vcCredential is the issuance request: a small VC 2.0 credential without id,
// issuer or dates, which the issuer completes.
var (
	vcUnsigned = []byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],` +
		`"type":["VerifiableCredential"],"credentialSubject":{"id":"` + vcSubject + `"}}`)
	vcCredential = []byte(`{"credential":` + string(vcUnsigned) + `}`)
)

// vcBackend is a store the scenarios run on: a DSN for backend.Open, made per test.
type vcBackend struct {
	name string
	dsn  func(t *testing.T) string
}

var vcBackends = []vcBackend{
	{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "kakunin.db") }},
	{"postgres", postgresSchema},
}

// postgresSchema returns the URL of a fresh schema, dropped when the test ends, of
// the server KAKUNIN_TEST_POSTGRES names; the test is skipped when it is unset.
func postgresSchema(t *testing.T) string {
	t.Helper()
	return pgtest.Schema(t, "kakunin_load")
}

// vcStack is a served VC API and the issuer behind it.
type vcStack struct {
	base   string
	issuer *issuer.Issuer
}

// startVC serves the VC stack over the store dsn names until the test ends.
func startVC(t *testing.T, dsn string) *vcStack {
	t.Helper()
	ctx := context.Background()
	db, err := backend.Open(ctx, dsn, backend.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	is, v := vcIssuer(t, db)
	auth := vcapi.StaticTokens{vcToken: {Caller: vcCaller, Instances: []string{"*"}}}
	h, err := vcapi.New(is, v, auth, vcapi.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := server.New(server.Config{
		Logger:    slog.New(slog.NewJSONHandler(io.Discard, nil)), // log records are formatted, then dropped
		RateLimit: server.RateLimitConfig{Read: server.Unlimited, Write: server.Unlimited},
	}, h)
	return &vcStack{base: serve(t, s.Handler()), issuer: is}
}

// vcIssuer builds the issuer and verifier over db, as wire_issuer.go does.
func vcIssuer(t *testing.T, db store.DB) (*issuer.Issuer, *verifier.Verifier) {
	t.Helper()
	reg := resolver.New(resolver.WithCache(resolver.NewCache(resolver.CacheConfig{})))
	if err := reg.Register("key", key.Resolver{}); err != nil {
		t.Fatal(err)
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	id, err := key.New(priv.Public())
	if err != nil {
		t.Fatal(err)
	}
	st, err := issuer.NewSQLStore(db)
	if err != nil {
		t.Fatal(err)
	}
	did := id.String()
	is, err := issuer.New(issuer.Config{Store: st, Resolver: reg, BaseURL: vcBaseURL},
		issuer.Instance{Name: "default", DID: did, VerificationMethod: did + "#" + strings.TrimPrefix(did, "did:key:"),
			Signer: priv})
	if err != nil {
		t.Fatal(err)
	}
	v, err := verifier.New(verifier.Config{Resolver: reg, Status: is.Fetcher(&status.HTTPFetcher{}),
		StatusOptions: status.Options{CacheBytes: -1}, JOSEAnyKeyType: true})
	if err != nil {
		t.Fatal(err)
	}
	return is, v
}

// issueRequest POSTs vcCredential to /credentials/issue; an answer is good when it
// is a 201 with a credential carrying a proof and two status entries.
func (s *vcStack) issueRequest(t *testing.T, c *http.Client) Request {
	t.Helper()
	h := http.Header{"Authorization": {"Bearer " + vcToken}}
	do, err := Post(c, s.base+"/credentials/issue", h, func() []byte { return vcCredential }, issuedOK)
	if err != nil {
		t.Fatal(err)
	}
	return do
}

func issuedOK(status int, body []byte) bool {
	var out struct {
		VerifiableCredential struct {
			Proof            map[string]any   `json:"proof"`
			CredentialStatus []map[string]any `json:"credentialStatus"`
		} `json:"verifiableCredential"`
	}
	return status == http.StatusCreated && json.Unmarshal(body, &out) == nil &&
		out.VerifiableCredential.Proof["cryptosuite"] == "eddsa-rdfc-2022" &&
		len(out.VerifiableCredential.CredentialStatus) == 2
}

// verifyRequest POSTs the credentials, in turn, to /credentials/verify; an answer is
// good when it is a 200 saying verified.
func (s *vcStack) verifyRequest(t *testing.T, c *http.Client, creds []json.RawMessage) Request {
	t.Helper()
	bodies := make([][]byte, len(creds))
	for i, vc := range creds {
		b, err := json.Marshal(map[string]any{"verifiableCredential": vc})
		if err != nil {
			t.Fatal(err)
		}
		bodies[i] = b
	}
	var n atomic.Uint64
	next := func() []byte { return bodies[(n.Add(1)-1)%uint64(len(bodies))] }
	do, err := Post(c, s.base+"/credentials/verify", nil, next, verifiedOK)
	if err != nil {
		t.Fatal(err)
	}
	return do
}

func verifiedOK(status int, body []byte) bool {
	var out struct {
		Verified bool `json:"verified"`
	}
	return status == http.StatusOK && json.Unmarshal(body, &out) == nil && out.Verified
}

// preIssue issues n credentials through the issuer (not over HTTP) and returns them.
func (s *vcStack) preIssue(t *testing.T, n int) []json.RawMessage {
	t.Helper()
	out := make([]json.RawMessage, n)
	for i := range out {
		iss, err := s.issuer.Issue(context.Background(), issuer.IssueRequest{Credential: vcUnsigned, Caller: vcCaller})
		if err != nil {
			t.Fatal(fmt.Errorf("pre-issue %d: %w", i, err))
		}
		out[i] = iss.VerifiableCredential
	}
	return out
}
