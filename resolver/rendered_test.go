package resolver

import (
	"encoding/json/jsontext"
	"encoding/json/v2"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/did"
)

// counter renders results as JSON and counts its calls; each rendering's ETag is the
// call number, so tests can tell which call made what they got.
type counter struct{ n int }

func (c *counter) render(res *did.ResolutionResult) (*Rendering, error) {
	c.n++
	b, err := json.Marshal(res)
	return &Rendering{Body: b, ContentType: res.DIDResolutionMetadata.ContentType, ETag: fmt.Sprintf("%08d", c.n)}, err
}

func renderedRegistry(t *testing.T, f *fakeMethod, cfg CacheConfig) (*Registry, *Cache, *clock) {
	t.Helper()
	clk := &clock{t: t0}
	cfg.MaxAge, cfg.Now = time.Hour, clk.Now
	c := NewCache(cfg)
	return newTestRegistry(t, f, WithCache(c)), c, clk
}

// resolveRendered calls ResolveRendered and fails the test on an error.
func resolveRendered(t *testing.T, r *Registry, id string, opts did.ResolutionOptions, view string, c *counter) *Rendering {
	t.Helper()
	out, res, err := r.ResolveRendered(t.Context(), id, opts, view, c.render)
	if err != nil || res != nil || out == nil {
		t.Fatalf("ResolveRendered: %v, %v, %v", out, res, err)
	}
	return out
}

func TestRenderedKeptPerView(t *testing.T) {
	f := &fakeMethod{meta: did.DocumentMetadata{NextUpdate: t0.Add(time.Minute)}}
	r, _, _ := renderedRegistry(t, f, CacheConfig{})
	var c counter
	first := resolveRendered(t, r, exDID, did.ResolutionOptions{}, "v", &c)
	if !first.NextUpdate.Equal(t0.Add(time.Minute)) {
		t.Errorf("NextUpdate = %v", first.NextUpdate)
	}
	for range 3 {
		if got := resolveRendered(t, r, exDID, did.ResolutionOptions{}, "v", &c); got != first {
			t.Fatalf("rendered again: ETag %s", got.ETag)
		}
	}
	if got, ok := r.Rendered(exDID, did.ResolutionOptions{}, "v"); !ok || got != first {
		t.Fatalf("Rendered = %v, %v", got, ok)
	}
	// Each of these renders once, and is then kept beside the others.
	others := []struct {
		name string
		opts did.ResolutionOptions
		view string
	}{
		{"another view", did.ResolutionOptions{}, "w"},
		{"another representation", did.ResolutionOptions{Accept: did.MediaTypeDIDJSON}, "v"},
		{"expanded", did.ResolutionOptions{ExpandRelativeURLs: true}, "v"},
		{"another version", did.ResolutionOptions{VersionID: "2"}, "v"},
	}
	for _, o := range others {
		t.Run(o.name, func(t *testing.T) {
			before := c.n
			a := resolveRendered(t, r, exDID, o.opts, o.view, &c)
			b := resolveRendered(t, r, exDID, o.opts, o.view, &c)
			if c.n != before+1 || a != b || a == first {
				t.Fatalf("renders = %d, want 1; kept %v", c.n-before, a == b)
			}
		})
	}
	if f.Calls() != 2 { // one per version
		t.Errorf("method calls = %d, want 2", f.Calls())
	}
}

func TestRenderedSameAcceptSameRendering(t *testing.T) {
	f := &fakeMethod{}
	r, _, _ := renderedRegistry(t, f, CacheConfig{})
	var c counter
	a := resolveRendered(t, r, exDID, did.ResolutionOptions{}, "v", &c)
	// Accept values that negotiate to the default representation share its rendering.
	for _, accept := range []string{did.MediaTypeDID, "*/*", "text/html, application/did;q=0.9"} {
		if b := resolveRendered(t, r, exDID, did.ResolutionOptions{Accept: accept}, "v", &c); b != a {
			t.Errorf("Accept %q rendered again", accept)
		}
	}
	if _, ok := r.Rendered(exDID, did.ResolutionOptions{Accept: "text/html"}, "v"); ok {
		t.Error("Rendered for an Accept that names no representation")
	}
}

