package server_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"

	"github.com/labstack/echo/v5"

	"github.com/kakunin-dev/kakunin/server"
)

// A client that spends its burst is answered 429 with Retry-After and a problem;
// health endpoints stay reachable.
func ExampleRateLimitConfig() {
	s := server.New(server.Config{
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		RateLimit: server.RateLimitConfig{
			Read:  server.Budget{PerSecond: 1, Burst: 2},
			Write: server.Budget{PerSecond: 0.1, Burst: 1},
		},
		Shed: server.ShedConfig{MaxInFlight: 256},
	}, server.MountFunc(func(e *echo.Echo) {
		e.GET("/hello", func(c *echo.Context) error { return c.String(http.StatusOK, "hello") })
	}))
	for _, path := range []string{"/hello", "/hello", "/hello", "/healthz"} {
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		fmt.Printf("%s %d Retry-After=%q\n", path, rec.Code, rec.Header().Get("Retry-After"))
	}
	// Output:
	// /hello 200 Retry-After=""
	// /hello 200 Retry-After=""
	// /hello 429 Retry-After="1"
	// /healthz 200 Retry-After=""
}
