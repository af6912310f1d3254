package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v5"
	"github.com/prometheus/client_golang/prometheus"
)

func testServer(t *testing.T, checks ...Check) *Server {
	t.Helper()
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	routes := MountFunc(func(e *echo.Echo) {
		e.POST("/echo", func(c *echo.Context) error {
			b, err := io.ReadAll(c.Request().Body)
			if err != nil {
				return err
			}
			return c.Blob(http.StatusOK, "text/plain", b)
		})
		e.GET("/panic", func(c *echo.Context) error { panic("secret internal state") })
		e.GET("/teapot", func(c *echo.Context) error {
			return NewProblem(http.StatusTeapot, "https://example.org/teapot", "short and stout")
		})
		e.GET("/fail", func(c *echo.Context) error { return errors.New("db password=hunter2") })
	})
	return New(Config{Logger: log, MaxBodyBytes: 64, Checks: checks}, routes)
}

func do(t *testing.T, h http.Handler, method, path, body string) (*httptest.ResponseRecorder, map[string]any) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, path, strings.NewReader(body)))
	var m map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &m)
	return rec, m
}

func TestProblemResponses(t *testing.T) {
	h := testServer(t).Handler()
	cases := []struct {
		name, method, path, body string
		status                   int
		typ                      string
	}{
		{"unknown route", "GET", "/nope", "", 404, "about:blank"},
		{"body too large", "POST", "/echo", strings.Repeat("x", 65), 413, "about:blank"},
		{"panic", "GET", "/panic", "", 500, "about:blank"},
		{"typed problem", "GET", "/teapot", "", 418, "https://example.org/teapot"},
		{"internal error hidden", "GET", "/fail", "", 500, "about:blank"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec, m := do(t, h, c.method, c.path, c.body)
			if rec.Code != c.status {
				t.Fatalf("status %d, want %d (%s)", rec.Code, c.status, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
				t.Fatalf("content type %q", ct)
			}
			if m["type"] != c.typ || int(m["status"].(float64)) != c.status || m["title"] == "" {
				t.Fatalf("problem body %v", m)
			}
			if s := rec.Body.String(); strings.Contains(s, "hunter2") || strings.Contains(s, "secret internal") {
				t.Fatalf("internal detail leaked: %s", s)
			}
		})
	}
}

func TestBodyWithinLimit(t *testing.T) {
	rec, _ := do(t, testServer(t).Handler(), "POST", "/echo", "hello")
	if rec.Code != 200 || rec.Body.String() != "hello" {
		t.Fatalf("got %d %q", rec.Code, rec.Body)
	}
}

func TestHealthAndReadiness(t *testing.T) {
	down := errors.New("down")
	var state error
	h := testServer(t, Check{Name: "database", Func: func(context.Context) error { return state }}).Handler()
	if rec, _ := do(t, h, "GET", "/healthz", ""); rec.Code != 200 {
		t.Fatalf("healthz %d", rec.Code)
	}
	if rec, _ := do(t, h, "GET", "/readyz", ""); rec.Code != 200 {
		t.Fatalf("readyz %d", rec.Code)
	}
	state = down
	rec, m := do(t, h, "GET", "/readyz", "")
	if rec.Code != 503 || m["checks"].(map[string]any)["database"] != "unavailable" {
		t.Fatalf("readyz with a failed check: %d %v", rec.Code, m)
	}
}

func TestMetricsCountRequests(t *testing.T) {
	h := testServer(t).Handler()
	do(t, h, "GET", "/teapot", "")
	rec, _ := do(t, h, "GET", "/metrics", "")
	for _, want := range []string{
		`kakunin_http_requests_total{method="GET",route="/teapot",status="418"} 1`,
		"kakunin_shed_admitted_share 1", // the default shedder's CPU signal, idle
	} {
		if !strings.Contains(rec.Body.String(), want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

func TestRegistryServesRoleCollectors(t *testing.T) {
	srv := testServer(t)
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "kakunin_test_events_total", Help: "Test events."})
	if err := srv.Registry().Register(c); err != nil {
		t.Fatal(err)
	}
	c.Add(3)
	rec, _ := do(t, srv.Handler(), "GET", "/metrics", "")
	if want := "kakunin_test_events_total 3"; !strings.Contains(rec.Body.String(), want) {
		t.Fatalf("metrics lack %q", want)
	}
	if err := srv.Registry().Register(c); err == nil {
		t.Error("a collector registered twice was accepted")
	}
}

// collectingRole is a role that exports a metric.
type collectingRole struct{ c prometheus.Counter }

func (collectingRole) Mount(*echo.Echo)                     {}
func (r collectingRole) Collectors() []prometheus.Collector { return []prometheus.Collector{r.c} }

func TestNewRegistersRoleCollectors(t *testing.T) {
	role := collectingRole{prometheus.NewCounter(prometheus.CounterOpts{Name: "kakunin_role_events_total", Help: "Role events."})}
	role.c.Inc()
	srv := New(Config{Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))}, role)
	rec, _ := do(t, srv.Handler(), "GET", "/metrics", "")
	if want := "kakunin_role_events_total 1"; !strings.Contains(rec.Body.String(), want) {
		t.Fatalf("metrics lack %q", want)
	}
}

func TestRunDrainsInFlightRequests(t *testing.T) {
	started := make(chan struct{})
	slow := MountFunc(func(e *echo.Echo) {
		e.GET("/slow", func(c *echo.Context) error {
			close(started)
			time.Sleep(200 * time.Millisecond)
			return c.String(http.StatusOK, "done")
		})
	})
	s := New(Config{Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))}, slow)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	runErr := make(chan error, 1)
	go func() { runErr <- s.Run(ctx, ln) }()
	got := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/slow")
		if err != nil {
			got <- err.Error()
			return
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		_, _ = b.ReadFrom(resp.Body)
		got <- b.String()
	}()
	<-started
	cancel()
	if body := <-got; body != "done" {
		t.Fatalf("in-flight request got %q", body)
	}
	if err := <-runErr; err != nil {
		t.Fatalf("Run: %v", err)
	}
}
