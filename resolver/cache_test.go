package resolver

import (
	"encoding/json/jsontext"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/did"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func cachedRegistry(t *testing.T, f *fakeMethod, size int) (*Registry, *clock) {
	t.Helper()
	clk := &clock{t: t0}
	c := NewCache(CacheConfig{Size: size, MaxAge: time.Hour, Now: clk.Now})
	return newTestRegistry(t, f, WithCache(c)), clk
}

func resolveN(t *testing.T, r *Registry, id string, opts did.ResolutionOptions, n int) {
	t.Helper()
	for range n {
		if _, err := r.Resolve(t.Context(), id, opts); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCacheHonoursNextUpdate(t *testing.T) {
	f := &fakeMethod{meta: did.DocumentMetadata{NextUpdate: t0.Add(10 * time.Second)}}
	r, clk := cachedRegistry(t, f, 10)
	resolveN(t, r, exDID, did.ResolutionOptions{}, 3)
	if f.Calls() != 1 {
		t.Fatalf("calls = %d, want 1", f.Calls())
	}
	clk.Add(9 * time.Second)
	resolveN(t, r, exDID, did.ResolutionOptions{}, 1)
	if f.Calls() != 1 {
		t.Fatalf("served from cache before nextUpdate: calls = %d", f.Calls())
	}
	clk.Add(time.Second) // now == nextUpdate: never served at or past it
	resolveN(t, r, exDID, did.ResolutionOptions{}, 1)
	if f.Calls() != 2 {
		t.Fatalf("calls = %d, want 2", f.Calls())
	}
}

func TestCacheMaxAgeAndStaleResults(t *testing.T) {
	f := &fakeMethod{}
	r, clk := cachedRegistry(t, f, 10)
	resolveN(t, r, exDID, did.ResolutionOptions{}, 2)
	clk.Add(time.Hour)
	resolveN(t, r, exDID, did.ResolutionOptions{}, 1)
	if f.Calls() != 2 {
		t.Fatalf("calls = %d, want 2 (MaxAge)", f.Calls())
	}
	f.meta.NextUpdate = t0 // already past: not stored
	resolveN(t, r, "did:example:stale", did.ResolutionOptions{}, 2)
	if f.Calls() != 4 {
		t.Fatalf("calls = %d, want 4 (stale result cached)", f.Calls())
	}
}

func TestCacheBypass(t *testing.T) {
	cases := []struct {
		name string
		opts did.ResolutionOptions
	}{
		{"noCache", did.ResolutionOptions{NoCache: true}},
		{"method-specific option", did.ResolutionOptions{Method: map[string]jsontext.Value{"x509chain": jsontext.Value(`"abc"`)}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := &fakeMethod{}
			r, _ := cachedRegistry(t, f, 10)
			resolveN(t, r, exDID, c.opts, 3)
			if f.Calls() != 3 {
				t.Fatalf("calls = %d, want 3", f.Calls())
			}
		})
	}
}

func TestCacheKeys(t *testing.T) {
	f := &fakeMethod{}
	r, _ := cachedRegistry(t, f, 10)
	resolveN(t, r, exDID, did.ResolutionOptions{VersionID: "1"}, 2)
	resolveN(t, r, exDID, did.ResolutionOptions{VersionID: "2"}, 2)
	resolveN(t, r, exDID, did.ResolutionOptions{VersionTime: t0}, 2)
	resolveN(t, r, exDID, did.ResolutionOptions{Accept: did.MediaTypeDID}, 1)
	resolveN(t, r, exDID, did.ResolutionOptions{Accept: did.MediaTypeDIDJSON}, 1)
	if f.Calls() != 4 {
		t.Fatalf("calls = %d, want 4 (one per version, representation not in key)", f.Calls())
	}
	res, _ := r.Resolve(t.Context(), exDID, did.ResolutionOptions{VersionID: "2"})
	if res.DIDDocumentMetadata.VersionID != "2" {
		t.Errorf("versionId = %q: served another version's result", res.DIDDocumentMetadata.VersionID)
	}
}

func TestCacheLRU(t *testing.T) {
	f := &fakeMethod{}
	r, _ := cachedRegistry(t, f, 2)
	for _, id := range []string{"did:example:a", "did:example:b", "did:example:a", "did:example:c"} {
		resolveN(t, r, id, did.ResolutionOptions{}, 1)
	}
	if r.cfg.cache.Len() != 2 {
		t.Fatalf("Len = %d", r.cfg.cache.Len())
	}
	before := f.Calls()
	resolveN(t, r, "did:example:a", did.ResolutionOptions{}, 1) // recently used: kept
	resolveN(t, r, "did:example:b", did.ResolutionOptions{}, 1) // least recently used: evicted
	if got := f.Calls() - before; got != 1 {
		t.Fatalf("calls = %d, want 1", got)
	}
}

func TestCacheInvalidate(t *testing.T) {
	f := &fakeMethod{docID: "did:example:abc", meta: did.DocumentMetadata{CanonicalID: "did:example:abc"}}
	r, _ := cachedRegistry(t, f, 10)
	resolveN(t, r, "did:example:ABC", did.ResolutionOptions{}, 1)
	resolveN(t, r, "did:example:abc", did.ResolutionOptions{}, 1)
	resolveN(t, r, "did:example:abc", did.ResolutionOptions{VersionID: "7"}, 1)
	r.Invalidate("did:example:abc") // every spelling whose canonicalId it is, every version
	if n := r.cfg.cache.Len(); n != 0 {
		t.Fatalf("Len after Invalidate = %d", n)
	}
	resolveN(t, r, "did:example:ABC", did.ResolutionOptions{}, 1)
	if f.Calls() != 4 {
		t.Fatalf("calls = %d, want 4", f.Calls())
	}
}

func TestCacheInvalidateDuringResolve(t *testing.T) {
	f := &fakeMethod{}
	r, _ := cachedRegistry(t, f, 10)
	f.onResolve = func() { r.Invalidate(exDID) } // a revocation lands mid-resolution
	resolveN(t, r, exDID, did.ResolutionOptions{}, 1)
	if n := r.cfg.cache.Len(); n != 0 {
		t.Fatalf("result fetched before Invalidate was stored: Len = %d", n)
	}
}

func TestCacheDoesNotKeepErrors(t *testing.T) {
	f := &fakeMethod{err: did.ErrNotFound}
	r, _ := cachedRegistry(t, f, 10)
	for range 2 {
		_, _ = r.Resolve(t.Context(), exDID, did.ResolutionOptions{})
	}
	if f.Calls() != 2 {
		t.Fatalf("calls = %d, want 2", f.Calls())
	}
}

func TestCacheExpiresAt(t *testing.T) {
	clk := &clock{t: t0}
	c := NewCache(CacheConfig{MaxAge: time.Minute, Now: clk.Now})
	res := &did.ResolutionResult{}
	if got := c.ExpiresAt(res); !got.Equal(t0.Add(time.Minute)) {
		t.Errorf("no nextUpdate: %v", got)
	}
	res.DIDDocumentMetadata.NextUpdate = t0.Add(time.Second)
	if got := c.ExpiresAt(res); !got.Equal(t0.Add(time.Second)) {
		t.Errorf("nextUpdate: %v", got)
	}
}
