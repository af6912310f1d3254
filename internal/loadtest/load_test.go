package loadtest

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/did/key"
	"github.com/kakunin-dev/kakunin/resolver"
	"github.com/kakunin-dev/kakunin/resolver/resolverhttp"
	"github.com/kakunin-dev/kakunin/server"
)

var load = flag.Bool("load", false, "run the load scenarios (about 40 s per target, on every core)")

// target is a DID method under load: the DID to resolve, how to register the
// method's resolver and, when it is not time.Now, the clock of the resolver cache.
// A method joins the scenarios with one line in targets.
type target struct {
	name, did string
	register  func(*resolver.Registry) error
	now       func() time.Time
}

var targets = []target{
	{"did-key", "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
		func(r *resolver.Registry) error { return r.Register("key", key.Resolver{}) }, nil},
	{"did-kakunin", kakuninDID, registerKakunin, kakuninClock},
}

// Durations of the phases; a whole run of one target takes about 40 s.
const (
	probeSpan    = 1500 * time.Millisecond // each closed-loop probe
	latencySpan  = 3 * time.Second         // open loop at 80% of our max
	overloadSpan = 3 * time.Second
	recoverySpan = 2 * time.Second
	poolConns    = 64
	clientConns  = 1024
)

func TestLoad(t *testing.T) {
	if !*load {
		t.Skip("load scenarios run with -load")
	}
	asService(t)
	logLoad(t)
	defer logLoad(t)
	for _, tg := range targets {
		t.Run(tg.name, func(t *testing.T) { runTarget(t, tg) })
	}
}

func runTarget(t *testing.T, tg target) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// Scenario a uses a pool of keep-alive connections, as a proxy in front of the
	// server would; the overload scenarios let every pending request have its own.
	pool, client := NewClient(poolConns), NewClient(clientConns)
	path := "/1.0/identifiers/" + tg.did
	ours, oursTimed := startStack(t, tg, server.ShedConfig{}, true)
	body, ctype := fetch(t, pool, ours+path)
	bare := serve(t, bareHandler(body, ctype))

	var maxOurs float64
	t.Run("cached", func(t *testing.T) {
		maxOurs = cached(t, ctx, request(t, pool, ours+path), request(t, pool, bare+path), oursTimed, len(body))
	})
	t.Run("overload/cached", func(t *testing.T) {
		if maxOurs == 0 {
			t.Skip("no maximum rate measured")
		}
		u, timed := startStack(t, tg, server.ShedConfig{}, true)
		fetch(t, client, u+path)
		overload(t, ctx, client, request(t, client, u+path), timed, maxOurs, 25*time.Millisecond, false)
	})
	// A method that waits on I/O (a did:web fetch, a registry query, OCSP): the case
	// the in-flight limit is for. Its capacity is MaxInFlight requests per delay.
	t.Run("overload/io-bound", func(t *testing.T) {
		inner := resolver.New()
		if err := tg.register(inner); err != nil {
			t.Fatal(err)
		}
		method := strings.SplitN(tg.did, ":", 3)[1]
		slow := target{tg.name, tg.did, func(r *resolver.Registry) error {
			return r.Register(method, slowResolver{inner, ioDelay})
		}, tg.now}
		u, timed := startStack(t, slow, server.ShedConfig{}, false)
		fetch(t, client, u+path)
		capacity := float64(64*runtime.GOMAXPROCS(0)) / ioDelay.Seconds()
		overload(t, ctx, client, request(t, client, u+path), timed, capacity, ioDelay+50*time.Millisecond, true)
	})
}

// ioDelay is the resolution time of the io-bound overload scenario.
const ioDelay = 200 * time.Millisecond

// slowResolver resolves with next after waiting delay, as a method that waits on
// the network or a database does.
type slowResolver struct {
	next  did.Resolver
	delay time.Duration
}

func (s slowResolver) Resolve(ctx context.Context, id string, opts did.ResolutionOptions) (*did.ResolutionResult, error) {
	select {
	case <-time.After(s.delay):
	case <-ctx.Done():
		return did.ErrorResult(ctx.Err()), ctx.Err()
	}
	return s.next.Resolve(ctx, id, opts)
}

// startStack serves the full stack, server.New with shedding cfg and the DID
// Resolution binding over a registry, cached or not, timed server-side, with the
// timeouts of Server.Run. Rate limits are off because every request comes from
// one loopback client.
func startStack(t *testing.T, tg target, cfg server.ShedConfig, cache bool) (string, *Timed) {
	t.Helper()
	timed := NewTimed(stackHandler(t, tg, cfg, cache), 1_000_000)
	return serve(t, timed), timed
}

// stackHandler is the handler of startStack, unserved.
func stackHandler(t testing.TB, tg target, cfg server.ShedConfig, cache bool) http.Handler {
	t.Helper()
	var opts []resolver.Option
	if cache {
		opts = append(opts, resolver.WithCache(resolver.NewCache(resolver.CacheConfig{Now: tg.now})))
	}
	reg := resolver.New(opts...)
	if err := tg.register(reg); err != nil {
		t.Fatal(err)
	}
	s := server.New(server.Config{
		Logger:    slog.New(slog.NewJSONHandler(io.Discard, nil)), // log records are formatted, then dropped
		Shed:      cfg,
		RateLimit: server.RateLimitConfig{Read: server.Unlimited, Write: server.Unlimited},
	}, resolverhttp.New(reg, resolverhttp.Config{}))
	return s.Handler()
}

