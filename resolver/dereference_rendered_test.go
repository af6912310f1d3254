package resolver

import (
	"encoding/json/v2"
	"fmt"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/did"
)

// derefCounter renders dereferencing results as JSON and counts its calls.
type derefCounter struct{ n int }

func (c *derefCounter) render(res *did.DereferencingResult) (*Rendering, error) {
	c.n++
	b, err := json.Marshal(res.ContentStream)
	return &Rendering{Body: b, ContentType: "application/json", ETag: fmt.Sprintf("%08d", c.n)}, err
}

func dereferenceRendered(t *testing.T, r *Registry, didURL string, opts DereferenceOptions, c *derefCounter) *Rendering {
	t.Helper()
	out, res, err := r.DereferenceRendered(t.Context(), didURL, opts, "v", c.render)
	if err != nil || res != nil || out == nil {
		t.Fatalf("DereferenceRendered(%s): %v, %v, %v", didURL, out, res, err)
	}
	return out
}

// TestDereferenceRenderedKept: a dereferencing is rendered once per DID URL and
// options, kept with the DID's cached resolution, and dropped with it.
func TestDereferenceRenderedKept(t *testing.T) {
	f := &fakeMethod{meta: did.DocumentMetadata{NextUpdate: t0.Add(time.Minute)}}
	r, cache, clk := renderedRegistry(t, f, CacheConfig{})
	var c derefCounter
	if doc := dereferenceRendered(t, r, exDID, DereferenceOptions{}, &c); !doc.NextUpdate.Equal(t0.Add(time.Minute)) {
		t.Errorf("NextUpdate of the document = %v", doc.NextUpdate)
	}
	key1 := dereferenceRendered(t, r, exDID+"#key-1", DereferenceOptions{}, &c)
	for range 3 {
		if got := dereferenceRendered(t, r, exDID+"#key-1", DereferenceOptions{}, &c); got != key1 {
			t.Fatalf("rendered again: ETag %s", got.ETag)
		}
	}
	// Each of these is another rendering, from the same cached resolution.
	for _, o := range []struct {
		url  string
		opts DereferenceOptions
	}{
		{exDID + "#key-2", DereferenceOptions{}},
		{exDID + "#key-1", DereferenceOptions{VerificationRelationship: "assertionMethod"}},
		{exDID + "?service=files", DereferenceOptions{}},
		{exDID + "?versionId=2#key-1", DereferenceOptions{}},
	} {
		before := c.n
		if got := dereferenceRendered(t, r, o.url, o.opts, &c); got == key1 || c.n != before+1 {
			t.Errorf("%s %+v: kept rendering %s, %d renders", o.url, o.opts, got.ETag, c.n-before)
		}
	}
	if f.calls != 2 { // the DID, and its version 2
		t.Errorf("%d resolutions, want 2", f.calls)
	}
	cache.Invalidate(exDID)
	if got := dereferenceRendered(t, r, exDID+"#key-1", DereferenceOptions{}, &c); got == key1 {
		t.Error("a rendering outlived Invalidate")
	}
	before := c.n
	clk.t = t0.Add(time.Minute) // nextUpdate: the resolution and its renderings are gone
	dereferenceRendered(t, r, exDID+"#key-1", DereferenceOptions{}, &c)
	if c.n != before+1 {
		t.Error("a rendering was served at its nextUpdate")
	}
}

// TestDereferenceRenderedBypass: nothing is kept with noCache, for a path, or when
// render declines; errors are Dereference's.
func TestDereferenceRenderedBypass(t *testing.T) {
	f := &fakeMethod{}
	r, _, _ := renderedRegistry(t, f, CacheConfig{})
	var c derefCounter
	for range 2 {
		dereferenceRendered(t, r, exDID+"#key-1", DereferenceOptions{Resolution: did.ResolutionOptions{NoCache: true}}, &c)
	}
	if c.n != 2 {
		t.Errorf("noCache: %d renders, want 2", c.n)
	}
	out, res, err := r.DereferenceRendered(t.Context(), exDID+"#files", DereferenceOptions{}, "v",
		func(*did.DereferencingResult) (*Rendering, error) { return nil, nil })
	if out != nil || res == nil || err != nil {
		t.Errorf("declined: %v, %v, %v", out, res, err)
	}
	const unsupported = "did:nope:1#key-1"
	out, res, err = r.DereferenceRendered(t.Context(), unsupported, DereferenceOptions{}, "v", c.render)
	want, wantErr := r.Dereference(t.Context(), unsupported, DereferenceOptions{})
	if out != nil || err == nil || wantErr == nil || err.Error() != wantErr.Error() || res == nil ||
		res.DereferencingMetadata.Error == nil || res.DereferencingMetadata.Error.Type != want.DereferencingMetadata.Error.Type {
		t.Errorf("unsupported method: %v, %+v, %v; Dereference gives %+v, %v", out, res, err, want, wantErr)
	}
	if _, _, ok := r.dereferenceKeys(exDID+"/certificates/x", DereferenceOptions{}, "v"); ok {
		t.Error("a DID URL with a path may be kept")
	}
}
