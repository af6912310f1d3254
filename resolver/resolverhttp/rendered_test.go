package resolverhttp

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/did/jwk"
	"github.com/kakunin-dev/kakunin/did/key"
	"github.com/kakunin-dev/kakunin/resolver"
	"github.com/kakunin-dev/kakunin/server"
)

// plain hides the rendering capability of a Registry, so that the handler renders
// every answer, as it does for a Resolver that keeps no renderings.
type plain struct{ Resolver }

// stack serves h as testHandler does.
func stack(h *Handler) http.Handler {
	return server.New(server.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, h).Handler()
}

// renderedAndCold returns the handler of testHandler, answering cached resolutions
// from kept renderings, and one that renders each answer from an uncached registry.
func renderedAndCold(t testing.TB, methods map[string]did.Resolver) (rendered, cold http.Handler, reg *resolver.Registry) {
	t.Helper()
	reg = resolver.New(resolver.WithCache(resolver.NewCache(resolver.CacheConfig{Now: func() time.Time { return now }})))
	uncached := resolver.New()
	for m, r := range methods {
		if err := reg.Register(m, r); err != nil {
			t.Fatal(err)
		}
		if err := uncached.Register(m, r); err != nil {
			t.Fatal(err)
		}
	}
	cfg := Config{Now: func() time.Time { return now }}
	return stack(New(reg, cfg)), stack(New(plain{uncached}, cfg)), reg
}

var testMethods = map[string]did.Resolver{"key": key.Resolver{}, "jwk": jwk.Resolver{}, "example": example{}}

// TestRenderedMatchesCold checks that an answer served from a kept rendering is byte
// for byte, header for header, the answer rendered for the request: for every media
// type, the legacy result, resolution options, and If-None-Match.
func TestRenderedMatchesCold(t *testing.T) {
	rendered, cold, reg := renderedAndCold(t, testMethods)
	accepts := []string{"", "*/*", MediaTypeResolution, LegacyMediaTypeResolution,
		MediaTypeResolution + "," + did.MediaTypeDIDLDJSON, did.MediaTypeDID, did.MediaTypeDIDJSON,
		did.MediaTypeDIDLDJSON, "application/ld+json", "application/json", "APPLICATION/DID;q=0.4, application/did+json;q=0.5"}
	paths := []string{didKey, didJWK, "did:example:1",
		"did%3Aexample%3A1?accept=application%2Fdid%2Bjson",
		"did%3Aexample%3A1?expandRelativeUrls=true",
		"did%3Aexample%3A1?versionId=4",
		"did%3Aexample%3A1?%7B%22versionId%22%3A%225%22%2C%22expandRelativeUrls%22%3Atrue%7D",
		"did%3Aexample%3A1%23key-1", "did%3Aexample%3A1%3FversionId%3D4%23key-1", "did%3Akey%3A" + didKey[8:] + "%23" + didKey[8:]}
	headers := []string{"Content-Type", "Etag", "Cache-Control", "Vary", "Access-Control-Allow-Origin",
		"Access-Control-Expose-Headers", "Location"}
	for _, p := range paths {
		for _, accept := range accepts {
			t.Run(p+" "+accept, func(t *testing.T) {
				path := "/1.0/identifiers/" + p
				want := get(t, cold, path, accept)
				if want.Code != http.StatusOK {
					t.Fatalf("cold: status %d %s", want.Code, want.Body)
				}
				for i := range 2 { // a miss that renders, then a hit
					got := get(t, rendered, path, accept)
					if got.Code != want.Code || !bytes.Equal(got.Body.Bytes(), want.Body.Bytes()) {
						t.Fatalf("request %d: status %d body\n%s\nwant %d\n%s", i, got.Code, got.Body, want.Code, want.Body)
					}
					for _, hd := range headers {
						if g, w := got.Header().Values(hd), want.Header().Values(hd); !slices.Equal(g, w) {
							t.Errorf("request %d: %s = %q, want %q", i, hd, g, w)
						}
					}
				}
				tag := want.Header().Get("ETag")
				if got := get(t, rendered, path, accept, "If-None-Match", tag); got.Code != http.StatusNotModified || got.Body.Len() != 0 {
					t.Errorf("If-None-Match on a kept rendering: status %d", got.Code)
				}
			})
		}
	}
	if _, ok := reg.Rendered(didKey, did.ResolutionOptions{Accept: did.MediaTypeDIDJSON}, did.MediaTypeDIDJSON); !ok {
		t.Error("no rendering kept: the test compared cold renders only")
	}
}

// TestRenderedNoCache checks that noCache=true resolves again and answers no-store
// even when a rendering is kept.
func TestRenderedNoCache(t *testing.T) {
	m := &mutable{}
	m.endpoint.Store("https://one.example/")
	h, _, _ := renderedAndCold(t, map[string]did.Resolver{"example": m})
	get(t, h, "/1.0/identifiers/did:example:1", did.MediaTypeDIDJSON)
	m.endpoint.Store("https://two.example/")
	rec := get(t, h, "/1.0/identifiers/did%3Aexample%3A1?noCache=true", did.MediaTypeDIDJSON)
	if rec.Header().Get("Cache-Control") != "no-store" || !bytes.Contains(rec.Body.Bytes(), []byte("two.example")) {
		t.Fatalf("Cache-Control %q, body %s", rec.Header().Get("Cache-Control"), rec.Body)
	}
}

// mutable is a did:example method whose service endpoint the test changes, as a
// registry's state changes.
type mutable struct{ endpoint atomic.Value }

func (m *mutable) Resolve(_ context.Context, id string, _ did.ResolutionOptions) (*did.ResolutionResult, error) {
	doc := &did.Document{ID: id, Service: []did.Service{{ID: "#s", Type: []string{"X"},
		ServiceEndpoint: []did.Endpoint{{URI: m.endpoint.Load().(string)}}}}}
	return &did.ResolutionResult{DIDDocument: doc, DIDDocumentMetadata: did.DocumentMetadata{NextUpdate: now.Add(time.Minute)}}, nil
}

// TestRenderedInvalidate checks that a kept rendering is served until Invalidate, and
// not after it.
func TestRenderedInvalidate(t *testing.T) {
	m := &mutable{}
	m.endpoint.Store("https://one.example/")
	h, _, reg := renderedAndCold(t, map[string]did.Resolver{"example": m})
	for _, accept := range []string{"", did.MediaTypeDID} {
		get(t, h, "/1.0/identifiers/did:example:1", accept)
	}
	m.endpoint.Store("https://two.example/")
	for _, tc := range []struct {
		name, want string
		before     func()
	}{
		{"cached", "one.example", func() {}},
		{"after Invalidate", "two.example", func() { reg.Invalidate("did:example:1") }},
	} {
		tc.before()
		for _, accept := range []string{"", did.MediaTypeDID} {
			rec := get(t, h, "/1.0/identifiers/did:example:1", accept)
			if !bytes.Contains(rec.Body.Bytes(), []byte(tc.want)) {
				t.Errorf("%s, Accept %q: body %s, want %s", tc.name, accept, rec.Body, tc.want)
			}
		}
	}
}
