package server

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/labstack/echo/v5"
)

// benchMiddleware measures mw around a handler that does nothing, called in
// parallel; addr gives each goroutine's client address.
func benchMiddleware(b *testing.B, mw echo.MiddlewareFunc, addr func(g int) string) {
	e := echo.New()
	h := mw(func(*echo.Context) error { return nil })
	var g atomic.Int64
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		req := httptest.NewRequest(http.MethodGet, "/1.0/identifiers/did:key:z", nil)
		req.RemoteAddr = addr(int(g.Add(1)))
		c := e.NewContext(req, httptest.NewRecorder())
		for pb.Next() {
			if err := h(c); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkShedder measures taking and releasing a concurrency slot when the
// server is not overloaded.
func BenchmarkShedder(b *testing.B) {
	s := newShedder(ShedConfig{})
	benchMiddleware(b, s.middleware(), func(int) string { return "192.0.2.1:1" })
}

// BenchmarkRateLimiter measures a token-bucket check: the key (ClientIP), the
// shard lock, refill and LRU update. "one-client" puts every goroutine on one
// bucket (the worst lock contention); "many-clients" gives each its own.
func BenchmarkRateLimiter(b *testing.B) {
	cfg := RateLimitConfig{Read: Budget{PerSecond: 1e12, Burst: 1 << 30}}
	cases := []struct {
		name string
		addr func(g int) string
	}{
		{"one-client", func(int) string { return "192.0.2.1:1" }},
		{"many-clients", func(g int) string { return "192.0.2." + strconv.Itoa(g%250) + ":1" }},
		{"ipv6", func(g int) string { return "[2001:db8:" + strconv.Itoa(g) + "::1]:1" }},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			benchMiddleware(b, newRateLimiter(cfg).middleware(), c.addr)
		})
	}
}
