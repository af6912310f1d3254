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
	h := testHandler(b)
	for _, accept := range []string{MediaTypeResolution, did.MediaTypeDID} {
		b.Run(accept, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, "/1.0/identifiers/did:example:bench", nil)
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
