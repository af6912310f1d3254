package vcapi_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/did/key"
	"github.com/kakunin-dev/kakunin/server"
	"github.com/kakunin-dev/kakunin/vc/issuer"
	"github.com/kakunin-dev/kakunin/vc/issuer/issuertest"
	"github.com/kakunin-dev/kakunin/vc/vcapi"
	"github.com/kakunin-dev/kakunin/vc/verifier"
)

// webService is a VC API over did:web instances, whose verifier resolves those DIDs from the
// instances' own documents.
type webService struct {
	is      *issuer.Issuer
	handler http.Handler
}

const webTenantToken = "web-token"

func newWebService(t *testing.T, st issuer.Store, basePath string, instances ...issuer.Instance) *webService {
	t.Helper()
	is, err := issuer.New(issuer.Config{Store: st, Resolver: key.Resolver{}, BaseURL: "https://issuer.example" + basePath}, instances...)
	if err != nil {
		t.Fatal(err)
	}
	res := resolverFunc(func(ctx context.Context, id string, opts did.ResolutionOptions) (*did.ResolutionResult, error) {
		for _, in := range is.Instances() {
			if in.DID == id {
				doc, err := in.DIDDocument()
				return &did.ResolutionResult{DIDDocument: doc}, err
			}
		}
		return key.Resolver{}.Resolve(ctx, id, opts)
	})
	v, err := verifier.New(verifier.Config{Resolver: res})
	if err != nil {
		t.Fatal(err)
	}
	auth := vcapi.StaticTokens{webTenantToken: {Caller: issuer.Caller{ID: "c", Tenant: "acme"}, Instances: []string{"*"}}}
	h, err := vcapi.New(is, v, auth, vcapi.Options{BasePath: basePath})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	limits := server.RateLimitConfig{Read: server.Unlimited, Write: server.Unlimited}
	return &webService{is: is, handler: server.New(server.Config{Logger: log, RateLimit: limits}, h).Handler()}
}

type resolverFunc func(ctx context.Context, id string, opts did.ResolutionOptions) (*did.ResolutionResult, error)

func (f resolverFunc) Resolve(ctx context.Context, id string, opts did.ResolutionOptions) (*did.ResolutionResult, error) {
	return f(ctx, id, opts)
}

func (w *webService) do(t *testing.T, method, path string, body any) (int, []byte) {
	t.Helper()
	raw, _ := json.Marshal(body)
	req := httptest.NewRequest(method, path, strings.NewReader(string(raw)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+webTenantToken)
	rec := httptest.NewRecorder()
	w.handler.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

func (w *webService) verified(t *testing.T, vc json.RawMessage) bool {
	t.Helper()
	code, out := w.do(t, http.MethodPost, "/credentials/verify",
		map[string]any{"verifiableCredential": vc, "options": map[string]any{"checks": []string{"proof"}}})
	var r verifyResult
	if err := json.Unmarshal(out, &r); code != http.StatusOK || err != nil {
		t.Fatalf("verify: %d %s", code, out)
	}
	return r.Verified
}

func webInstance(t *testing.T, name, id string, k crypto.Signer, retired ...crypto.PublicKey) issuer.Instance {
	t.Helper()
	mk := func(pub crypto.PublicKey) string {
		s, err := did.EncodeMultikey(pub)
		if err != nil {
			t.Fatal(err)
		}
		return id + "#" + s
	}
	in := issuer.Instance{Name: name, DID: id, VerificationMethod: mk(k.Public()), Signer: k}
	if _, ok := k.(*ecdsa.PrivateKey); ok {
		in.Cryptosuite = "ecdsa-rdfc-2019"
	}
	for _, pub := range retired {
		in.Retired = append(in.Retired, issuer.RetiredMethod{ID: mk(pub), Public: pub})
	}
	return in
}

func newEd25519(t *testing.T) ed25519.PrivateKey {
	_, k, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestDIDWebRotation serves two did:web instances at their paths and shows that a
// credential signed with a key that was then retired verifies while the document lists the
// retired key, and does not once it is dropped.
func TestDIDWebRotation(t *testing.T) {
	old, current := newEd25519(t), newEd25519(t)
	p256, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	const root, pay = "did:web:issuer.example", "did:web:issuer.example:instances:pay"
	st := &issuer.MemStore{}
	agent := mustKeyDID(t)
	before := newWebService(t, st, "", webInstance(t, "default", root, old))
	code, out := before.do(t, http.MethodPost, "/credentials/issue", credentialBody(agent, nil))
	if code != http.StatusCreated {
		t.Fatalf("issue: %d %s", code, out)
	}
	var issued struct{ VerifiableCredential json.RawMessage }
	if err := json.Unmarshal(out, &issued); err != nil {
		t.Fatal(err)
	}

	after := newWebService(t, st, "", webInstance(t, "default", root, current, old.Public()), webInstance(t, "pay", pay, p256))
	if !after.verified(t, issued.VerifiableCredential) {
		t.Error("a credential signed before the rotation does not verify with the retired key listed")
	}
	code, out = after.do(t, http.MethodGet, "/.well-known/did.json", nil)
	doc, err := did.ParseDocument(out)
	if code != http.StatusOK || err != nil || doc.ID != root || len(doc.VerificationMethod) != 2 ||
		len(doc.AssertionMethod) != 2 || len(doc.Authentication) != 1 {
		t.Fatalf("root document: %d %v %s", code, err, out)
	}
	code, out = after.do(t, http.MethodGet, "/instances/pay/did.json", nil)
	if doc, err := did.ParseDocument(out); code != http.StatusOK || err != nil || doc.ID != pay || len(doc.VerificationMethod) != 1 {
		t.Fatalf("pay document: %d %v %s", code, err, out)
	}
	for _, name := range []string{"default", "nobody"} { // the root instance's is at /.well-known
		if code, out := after.do(t, http.MethodGet, "/instances/"+name+"/did.json", nil); code != http.StatusNotFound ||
			!strings.Contains(string(out), `"status":404`) {
			t.Errorf("/instances/%s/did.json: %d %s, want a 404 problem", name, code, out)
		}
	}
	code, out = after.do(t, http.MethodPost, "/instances/pay/credentials/issue", credentialBody(agent, nil))
	var payVC struct {
		VerifiableCredential struct {
			Issuer string         `json:"issuer"`
			Proof  map[string]any `json:"proof"`
		}
	}
	if err := json.Unmarshal(out, &payVC); code != http.StatusCreated || err != nil ||
		payVC.VerifiableCredential.Issuer != pay || payVC.VerifiableCredential.Proof["cryptosuite"] != "ecdsa-rdfc-2019" {
		t.Errorf("pay credential: %d %s", code, out)
	}

	dropped := newWebService(t, st, "", webInstance(t, "default", root, current))
	if dropped.verified(t, issued.VerifiableCredential) {
		t.Error("a credential of a key no longer in the document verifies")
	}
}

// TestDIDWebPaths serves a did:web document under a base path and refuses documents that
// are outside it or that two instances would share.
func TestDIDWebPaths(t *testing.T) {
	k := newEd25519(t)
	ws := newWebService(t, &issuer.MemStore{}, "/kk", webInstance(t, "default", "did:web:issuer.example:kk", k))
	if code, out := ws.do(t, http.MethodGet, "/did.json", nil); code != http.StatusOK || !strings.Contains(string(out), "did:web:issuer.example:kk") {
		t.Errorf("document under the base path: %d %s", code, out)
	}
	if code, _ := ws.do(t, http.MethodGet, "/.well-known/did.json", nil); code != http.StatusNotFound {
		t.Errorf("/.well-known/did.json without a root did:web instance: %d", code)
	}
	v, err := verifier.New(verifier.Config{Resolver: key.Resolver{}})
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string][]issuer.Instance{
		"outside the base path": {webInstance(t, "default", "did:web:issuer.example:other", k)},
		"shared document": {webInstance(t, "default", "did:web:issuer.example:kk", k),
			webInstance(t, "second", "did:web:issuer.example:kk", newEd25519(t))},
	}
	for name, ins := range cases {
		is, err := issuer.New(issuer.Config{Store: &issuer.MemStore{}, Resolver: key.Resolver{}, BaseURL: issuertest.BaseURL}, ins...)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := vcapi.New(is, v, vcapi.StaticTokens{}, vcapi.Options{BasePath: "/kk"}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func mustKeyDID(t *testing.T) string {
	t.Helper()
	d, err := key.New(newEd25519(t).Public())
	if err != nil {
		t.Fatal(err)
	}
	return d.String()
}

// TestRetiredMethodsChecked: issuer.New refuses retired methods on a DID other than did:web,
// outside the DID, or repeating the current method.
func TestRetiredMethodsChecked(t *testing.T) {
	k, old := newEd25519(t), newEd25519(t)
	keyDID, _ := key.New(k.Public())
	web := webInstance(t, "default", "did:web:issuer.example", k)
	cases := map[string]issuer.Instance{
		"did:key": {Name: "default", DID: keyDID.String(), VerificationMethod: keyDID.String() + "#" + keyDID.ID, Signer: k,
			Retired: []issuer.RetiredMethod{{ID: keyDID.String() + "#old", Public: old.Public()}}},
		"outside the DID": func() issuer.Instance {
			in := web
			in.Retired = []issuer.RetiredMethod{{ID: "did:web:other.example#old", Public: old.Public()}}
			return in
		}(),
		"the current method": func() issuer.Instance {
			in := web
			in.Retired = []issuer.RetiredMethod{{ID: in.VerificationMethod, Public: old.Public()}}
			return in
		}(),
		"no key": func() issuer.Instance {
			in := web
			in.Retired = []issuer.RetiredMethod{{ID: in.DID + "#old"}}
			return in
		}(),
	}
	for name, in := range cases {
		if _, err := issuer.New(issuer.Config{Store: &issuer.MemStore{}, Resolver: key.Resolver{}, BaseURL: issuertest.BaseURL}, in); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