func TestRenderedBypass(t *testing.T) {
	cases := []struct {
		name string
		opts did.ResolutionOptions
	}{
		{"noCache", did.ResolutionOptions{NoCache: true}},
		{"method-specific option", did.ResolutionOptions{Method: map[string]jsontext.Value{"x": jsontext.Value(`"y"`)}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeMethod{}
			r, _, _ := renderedRegistry(t, f, CacheConfig{})
			var c counter
			for range 2 {
				resolveRendered(t, r, exDID, tc.opts, "v", &c)
			}
			if c.n != 2 || f.Calls() != 2 {
				t.Fatalf("renders %d, method calls %d, want 2 and 2", c.n, f.Calls())
			}
			if _, ok := r.Rendered(exDID, tc.opts, "v"); ok {
				t.Fatal("Rendered served a bypassing request")
			}
		})
	}
	t.Run("no cache", func(t *testing.T) {
		r := newTestRegistry(t, &fakeMethod{})
		var c counter
		resolveRendered(t, r, exDID, did.ResolutionOptions{}, "v", &c)
		if _, ok := r.Rendered(exDID, did.ResolutionOptions{}, "v"); ok {
			t.Fatal("Rendered without a cache")
		}
	})
}

func TestRenderedNextUpdate(t *testing.T) {
	f := &fakeMethod{meta: did.DocumentMetadata{NextUpdate: t0.Add(10 * time.Second)}}
	r, _, clk := renderedRegistry(t, f, CacheConfig{})
	var c counter
	resolveRendered(t, r, exDID, did.ResolutionOptions{}, "v", &c)
	clk.Add(9 * time.Second)
	if _, ok := r.Rendered(exDID, did.ResolutionOptions{}, "v"); !ok {
		t.Fatal("dropped before nextUpdate")
	}
	clk.Add(time.Second) // now == nextUpdate: never served at or past it
	if _, ok := r.Rendered(exDID, did.ResolutionOptions{}, "v"); ok {
		t.Fatal("served at nextUpdate")
	}
	resolveRendered(t, r, exDID, did.ResolutionOptions{}, "v", &c)
	if c.n != 2 || f.Calls() != 2 {
		t.Fatalf("renders %d, method calls %d, want 2 and 2", c.n, f.Calls())
	}
}

func TestRenderedInvalidate(t *testing.T) {
	f := &fakeMethod{docID: "did:example:abc", meta: did.DocumentMetadata{CanonicalID: "did:example:abc"}}
	r, cache, _ := renderedRegistry(t, f, CacheConfig{})
	var c counter
	for _, id := range []string{"did:example:ABC", "did:example:abc"} {
		resolveRendered(t, r, id, did.ResolutionOptions{}, "v", &c)
		resolveRendered(t, r, id, did.ResolutionOptions{Accept: did.MediaTypeDID}, "v", &c)
	}
	r.Invalidate("did:example:abc") // every spelling whose canonicalId it is
	for _, id := range []string{"did:example:ABC", "did:example:abc"} {
		if _, ok := r.Rendered(id, did.ResolutionOptions{}, "v"); ok {
			t.Errorf("%s: rendering kept after Invalidate", id)
		}
	}
	if cache.viewBytes != 0 || cache.views.Len() != 0 {
		t.Fatalf("after Invalidate: %d renderings, %d bytes", cache.views.Len(), cache.viewBytes)
	}
}

func TestRenderedInvalidateDuringRender(t *testing.T) {
	f := &fakeMethod{}
	r, cache, _ := renderedRegistry(t, f, CacheConfig{})
	var c counter
	_, _, err := r.ResolveRendered(t.Context(), exDID, did.ResolutionOptions{}, "v",
		func(res *did.ResolutionResult) (*Rendering, error) {
			r.Invalidate(exDID) // a revocation lands while the answer is rendered
			return c.render(res)
		})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := r.Rendered(exDID, did.ResolutionOptions{}, "v"); ok || cache.views.Len() != 0 {
		t.Fatal("kept a rendering of a result invalidated before it was stored")
	}
}

func TestRenderedNotKeptForAReplacedResult(t *testing.T) {
	f := &fakeMethod{}
	r, _, _ := renderedRegistry(t, f, CacheConfig{})
	var c counter
	_, _, err := r.ResolveRendered(t.Context(), exDID, did.ResolutionOptions{}, "v",
		func(res *did.ResolutionResult) (*Rendering, error) {
			// Another request replaces the cached result while this one renders.
			resolveN(t, r, exDID, did.ResolutionOptions{NoCache: true}, 1)
			return c.render(res)
		})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := r.Rendered(exDID, did.ResolutionOptions{}, "v"); ok {
		t.Fatal("kept a rendering beside a result it was not rendered from")
	}
}

