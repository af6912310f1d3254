package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/synctest"
	"time"

	"github.com/labstack/echo/v5"
)

// shedRig is a server whose /block handler holds its slot until release is closed
// or receives a value; it runs inside a synctest bubble, so the queue wait passes
// in fake time.
type shedRig struct {
	h       http.Handler
	release chan struct{}
}

func newShedRig(cfg ShedConfig) *shedRig {
	r := &shedRig{release: make(chan struct{})}
	r.h = New(Config{Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)), Shed: cfg,
		RateLimit: RateLimitConfig{Read: Unlimited, Write: Unlimited}},
		MountFunc(func(e *echo.Echo) {
			e.GET("/block", func(c *echo.Context) error {
				<-r.release
				return c.String(http.StatusOK, "done")
			})
			e.GET("/fast", func(c *echo.Context) error { return c.String(http.StatusOK, "fast") })
		})).Handler()
	return r
}

type shedResult struct {
	rec  *httptest.ResponseRecorder
	took time.Duration
}

// start serves a request in its own goroutine and returns where its result arrives.
func (r *shedRig) start(ctx context.Context, path string) <-chan shedResult {
	out := make(chan shedResult, 1)
	go func() {
		start := time.Now()
		rec := httptest.NewRecorder()
		r.h.ServeHTTP(rec, httptest.NewRequestWithContext(ctx, "GET", path, nil))
		out <- shedResult{rec, time.Since(start)}
	}()
	return out
}

func wantShed(t *testing.T, got shedResult, took time.Duration) {
	t.Helper()
	if got.rec.Code != http.StatusServiceUnavailable || got.rec.Header().Get("Retry-After") != "2" ||
		got.rec.Header().Get("Content-Type") != "application/problem+json" {
		t.Fatalf("got %d %v, want a 503 problem with Retry-After 2", got.rec.Code, got.rec.Header())
	}
	if got.took != took {
		t.Fatalf("shed after %v, want %v", got.took, took)
	}
}

func TestShedder(t *testing.T) {
	// The in-flight limit alone: CPU-based shedding (TestCPUShedding) would read the
	// machine's real scheduler latency.
	cfg := ShedConfig{MaxInFlight: 2, MaxQueue: 1, QueueWait: 50 * time.Millisecond, RetryAfter: 1500 * time.Millisecond,
		MaxCPUDelay: -1}
	ctx := context.Background()
	cases := []struct {
		name string
		run  func(t *testing.T, r *shedRig)
	}{
		{"shed after the queue wait", func(t *testing.T, r *shedRig) {
			wantShed(t, <-r.start(ctx, "/fast"), 50*time.Millisecond)
		}},
		{"shed at once when the queue is full", func(t *testing.T, r *shedRig) {
			queued := r.start(ctx, "/fast")
			synctest.Wait()
			wantShed(t, <-r.start(ctx, "/fast"), 0)
			wantShed(t, <-queued, 50*time.Millisecond)
		}},
		{"admitted when a slot frees within the wait", func(t *testing.T, r *shedRig) {
			queued := r.start(ctx, "/fast")
			time.Sleep(10 * time.Millisecond)
			r.release <- struct{}{}
			if got := <-queued; got.rec.Code != 200 || got.took != 10*time.Millisecond {
				t.Fatalf("queued request: %d after %v", got.rec.Code, got.took)
			}
		}},
		{"client gone while queued", func(t *testing.T, r *shedRig) {
			cctx, cancel := context.WithCancel(ctx)
			queued := r.start(cctx, "/fast")
			time.Sleep(5 * time.Millisecond)
			cancel()
			wantShed(t, <-queued, 5*time.Millisecond)
		}},
		{"health exempt", func(t *testing.T, r *shedRig) {
			for _, p := range []string{"/healthz", "/readyz", "/metrics"} {
				if got := <-r.start(ctx, p); got.rec.Code != 200 || got.took != 0 {
					t.Fatalf("%s: %d after %v", p, got.rec.Code, got.took)
				}
			}
		}},
		{"recovers at once", func(t *testing.T, r *shedRig) {
			wantShed(t, <-r.start(ctx, "/fast"), 50*time.Millisecond)
			r.release <- struct{}{}
			if got := <-r.start(ctx, "/fast"); got.rec.Code != 200 || got.took != 0 {
				t.Fatalf("after load dropped: %d after %v", got.rec.Code, got.took)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := newShedRig(cfg)
				held := []<-chan shedResult{r.start(ctx, "/block"), r.start(ctx, "/block")}
				synctest.Wait() // both slots taken
				c.run(t, r)
				close(r.release)
				for _, h := range held {
					<-h
				}
			})
		})
	}
}

func TestShedConfigDefaults(t *testing.T) {
	got := ShedConfig{}.withDefaults()
	if got.MaxInFlight <= 0 || got.MaxQueue != got.MaxInFlight || got.QueueWait != 50*time.Millisecond || got.RetryAfter != time.Second ||
		got.MaxCPUDelay != 20*time.Millisecond || got.CPUInterval != 50*time.Millisecond {
		t.Fatalf("defaults %+v", got)
	}
	if newShedder(ShedConfig{}).cpu == nil {
		t.Fatal("the default configuration does not shed on CPU delay")
	}
	if newShedder(ShedConfig{MaxCPUDelay: -1}).cpu != nil {
		t.Fatal("negative MaxCPUDelay does not turn CPU-based shedding off")
	}
	if newShedder(ShedConfig{MaxInFlight: -1}) != nil {
		t.Fatal("negative MaxInFlight does not turn shedding off")
	}
}
