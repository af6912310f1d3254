package resolver

import (
	"sync"
	"testing"

	"github.com/kakunin-dev/kakunin/did"
)

// TestRenderedConcurrent resolves, renders, looks up and invalidates from several
// goroutines (run with -race), then checks that the byte count is the sum of the
// renderings kept, each held by a live entry, within the bound.
func TestRenderedConcurrent(t *testing.T) {
	f := &fakeMethod{}
	r, cache, _ := renderedRegistry(t, f, CacheConfig{Size: 4, MaxRenderedBytes: 8 << 10})
	ids := []string{"did:example:a", "did:example:b", "did:example:c", "did:example:d", "did:example:e"}
	views := []string{"v", "w"}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			var c counter
			var mu sync.Mutex
			render := func(res *did.ResolutionResult) (*Rendering, error) {
				mu.Lock()
				defer mu.Unlock()
				return c.render(res)
			}
			for i := range 200 {
				id, view := ids[(g+i)%len(ids)], views[i%len(views)]
				if _, _, err := r.ResolveRendered(t.Context(), id, did.ResolutionOptions{}, view, render); err != nil {
					t.Error(err)
					return
				}
				r.Rendered(id, did.ResolutionOptions{}, view)
				if i%17 == 0 {
					r.Invalidate(id)
				}
			}
		})
	}
	wg.Wait()
	cache.mu.Lock()
	defer cache.mu.Unlock()
	sum := 0
	for v := cache.views.Front(); v != nil; v = v.Next() {
		cv := v.Value.(*cachedView)
		e := cv.entry.Value.(*cacheEntry)
		if el, ok := cache.byKey[e.key]; !ok || el != cv.entry || e.views[cv.key] != v {
			t.Fatalf("rendering %v kept for an entry the cache no longer holds", cv.key)
		}
		sum += cv.size
	}
	if sum != cache.viewBytes || sum > cache.cfg.MaxRenderedBytes {
		t.Fatalf("renderings sum to %d bytes, count %d, bound %d", sum, cache.viewBytes, cache.cfg.MaxRenderedBytes)
	}
}
