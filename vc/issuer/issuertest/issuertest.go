// Package issuertest builds an in-memory issuer with test identities for the tests of the
// issuer, verifier and VC API packages: a did:key instance ("main", Ed25519,
// eddsa-rdfc-2022) and a did:web instance ("web", P-256, ecdsa-rdfc-2019), a resolver that
// knows their DIDs, did:key subjects and configurable did:kakunin subjects, a settable clock
// and an owner authorizer.
package issuertest

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/did/kakunin"
	"github.com/kakunin-dev/kakunin/did/key"
	"github.com/kakunin-dev/kakunin/vc/issuer"
)

// Fixed values of the environment.
const (
	BaseURL = "https://issuer.example"
	WebDID  = "did:web:issuer.example"
	Tenant  = "acme" // owns OwnerKey, and so the did:kakunin agents
)

// Start is the environment's initial time.
var Start = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// Env is a test issuer and its world.
type Env struct {
	Issuer   *issuer.Issuer
	Store    issuer.Store
	Mem      *issuer.MemStore // Store, when New made it
	Resolver *Resolver
	Clock    *Clock
	Main     *issuer.Instance // did:key, Ed25519
	Web      *issuer.Instance // did:web, P-256
	Agent    string           // a did:key agent (resolvable)
	AgentKey ed25519.PrivateKey
	OwnerKey string // the multikey of the owner of the did:kakunin agents
	Caller   issuer.Caller
}

// New returns a fresh environment over a MemStore.
func New(tb testing.TB) *Env {
	tb.Helper()
	mem := &issuer.MemStore{}
	e := NewWithStore(tb, mem)
	e.Mem = mem
	return e
}

// NewWithStore returns a fresh environment over st.
func NewWithStore(tb testing.TB, st issuer.Store) *Env {
	tb.Helper()
	e := &Env{Clock: &Clock{t: Start}, Store: st, Resolver: &Resolver{docs: map[string]*did.ResolutionResult{}, errs: map[string]error{}}}
	e.Caller = issuer.Caller{ID: "client-1", Tenant: Tenant}
	main := ed25519.NewKeyFromSeed(seed("issuer"))
	mainDID := mustKeyDID(tb, main.Public())
	p256 := mustP256(tb)
	e.AgentKey = ed25519.NewKeyFromSeed(seed("agent"))
	e.Agent = mustKeyDID(tb, e.AgentKey.Public())
	owner, err := did.EncodeMultikey(ed25519.NewKeyFromSeed(seed("owner")).Public())
	if err != nil {
		tb.Fatal(err)
	}
	e.OwnerKey = owner
	insts := []issuer.Instance{
		{Name: "main", DID: mainDID, VerificationMethod: mainDID + "#" + mainDID[len("did:key:"):], Signer: main,
			AllowedScopes: []string{"payments:*", "crm.*:read", "mcp:github/*"}, MaxValidity: 90 * 24 * time.Hour},
		{Name: "web", DID: WebDID, VerificationMethod: WebDID + "#key-1", Signer: p256, Cryptosuite: "ecdsa-rdfc-2019"},
	}
	e.Issuer, err = issuer.New(issuer.Config{
		Store: e.Store, Resolver: e.Resolver, BaseURL: BaseURL, Now: e.Clock.Now,
		Authorizer: issuer.AuthorizerFunc(func(_ context.Context, c issuer.Caller, ownerKey string) error {
			if c.Tenant == Tenant && ownerKey == e.OwnerKey {
				return nil
			}
			return errors.New("not the owner")
		}),
	}, insts...)
	if err != nil {
		tb.Fatal(err)
	}
	e.Main, _ = e.Issuer.Instance("main")
	e.Web, _ = e.Issuer.Instance("web")
	doc, err := e.Web.DIDDocument()
	if err != nil {
		tb.Fatal(err)
	}
	e.Resolver.Set(WebDID, doc)
	return e
}

