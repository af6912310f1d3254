package resolver

import (
	"context"
	"encoding/json/jsontext"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/did/key"
)

const (
	exDID  = "did:example:123"
	didKey = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
	mk     = "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
)

// fakeMethod is a did:example resolver whose answers the tests set.
type fakeMethod struct {
	mu        sync.Mutex
	calls     int
	meta      did.DocumentMetadata
	docID     string // document id; default the DID
	err       error
	onResolve func()
}

// MethodOptions names the method options the tests pass.
func (f *fakeMethod) MethodOptions() []string { return []string{"x509chain", "x"} }

func (f *fakeMethod) Resolve(_ context.Context, id string, opts did.ResolutionOptions) (*did.ResolutionResult, error) {
	f.mu.Lock()
	f.calls++
	meta, docID, err, hook := f.meta, f.docID, f.err, f.onResolve
	f.mu.Unlock()
	if hook != nil {
		hook()
	}
	if docID == "" {
		docID = id
	}
	res := &did.ResolutionResult{DIDDocument: exampleDoc(docID), DIDDocumentMetadata: meta}
	if opts.VersionID != "" {
		res.DIDDocumentMetadata.VersionID = opts.VersionID
	}
	if err != nil {
		return res, err
	}
	return res, nil
}

func (f *fakeMethod) Calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

