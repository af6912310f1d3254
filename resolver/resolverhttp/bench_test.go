package resolverhttp

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/kakunin-dev/kakunin/did"
)

// BenchmarkCachedResolution measures a cached resolution through the whole handler
// (routing, middleware, negotiation, rendering, ETag).
func BenchmarkCachedResolution(b *testing.B) {
	benchmarkCached(b, "/1.0/identifiers/did:example:bench")
}

// BenchmarkCachedDereference dereferences a verification method of a cached DID, as a
// verifier does for every proof it checks; its answer is kept with the resolution.
func BenchmarkCachedDereference(b *testing.B) {
	benchmarkCached(b, "/1.0/identifiers/did%3Aexample%3Abench%23key-1")
}

func benchmarkCached(b *testing.B, target string) {
	h := testHandler(b)
	for _, accept := range []string{MediaTypeResolution, did.MediaTypeDID} {
		b.Run(accept, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, target, nil)
			req.Header.Set("Accept", accept)
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatal(rec.Code)
				}
			}
		})
	}
}
