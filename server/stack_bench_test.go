package server

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v5"
)

// BenchmarkStack measures the whole middleware chain of New (request id, request
// log, recover, metrics, rate limits off, shedder, body limit, handler deadline)
// around a route that writes a short body: what every request pays before its
// handler's own work.
func BenchmarkStack(b *testing.B) {
	h := New(Config{Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)),
		RateLimit: RateLimitConfig{Read: Unlimited, Write: Unlimited}},
		MountFunc(func(e *echo.Echo) {
			e.GET("/1.0/identifiers/*", func(c *echo.Context) error { return c.String(http.StatusOK, "ok") })
		})).Handler()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		req := httptest.NewRequest(http.MethodGet, "/1.0/identifiers/did:key:z", nil)
		for pb.Next() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatal(rec.Code)
			}
		}
	})
}