// serve serves h until the test ends and returns its base URL.
func serve(t *testing.T, h http.Handler) string {
	t.Helper()
	base, stop, err := Serve(h)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("serving: %v", err)
		}
	})
	return base
}

// bareHandler answers every request with the same bytes: the ceiling of net/http.
func bareHandler(body []byte, ctype string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", ctype)
		_, _ = w.Write(body)
	})
}

func fetch(t *testing.T, c *http.Client, u string) ([]byte, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("warm-up: %d %v %s", resp.StatusCode, err, b)
	}
	return b, resp.Header.Get("Content-Type")
}

func request(t *testing.T, c *http.Client, u string) Request {
	t.Helper()
	r, err := Get(c, u, http.Header{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// maxRates alternates closed-loop probes of both servers over a few
// concurrencies, so that both meet the same share of a busy machine, and keeps
// the best probe of each.
func maxRates(ctx context.Context, ours, bare Request) (o, b Throughput, ow, bw int) {
	for range 2 {
		for _, w := range []int{16, 64} {
			if x := (ClosedLoop{Workers: w, Duration: probeSpan}).Run(ctx, ours); x.Rate > o.Rate {
				o, ow = x, w
			}
			if x := (ClosedLoop{Workers: w, Duration: probeSpan}).Run(ctx, bare); x.Rate > b.Rate {
				b, bw = x, w
			}
		}
	}
	return o, b, ow, bw
}

// cached is scenario a: our stack beside a bare handler serving the same bytes.
func cached(t *testing.T, ctx context.Context, ours, bare Request, timed *Timed, size int) float64 {
	o, b, ow, bw := maxRates(ctx, ours, bare)
	t.Logf("body %d bytes; max rate: stack %.0f/s (%d workers), bare net/http %.0f/s (%d workers), ratio %.2f (target ≥ 0.70)",
		size, o.Rate, ow, b.Rate, bw, o.Rate/b.Rate)
	goal(t, "throughput ratio ≥ 0.70", o.Rate >= 0.7*b.Rate)
	t.Logf("process CPU per request (client and server): stack %v, bare %v, ratio bare/stack %.2f",
		o.CPUPerRequest, b.CPUPerRequest, float64(b.CPUPerRequest)/float64(o.CPUPerRequest))
	for _, share := range []float64{0.5, 0.8} {
		rate := share * o.Rate
		for _, side := range []struct {
			name string
			do   Request
		}{{"stack", ours}, {"bare", bare}} {
			timed.Reset()
			s := OpenLoop{Phases: []Phase{{Rate: rate, Duration: latencySpan}}}.Run(ctx, side.do).Phase(0)
			if side.name == "stack" {
				in := Summarize(timed.Samples(), nil)
				t.Logf("stack at %.0f/s, server side (handler entered to returned): p50 %v, p99 %v, max %v", rate, in.P50, in.P99, in.Max)
			}
			t.Logf("%s at %.0f/s (%.0f%% of the stack's max): %d requests, p50 %v, p99 %v, max %v, transport errors %d, dropped %d; "+
				"p99 from sending %v, generator late by %v at p99",
				side.name, rate, 100*share, s.Requests, s.P50, s.P99, s.Max, s.Status[0], s.Dropped, s.SentP99, s.LagP99)
			if s.Status[200]+s.Status[0] != s.Requests {
				t.Errorf("%s: answers other than 200 below capacity: %v", side.name, s.Status)
			}
			if side.name == "stack" && share == 0.8 {
				goal(t, "p99 at 80% of max ≤ 5ms", s.P99 <= 5*time.Millisecond)
			}
		}
	}
	return o.Rate
}

// logLoad records the machine's load average, which the figures depend on.
// asService gives the test process the runtime settings `kakunin serve` runs with
// (server.TuneGC), until the test ends, and logs them.
func asService(t *testing.T) {
	prev, prevLimit := debug.SetGCPercent(100), debug.SetMemoryLimit(-1)
	debug.SetGCPercent(prev)
	t.Logf("GOGC %s, container memory limit %d, as kakunin serve runs", server.TuneGC(os.Getenv), server.TuneMemory(os.Getenv, os.ReadFile))
	t.Cleanup(func() { debug.SetGCPercent(prev); debug.SetMemoryLimit(prevLimit) })
}

func logLoad(t *testing.T) {
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		t.Logf("load average (1, 5, 15 min): %s on %d CPUs", strings.Join(strings.Fields(string(b))[:3], " "), runtime.NumCPU())
	}
}

func line(s Summary) string {
	var st []string
	for _, code := range []int{200, 429, 503} {
		if n := s.Status[code]; n > 0 {
			st = append(st, fmt.Sprintf("%d×%d", n, code))
		}
	}
	if n := s.Status[0]; n > 0 {
		st = append(st, fmt.Sprintf("%d transport errors", n))
	}
	return fmt.Sprintf("%d sent (%s), dropped %d, 200s p50 %v p99 %v max %v",
		s.Requests, strings.Join(st, " "), s.Dropped, s.P50, s.P99, s.Max)
}

func mib(b uint64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }
