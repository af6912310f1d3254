package server

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v5"
)

// fakeClock is an injected clock that tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)} }

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *fakeClock) Advance(d time.Duration) {
	f.mu.Lock()
	f.t = f.t.Add(d)
	f.mu.Unlock()
}

func limitedServer(t *testing.T, cfg Config) http.Handler {
	t.Helper()
	cfg.Logger = slog.New(slog.NewJSONHandler(io.Discard, nil))
	ok := func(c *echo.Context) error { return c.String(http.StatusOK, "ok") }
	return New(cfg, MountFunc(func(e *echo.Echo) {
		e.GET("/r", ok)
		e.HEAD("/r", ok)
		e.POST("/w", ok)
		e.POST("/verify", ok)
	})).Handler()
}

// send serves one request from remote with optional header pairs.
func send(h http.Handler, method, path, remote string, hdr ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, nil)
	req.RemoteAddr = remote
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// wantLimited checks a 429 problem with the given Retry-After.
func wantLimited(t *testing.T, rec *httptest.ResponseRecorder, retryAfter string) {
	t.Helper()
	if rec.Code != http.StatusTooManyRequests {
		t.Fatalf("status %d, want 429", rec.Code)
	}
	if got := rec.Header().Get("Retry-After"); got != retryAfter {
		t.Fatalf("Retry-After %q, want %q", got, retryAfter)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type %q", ct)
	}
	var p map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	if p["type"] != "about:blank" || p["title"] != "Too Many Requests" || p["status"] != 429.0 {
		t.Fatalf("problem %v", p)
	}
}

func TestRateLimitBurstThenRefill(t *testing.T) {
	clk := newFakeClock()
	h := limitedServer(t, Config{RateLimit: RateLimitConfig{
		Read: Budget{PerSecond: 0.5, Burst: 3}, Write: Unlimited, Now: clk.Now}})
	const peer = "198.51.100.7:4000"
	for i := range 3 {
		if rec := send(h, "GET", "/r", peer); rec.Code != 200 {
			t.Fatalf("request %d of the burst: %d", i, rec.Code)
		}
	}
	wantLimited(t, send(h, "GET", "/r", peer), "2")
	clk.Advance(1500 * time.Millisecond)
	wantLimited(t, send(h, "GET", "/r", peer), "1") // 0.75 token: 0.5s to go, rounded up
	clk.Advance(500 * time.Millisecond)
	if rec := send(h, "GET", "/r", peer); rec.Code != 200 {
		t.Fatalf("after refill: %d", rec.Code)
	}
	wantLimited(t, send(h, "GET", "/r", peer), "2")
	clk.Advance(time.Hour)
	for i := range 4 {
		rec := send(h, "GET", "/r", peer)
		if want := map[bool]int{true: 200, false: 429}[i < 3]; rec.Code != want {
			t.Fatalf("after a long idle, request %d: %d, want %d (burst caps the refill)", i, rec.Code, want)
		}
	}
}

func TestRateLimitReadOnlyPOST(t *testing.T) {
	clk := newFakeClock()
	h := limitedServer(t, Config{RateLimit: RateLimitConfig{
		Read: Budget{PerSecond: 1, Burst: 2}, Write: Budget{PerSecond: 1, Burst: 1}, Now: clk.Now,
		ReadOnlyPOST: func(c *echo.Context) bool { return c.Path() == "/verify" }}})
	for i, c := range []struct {
		method, path string
		want         int
	}{
		{"POST", "/w", 200},
		{"POST", "/w", 429},      // the write budget is spent
		{"POST", "/verify", 200}, // a read-only POST uses the read budget
		{"GET", "/r", 200},
		{"POST", "/verify", 429}, // and shares it with GETs
	} {
		if rec := send(h, c.method, c.path, "192.0.2.9:1"); rec.Code != c.want {
			t.Fatalf("request %d %s %s: status %d, want %d", i, c.method, c.path, rec.Code, c.want)
		}
	}
}

func TestRateLimitBudgets(t *testing.T) {
	clk := newFakeClock()
	h := limitedServer(t, Config{RateLimit: RateLimitConfig{
		Read: Budget{PerSecond: 1, Burst: 2}, Write: Budget{PerSecond: 1, Burst: 1}, Now: clk.Now}})
	cases := []struct {
		name, method, path, remote string
		want                       int
	}{
		{"write within budget", "POST", "/w", "192.0.2.1:1", 200},
		{"write over budget", "POST", "/w", "192.0.2.1:1", 429},
		{"reads have their own budget", "GET", "/r", "192.0.2.1:1", 200},
		{"HEAD is a read", "HEAD", "/r", "192.0.2.1:1", 200},
		{"reads over budget", "GET", "/r", "192.0.2.1:1", 429},
		{"another client is independent", "POST", "/w", "192.0.2.2:1", 200},
		{"IPv6 client", "POST", "/w", "[2001:db8:1:2::1]:1", 200},
		{"same IPv6 /64 shares the budget", "POST", "/w", "[2001:db8:1:2::ffff]:1", 429},
		{"another IPv6 /64", "POST", "/w", "[2001:db8:1:3::1]:1", 200},
		{"unknown routes are limited too", "GET", "/nope", "192.0.2.1:1", 429},
		{"healthz exempt", "GET", "/healthz", "192.0.2.1:1", 200},
		{"readyz exempt", "GET", "/readyz", "192.0.2.1:1", 200},
		{"metrics exempt", "GET", "/metrics", "192.0.2.1:1", 200},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if rec := send(h, c.method, c.path, c.remote); rec.Code != c.want {
				t.Fatalf("status %d, want %d", rec.Code, c.want)
			}
		})
	}
}