func TestRenderedMemoryBound(t *testing.T) {
	f := &fakeMethod{}
	var c counter
	probe, _, _ := renderedRegistry(t, f, CacheConfig{})
	size := renderingSize(viewKey{"v", did.MediaTypeDID, false},
		resolveRendered(t, probe, "did:example:z", did.ResolutionOptions{}, "v", &c))
	ids := []string{"did:example:a", "did:example:b", "did:example:c"} // renderings of the same size
	kept := func(r *Registry) (n int) {
		for _, id := range ids {
			if _, ok := r.Rendered(id, did.ResolutionOptions{}, "v"); ok {
				n++
			}
		}
		return n
	}
	t.Run("least recently used dropped", func(t *testing.T) {
		r, cache, _ := renderedRegistry(t, f, CacheConfig{MaxRenderedBytes: 2*size + size/2})
		resolveRendered(t, r, ids[0], did.ResolutionOptions{}, "v", &c)
		resolveRendered(t, r, ids[1], did.ResolutionOptions{}, "v", &c)
		r.Rendered(ids[0], did.ResolutionOptions{}, "v") // a used again: b is now the oldest
		resolveRendered(t, r, ids[2], did.ResolutionOptions{}, "v", &c)
		if _, ok := r.Rendered(ids[1], did.ResolutionOptions{}, "v"); ok {
			t.Error("kept the least recently used rendering")
		}
		if n := kept(r); n != 2 || cache.viewBytes != 2*size {
			t.Errorf("%d renderings in %d bytes, want 2 in %d", n, cache.viewBytes, 2*size)
		}
		if cache.Len() != 3 {
			t.Errorf("results cached = %d, want 3 (only renderings are dropped)", cache.Len())
		}
	})
	t.Run("larger than the bound", func(t *testing.T) {
		r, cache, _ := renderedRegistry(t, f, CacheConfig{MaxRenderedBytes: size - 1})
		resolveRendered(t, r, ids[0], did.ResolutionOptions{}, "v", &c)
		if kept(r) != 0 || cache.viewBytes != 0 {
			t.Error("kept a rendering larger than MaxRenderedBytes")
		}
	})
	t.Run("negative keeps none", func(t *testing.T) {
		r, _, _ := renderedRegistry(t, f, CacheConfig{MaxRenderedBytes: -1})
		resolveRendered(t, r, ids[0], did.ResolutionOptions{}, "v", &c)
		if kept(r) != 0 {
			t.Error("kept a rendering")
		}
	})
	t.Run("result evicted", func(t *testing.T) {
		r, cache, _ := renderedRegistry(t, f, CacheConfig{Size: 1})
		resolveRendered(t, r, ids[0], did.ResolutionOptions{}, "v", &c)
		resolveRendered(t, r, ids[1], did.ResolutionOptions{}, "v", &c)
		if n := kept(r); n != 1 || cache.viewBytes != size {
			t.Errorf("%d renderings in %d bytes, want 1 in %d", n, cache.viewBytes, size)
		}
	})
}

func TestResolveRenderedErrors(t *testing.T) {
	t.Run("resolution", func(t *testing.T) {
		r, _, _ := renderedRegistry(t, &fakeMethod{err: did.ErrNotFound}, CacheConfig{})
		var c counter
		out, res, err := r.ResolveRendered(t.Context(), exDID, did.ResolutionOptions{}, "v", c.render)
		if !errors.Is(err, did.ErrNotFound) || out != nil || c.n != 0 {
			t.Fatalf("%v, %v, renders %d", out, err, c.n)
		}
		if res == nil || res.DIDResolutionMetadata.Error == nil || res.DIDDocument != nil {
			t.Fatalf("result %+v, want the error result", res)
		}
	})
	t.Run("render", func(t *testing.T) {
		r, cache, _ := renderedRegistry(t, &fakeMethod{}, CacheConfig{})
		errRender := errors.New("render failed")
		out, res, err := r.ResolveRendered(t.Context(), exDID, did.ResolutionOptions{}, "v",
			func(*did.ResolutionResult) (*Rendering, error) { return nil, errRender })
		if !errors.Is(err, errRender) || out != nil || res != nil || cache.views.Len() != 0 {
			t.Fatalf("%v, %v, %v", out, res, err)
		}
	})
}
