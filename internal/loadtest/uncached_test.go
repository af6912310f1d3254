package loadtest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/resolver"
	"github.com/kakunin-dev/kakunin/resolver/resolverhttp"
	"github.com/kakunin-dev/kakunin/server"
)

// uncachedHealthy is the latency below which an uncached resolution counts as
// healthy when measuring recovery: a few hundred microseconds of CPU each, with
// room for a busy machine.
const uncachedHealthy = 50 * time.Millisecond

// TestUncachedRequests checks, without -load, that the uncached scenario's requests
// succeed through the stack and that each one is resolved afresh (the resolver is
// reached once per request) with the revocation answer from the checker's cache.
func TestUncachedRequests(t *testing.T) {
	u, err := newUncachedChain()
	if err != nil {
		t.Fatal(err)
	}
	base, _ := startStack(t, u.target(), server.ShedConfig{}, false)
	c := NewClient(1)
	const n = 3
	var body []byte
	for i := range n {
		var ctype string
		body, ctype = fetch(t, c, base+u.path())
		if ctype == "" || !strings.Contains(string(body), `"verificationMethod"`) || !strings.Contains(string(body), u.did) {
			t.Fatalf("request %d: %s %s", i, ctype, body)
		}
	}
	t.Logf("request path %d bytes, answer %d bytes", len(u.path()), len(body))
	if got := u.resolved.Load(); got != n {
		t.Fatalf("%d resolutions for %d requests: the scenario would not measure uncached resolution", got, n)
	}
	if !strings.Contains(string(body), `"activeCertificates":1`) || !strings.Contains(string(body), `"cached":true`) {
		t.Fatalf("last answer does not admit the agent with a cached revocation answer: %s", body)
	}
}

func TestMaxConcurrent(t *testing.T) {
	ms := time.Millisecond
	cases := []struct {
		name    string
		samples []Sample
		want    int
	}{
		{"none", nil, 0},
		{"sequential", []Sample{{Due: 0, Latency: ms}, {Due: ms, Latency: ms}}, 1},
		{"nested", []Sample{{Due: 0, Latency: 10 * ms}, {Due: ms, Latency: ms}, {Due: 2 * ms, Latency: 5 * ms}}, 2},
		{"three at once", []Sample{{Due: 0, Latency: 5 * ms}, {Due: ms, Latency: 5 * ms}, {Due: 2 * ms, Latency: 5 * ms}}, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := maxConcurrent(c.samples); got != c.want {
				t.Fatalf("maxConcurrent = %d, want %d", got, c.want)
			}
		})
	}
}