// KakuninAgent returns a did:kakunin of the owner OwnerKey (or of another owner when
// foreign), resolving to a document with one verification method.
func (e *Env) KakuninAgent(tb testing.TB, name string, foreign bool) string {
	tb.Helper()
	owner := e.OwnerKey
	if foreign {
		var err error
		if owner, err = did.EncodeMultikey(ed25519.NewKeyFromSeed(seed("other-owner")).Public()); err != nil {
			tb.Fatal(err)
		}
	}
	m, p := sha256.Sum256([]byte("model "+name)), sha256.Sum256([]byte("prompt "+name))
	id := "did:kakunin:" + hex.EncodeToString(m[:]) + ":" + hex.EncodeToString(p[:]) + ":" + owner
	vm, err := did.NewMultikeyMethod(id+"#cert-1", id, ed25519.NewKeyFromSeed(seed(name)).Public())
	if err != nil {
		tb.Fatal(err)
	}
	e.Resolver.Set(id, &did.Document{ID: id, VerificationMethod: []did.VerificationMethod{vm},
		AssertionMethod: []did.MethodRef{{Ref: vm.ID}}, Authentication: []did.MethodRef{{Ref: vm.ID}}})
	return id
}

// Credential returns an unsigned VC 2.0 credential about subject.
func Credential(subject string) []byte {
	b, _ := json.Marshal(map[string]any{
		"@context":          []any{"https://www.w3.org/ns/credentials/v2"},
		"type":              []any{"VerifiableCredential"},
		"name":              "Example credential",
		"description":       "A credential whose terms the base context defines.",
		"credentialSubject": map[string]any{"id": subject},
	})
	return b
}

// Clock is a settable clock.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Resolver resolves did:key DIDs itself and other DIDs from what Set, Deactivate and Fail
// recorded.
type Resolver struct {
	mu   sync.Mutex
	docs map[string]*did.ResolutionResult
	errs map[string]error
}

// Set makes id resolve to doc.
func (r *Resolver) Set(id string, doc *did.Document) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.docs[id] = &did.ResolutionResult{DIDDocument: doc}
	delete(r.errs, id)
}

// Deactivate makes id resolve as deactivated.
func (r *Resolver) Deactivate(id string) {
	r.Fail(id, did.ErrDeactivated)
}

// Fail makes the resolution of id fail with err.
func (r *Resolver) Fail(id string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs[id] = err
}

// Resolve implements did.Resolver.
func (r *Resolver) Resolve(ctx context.Context, id string, opts did.ResolutionOptions) (*did.ResolutionResult, error) {
	r.mu.Lock()
	res, err := r.docs[id], r.errs[id]
	r.mu.Unlock()
	switch {
	case err != nil:
		out := did.ErrorResult(err)
		out.DIDDocumentMetadata.Deactivated = errors.Is(err, did.ErrDeactivated)
		return out, err
	case res != nil:
		return res, nil
	case len(id) > 8 && id[:8] == "did:key:":
		return key.Resolver{}.Resolve(ctx, id, opts)
	}
	return did.ErrorResult(did.ErrNotFound), fmt.Errorf("%w: %s", did.ErrNotFound, id)
}

func seed(name string) []byte {
	s := sha256.Sum256([]byte("issuertest " + name))
	return s[:]
}

func mustKeyDID(tb testing.TB, pub crypto.PublicKey) string {
	d, err := key.New(pub)
	if err != nil {
		tb.Fatal(err)
	}
	return d.String()
}

// mustP256 derives a P-256 key deterministically from a seeded stream.
func mustP256(tb testing.TB) crypto.Signer {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.NewChaCha8([32]byte(seed("p256"))))
	if err != nil {
		tb.Fatal(err)
	}
	return k
}

// NoCertificateDocument is the document did/kakunin derives for the did:kakunin id when none
// of its certificates is valid: #owner alone, for capabilityInvocation (spec/did-kakunin.md
// §7.4, §9.1). Subject checks must treat it as an agent without a valid certificate.
func NoCertificateDocument(tb testing.TB, id string) *did.Document {
	tb.Helper()
	kid, err := kakunin.Parse(id)
	if err != nil {
		tb.Fatal(err)
	}
	doc, err := kakunin.DeriveDocument(kid, nil, kakunin.DocumentOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	if len(doc.VerificationMethod) != 1 || len(doc.CapabilityInvocation) != 1 {
		tb.Fatalf("derived document without certificates: %+v", doc)
	}
	return doc
}