func exampleDoc(id string) *did.Document {
	return &did.Document{
		ID: id,
		VerificationMethod: []did.VerificationMethod{
			{ID: "#key-1", Type: did.TypeMultikey, Controller: id, PublicKeyMultibase: mk},
			{ID: id + "#key-2", Type: did.TypeMultikey, Controller: id, PublicKeyMultibase: mk},
		},
		AssertionMethod: []did.MethodRef{{Ref: "#key-1"}},
		Service: []did.Service{
			{ID: "#files", Type: []string{"FileService"}, ServiceEndpoint: []did.Endpoint{{URI: "https://example.com/files/"}}},
			{ID: id + "#messages", Type: []string{"DIDCommMessaging"}, ServiceEndpoint: []did.Endpoint{{URI: "https://example.com/messages/8377464"}}},
			{ID: "#map", Type: []string{"FileService"}, ServiceEndpoint: []did.Endpoint{{Map: jsontext.Value(`{"uri":"x"}`)}}},
		},
	}
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newTestRegistry(t *testing.T, f *fakeMethod, opts ...Option) *Registry {
	t.Helper()
	r := New(opts...)
	if err := r.Register("example", f); err != nil {
		t.Fatal(err)
	}
	if err := r.Register("key", key.Resolver{}); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRegister(t *testing.T) {
	r := New()
	if err := r.Register("key", key.Resolver{}); err != nil {
		t.Fatal(err)
	}
	if err := r.Register("key", key.Resolver{}); !errors.Is(err, ErrDuplicateMethod) {
		t.Errorf("duplicate: %v", err)
	}
	for _, bad := range []string{"", "Key", "a:b", "x y"} {
		if err := r.Register(bad, key.Resolver{}); !errors.Is(err, ErrInvalidMethodName) {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if got := r.Methods(); len(got) != 1 || got[0] != "key" {
		t.Errorf("Methods() = %v", got)
	}
}

func TestResolveErrors(t *testing.T) {
	f := &fakeMethod{}
	r := newTestRegistry(t, f)
	both := did.ResolutionOptions{VersionID: "1", VersionTime: time.Unix(0, 0)}
	cases := []struct {
		name string
		id   string
		opts did.ResolutionOptions
		want error
	}{
		{"invalid DID", "did:Example:1", did.ResolutionOptions{}, did.ErrInvalidDID},
		{"DID URL is not a DID", exDID + "#key-1", did.ResolutionOptions{}, did.ErrInvalidDID},
		{"unknown method", "did:nope:1", did.ResolutionOptions{}, did.ErrMethodNotSupported},
		{"representation", exDID, did.ResolutionOptions{Accept: "text/html"}, did.ErrRepresentationNotSupported},
		{"versionId and versionTime", exDID, both, did.ErrInvalidOptions},
		{"bad did:key", "did:key:z6Mk", did.ResolutionOptions{}, did.ErrInvalidDID},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := r.Resolve(t.Context(), c.id, c.opts)
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			if res == nil || res.DIDDocument != nil || res.DIDResolutionMetadata.Error == nil ||
				res.DIDResolutionMetadata.Error.Type != c.want.(*did.ErrorKind).Type() {
				t.Errorf("result = %+v", res)
			}
		})
	}
}

func TestResolveChecksMethodResult(t *testing.T) {
	cases := []struct {
		name string
		f    *fakeMethod
		want error
	}{
		{"id mismatch", &fakeMethod{docID: "did:example:other"}, ErrIDMismatch},
		{"canonicalId of another method", &fakeMethod{meta: did.DocumentMetadata{CanonicalID: "did:other:1"}}, ErrBadCanonicalID},
		{"method error without kind", &fakeMethod{err: errors.New("boom")}, did.ErrInternal},
		{"deadline", &fakeMethod{err: context.DeadlineExceeded}, context.DeadlineExceeded},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newTestRegistry(t, c.f)
			res, err := r.Resolve(t.Context(), exDID, did.ResolutionOptions{})
			if !errors.Is(err, c.want) || res.DIDDocument != nil || res.DIDResolutionMetadata.Error == nil {
				t.Fatalf("err = %v, res = %+v", err, res)
			}
		})
	}
	t.Run("canonicalId as document id", func(t *testing.T) {
		f := &fakeMethod{docID: "did:example:ABC", meta: did.DocumentMetadata{CanonicalID: "did:example:ABC"}}
		if _, err := newTestRegistry(t, f).Resolve(t.Context(), "did:example:abc", did.ResolutionOptions{}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestResolveRepresentations(t *testing.T) {
	r := newTestRegistry(t, &fakeMethod{})
	cases := []struct{ accept, contentType, context string }{
		{"", did.MediaTypeDID, did.ContextV1_1},
		{did.MediaTypeDID, did.MediaTypeDID, did.ContextV1_1},
		{did.MediaTypeDIDLDJSON, did.MediaTypeDIDLDJSON, did.ContextV1},
		{did.MediaTypeDIDJSON, did.MediaTypeDIDJSON, ""},
		{"text/html;q=0.9, application/did", did.MediaTypeDID, did.ContextV1_1},
	}
	for _, c := range cases {
		t.Run(c.accept, func(t *testing.T) {
			res, err := r.Resolve(t.Context(), didKey, did.ResolutionOptions{Accept: c.accept})
			if err != nil {
				t.Fatal(err)
			}
			if res.DIDResolutionMetadata.ContentType != c.contentType {
				t.Errorf("contentType = %q", res.DIDResolutionMetadata.ContentType)
			}
			ctx := res.DIDDocument.Context
			if c.context == "" && len(ctx) != 0 || c.context != "" && (len(ctx) == 0 || ctx[0] != c.context) {
				t.Errorf("@context = %v", ctx)
			}
		})
	}
}

func TestExpandRelativeURLs(t *testing.T) {
	r := newTestRegistry(t, &fakeMethod{}, WithCache(NewCache(CacheConfig{})))
	res, err := r.Resolve(t.Context(), exDID, did.ResolutionOptions{ExpandRelativeURLs: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.DIDDocument.VerificationMethod[0].ID; got != exDID+"#key-1" {
		t.Errorf("id = %q", got)
	}
	if got := res.DIDDocument.AssertionMethod[0].Ref; got != exDID+"#key-1" {
		t.Errorf("ref = %q", got)
	}
	// The cached copy is untouched.
	res, _ = r.Resolve(t.Context(), exDID, did.ResolutionOptions{})
	if got := res.DIDDocument.VerificationMethod[0].ID; got != "#key-1" {
		t.Errorf("cached document changed: %q", got)
	}
}

func TestResolveDeactivated(t *testing.T) {
	for _, f := range []*fakeMethod{
		{err: did.ErrDeactivated, meta: did.DocumentMetadata{Deactivated: true}},
		{meta: did.DocumentMetadata{Deactivated: true}}, // reported in metadata only
	} {
		r := newTestRegistry(t, f, WithCache(NewCache(CacheConfig{})))
		for range 2 {
			res, err := r.Resolve(t.Context(), exDID, did.ResolutionOptions{})
			if !errors.Is(err, did.ErrDeactivated) || !res.DIDDocumentMetadata.Deactivated || res.DIDResolutionMetadata.Error != nil {
				t.Fatalf("err = %v, res = %+v", err, res)
			}
		}
	}
}

// TestMethodOptionsRefused checks DID Resolution § 7.1: an option the method does
// not read gives FEATURE_NOT_SUPPORTED, before the method is called.
func TestMethodOptionsRefused(t *testing.T) {
	f := &fakeMethod{}
	r := New()
	if err := r.Register("example", f); err != nil {
		t.Fatal(err)
	}
	if err := r.Register("plain", onlyResolve{f}); err != nil {
		t.Fatal(err)
	}
	opt := func(name string) did.ResolutionOptions {
		return did.ResolutionOptions{Method: map[string]jsontext.Value{name: jsontext.Value(`"v"`)}}
	}
	for _, c := range []struct {
		id   string
		opts did.ResolutionOptions
	}{{exDID, opt("unknown")}, {"did:plain:1", opt("x")}} {
		res, err := r.Resolve(t.Context(), c.id, c.opts)
		if !errors.Is(err, did.ErrFeatureNotSupported) || res.DIDResolutionMetadata.Error == nil {
			t.Errorf("%s %v: %v", c.id, c.opts.Method, err)
		}
	}
	if f.Calls() != 0 {
		t.Fatalf("the method was called %d times", f.Calls())
	}
	if _, err := r.Resolve(t.Context(), exDID, opt("x")); err != nil {
		t.Fatalf("an option the method reads: %v", err)
	}
}

// onlyResolve hides every method of its resolver but Resolve.
type onlyResolve struct{ next did.Resolver }

func (o onlyResolve) Resolve(ctx context.Context, id string, opts did.ResolutionOptions) (*did.ResolutionResult, error) {
	return o.next.Resolve(ctx, id, opts)
}