// TestUncachedLoad measures uncached did:kakunin resolution over HTTP: the closed-loop
// maximum and CPU per resolution, then scenario b (3× that maximum) against it.
func TestUncachedLoad(t *testing.T) {
	if !*load {
		t.Skip("load scenarios run with -load")
	}
	asService(t)
	logLoad(t)
	defer logLoad(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	u, err := newUncachedChain()
	if err != nil {
		t.Fatal(err)
	}
	pool, client := NewClient(poolConns), NewClient(clientConns)
	base, _ := startStack(t, u.target(), server.ShedConfig{}, false)
	body, _ := fetch(t, pool, base+u.path())
	do := request(t, pool, base+u.path())

	var best Throughput
	bestWorkers := 0
	for range 2 {
		for _, w := range []int{4, 16, 64} {
			before := u.resolved.Load()
			x := ClosedLoop{Workers: w, Duration: probeSpan}.Run(ctx, do)
			if resolved := u.resolved.Load() - before; resolved < int64(x.Summary.Status[200]) {
				t.Errorf("%d resolutions for %d answers: some were cached", resolved, x.Summary.Status[200])
			}
			t.Logf("closed loop, %d workers: %.0f/s, CPU %v per resolution, p50 %v p99 %v, statuses %v",
				w, x.Rate, x.CPUPerRequest, x.Summary.P50, x.Summary.P99, x.Summary.Status)
			if x.Rate > best.Rate {
				best, bestWorkers = x, w
			}
		}
	}
	t.Logf("body %d bytes; max rate %.0f/s (%d workers); process CPU per resolution (client and server) %v",
		len(body), best.Rate, bestWorkers, best.CPUPerRequest)
	// The floor of HTTP itself: a bare net/http handler answering the same request
	// (same path and query) with the same bytes, no resolution.
	bare := serve(t, bareHandler(body, resolverhttp.MediaTypeResolution))
	b := ClosedLoop{Workers: bestWorkers, Duration: probeSpan}.Run(ctx, request(t, pool, bare+u.path()))
	t.Logf("bare net/http, same request and answer bytes, %d workers: %.0f/s, CPU %v per request; "+
		"the stack spends %v more per request (resolution, option parsing, encoding, middleware)",
		bestWorkers, b.Rate, b.CPUPerRequest, best.CPUPerRequest-b.CPUPerRequest)
	goal(t, "uncached resolutions ≥ 4,000/s", best.Rate >= 4000)
	if best.Rate == 0 {
		t.Fatal("no maximum rate measured")
	}
	// The default shedder (64×GOMAXPROCS in flight and the CPU queueing delay), which
	// must shed this CPU-bound overload; then, for comparison, an in-flight limit
	// alone sized for a CPU-bound handler (2 per core).
	for _, sc := range []struct {
		name string
		cfg  server.ShedConfig
	}{
		{"overload/default-shedder", server.ShedConfig{}},
		{"overload/cpu-sized-shedder", server.ShedConfig{MaxInFlight: 2 * runtime.GOMAXPROCS(0), MaxCPUDelay: -1}},
	} {
		t.Run(sc.name, func(t *testing.T) {
			b, timed := startStack(t, u.target(), sc.cfg, false)
			fetch(t, client, b+u.path())
			over := overload(t, ctx, client, request(t, client, b+u.path()), timed, best.Rate, uncachedHealthy, false)
			if sc.cfg == (server.ShedConfig{}) && over.Share(503) == 0 {
				t.Errorf("3× CPU-bound overload with the default configuration shed nothing: %v", over.Status)
			}
			limit := sc.cfg.MaxInFlight
			if limit == 0 {
				limit = 64 * runtime.GOMAXPROCS(0)
			}
			t.Logf("most requests inside the stack at once (shedder queue included): %d; in-flight limit %d",
				maxConcurrent(timed.Samples()), limit)
		})
	}
}

// maxConcurrent is the most samples whose [Due, Due+Latency) intervals overlap.
func maxConcurrent(samples []Sample) int {
	type edge struct {
		at    time.Duration
		delta int
	}
	edges := make([]edge, 0, 2*len(samples))
	for _, s := range samples {
		edges = append(edges, edge{s.Due, 1}, edge{s.Due + s.Latency, -1})
	}
	// Ends before starts at the same instant: [a, b) and [b, c) do not overlap.
	slices.SortFunc(edges, func(a, b edge) int {
		if a.at != b.at {
			return int(a.at - b.at)
		}
		return a.delta - b.delta
	})
	n, most := 0, 0
	for _, e := range edges {
		n += e.delta
		most = max(most, n)
	}
	return most
}

// BenchmarkUncachedResolution is the scenario's resolution in process: the same
// chain and options through a resolver.Registry without a cache, no HTTP; serial,
// and on every core (GOMAXPROCS goroutines) for the in-process ceiling.
func BenchmarkUncachedResolution(b *testing.B) {
	u, err := newUncachedChain()
	if err != nil {
		b.Fatal(err)
	}
	reg := resolver.New()
	if err := u.register(reg); err != nil {
		b.Fatal(err)
	}
	opts := u.options()
	resolve := func() error {
		_, err := reg.Resolve(context.Background(), u.did, opts)
		return err
	}
	if err := resolve(); err != nil {
		b.Fatal(err)
	}
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := resolve(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := resolve(); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

// BenchmarkUncachedHandler is the scenario's request through the whole server stack
// (server.New middleware, routing, the binding's option parsing, negotiation and
// encoding) without a network: what HTTP adds to BenchmarkUncachedResolution on
// the server side.
func BenchmarkUncachedHandler(b *testing.B) {
	u, err := newUncachedChain()
	if err != nil {
		b.Fatal(err)
	}
	h := stackHandler(b, u.target(), server.ShedConfig{}, false)
	req := httptest.NewRequest(http.MethodGet, u.path(), nil)
	serve := func() error {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			return fmt.Errorf("status %d: %s", rec.Code, rec.Body)
		}
		return nil
	}
	if err := serve(); err != nil {
		b.Fatal(err)
	}
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := serve(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := serve(); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}