func TestRateLimitForwardedForTrust(t *testing.T) {
	_, proxies, err := net.ParseCIDR("10.0.0.0/8")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name      string
		extractor echo.IPExtractor
		want      []int
	}{
		// By default the header is the client's word: rotating it does not escape the peer's budget.
		{"default ignores X-Forwarded-For", nil, []int{200, 429, 429}},
		// Behind a trusted proxy each forwarded client has its own budget.
		{"trusted proxy", echo.ExtractIPFromXFFHeader(echo.TrustIPRange(proxies)), []int{200, 200, 200}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := limitedServer(t, Config{IPExtractor: c.extractor, RateLimit: RateLimitConfig{
				Read: Budget{PerSecond: 1, Burst: 1}, Now: newFakeClock().Now}})
			for i, want := range c.want {
				xff := "203.0.113." + strconv.Itoa(i+1)
				if rec := send(h, "GET", "/r", "10.1.2.3:5555", "X-Forwarded-For", xff); rec.Code != want {
					t.Fatalf("request %d: %d, want %d", i, rec.Code, want)
				}
			}
		})
	}
}

func TestClientKey(t *testing.T) {
	long := strings.Repeat("t", 200)
	cases := []struct {
		name, in string
		wantLen  int
	}{
		{"short key kept", "192.0.2.1", len("192.0.2.1")},
		{"limit kept", strings.Repeat("k", maxKeyBytes), maxKeyBytes},
		{"long key hashed", long, 32},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := clientKey(c.in); len(got) != c.wantLen {
				t.Fatalf("len %d, want %d", len(got), c.wantLen)
			}
		})
	}
	if clientKey(long) == clientKey(long+"x") {
		t.Fatal("distinct long keys collide")
	}
}

func TestClientIP(t *testing.T) {
	cases := []struct{ remote, want string }{
		{"192.0.2.1:80", "192.0.2.1"},
		{"[2001:db8:aa:bb:1:2:3:4]:80", "2001:db8:aa:bb::/64"},
		{"[::ffff:192.0.2.1]:80", "::ffff:192.0.2.1"},
		{"garbage", ""},
	}
	e := echo.New()
	for _, c := range cases {
		t.Run(c.remote, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/", nil)
			req.RemoteAddr = c.remote
			if got := ClientIP(e.NewContext(req, httptest.NewRecorder())); got != c.want {
				t.Fatalf("ClientIP = %q, want %q", got, c.want)
			}
		})
	}
}

func TestRetryAfterSeconds(t *testing.T) {
	cases := []struct {
		d    time.Duration
		want string
	}{{0, "1"}, {time.Millisecond, "1"}, {time.Second, "1"}, {1001 * time.Millisecond, "2"}, {90 * time.Second, "90"}}
	for _, c := range cases {
		if got := retryAfterSeconds(c.d); got != c.want {
			t.Errorf("retryAfterSeconds(%v) = %q, want %q", c.d, got, c.want)
		}
	}
}

func TestRateLimitDisabled(t *testing.T) {
	for _, cfg := range []RateLimitConfig{{}, {Read: Unlimited, Write: Budget{PerSecond: -1, Burst: 5}}} {
		if newRateLimiter(cfg) != nil {
			t.Fatalf("limiter built for %+v", cfg)
		}
	}
	h := limitedServer(t, Config{RateLimit: RateLimitConfig{Write: Budget{PerSecond: 1}}})
	for range 500 {
		if rec := send(h, "GET", "/r", "192.0.2.9:1"); rec.Code != 200 {
			t.Fatalf("unlimited read refused: %d", rec.Code)
		}
	}
	if a, b := send(h, "POST", "/w", "192.0.2.9:1"), send(h, "POST", "/w", "192.0.2.9:1"); a.Code != 200 || b.Code != 429 {
		t.Fatalf("write budget of 1/s with the default burst of 1: %d then %d", a.Code, b.Code)
	}
}

func TestPublicRateLimits(t *testing.T) {
	cfg := PublicRateLimits
	cfg.Now = newFakeClock().Now
	h := limitedServer(t, Config{RateLimit: cfg})
	for i := range 21 {
		rec := send(h, "POST", "/w", "192.0.2.10:1")
		if want := map[bool]int{true: 200, false: 429}[i < 20]; rec.Code != want {
			t.Fatalf("write %d: %d, want %d", i, rec.Code, want)
		}
	}
}

func TestMiddlewareErrors(t *testing.T) {
	e := echo.New()
	next := func(*echo.Context) error { return nil }
	full := newShedder(ShedConfig{MaxInFlight: 1, QueueWait: time.Millisecond})
	full.slots <- struct{}{}
	cases := []struct {
		name   string
		mw     echo.MiddlewareFunc
		want   error
		status int
	}{
		{"rate limited", newRateLimiter(RateLimitConfig{Read: Budget{PerSecond: 1}, Now: newFakeClock().Now}).middleware(), ErrRateLimited, 429},
		{"overloaded", full.middleware(), ErrOverloaded, 503},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := c.mw(next)
			var err error
			for range 2 {
				req := httptest.NewRequest("GET", "/", nil)
				err = h(e.NewContext(req, httptest.NewRecorder()))
			}
			if !errors.Is(err, c.want) || ProblemFor(err).Status != c.status {
				t.Fatalf("got %v, want %v with status %d", err, c.want, c.status)
			}
		})
	}
}
