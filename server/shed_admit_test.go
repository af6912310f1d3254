package server

import (
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/labstack/echo/v5"
)

// fakeCPU is an injected clock and CPU load signal for admission.
type fakeCPU struct {
	now      time.Time
	delay    time.Duration
	runnable int
	reads    int
}

func (f *fakeCPU) clock() time.Time { return f.now }

func (f *fakeCPU) signal() cpuLoad { f.reads++; return cpuLoad{f.delay, f.runnable} }

// testMinRunnable is the saturation queue length of the tests' admissions.
const testMinRunnable = 32

// tick ends the current interval with delay d and lets one request through allow,
// which performs the update.
func (f *fakeCPU) tick(a *admission, d time.Duration) {
	f.delay = d
	f.now = f.now.Add(a.interval)
	a.allow()
}

func TestAdmissionShare(t *testing.T) {
	const target, interval = 10 * time.Millisecond, 50 * time.Millisecond
	f := &fakeCPU{now: time.Unix(1000, 0), runnable: testMinRunnable}
	a := newAdmission(target, interval, testMinRunnable, f.clock, f.signal, func() float64 { return 0.5 })
	steps := []struct {
		delay time.Duration
		want  float64
	}{
		{1 * time.Millisecond, 1},           // healthy: everything admitted
		{10 * time.Millisecond, 1},          // at the target: still healthy
		{40 * time.Millisecond, 1},          // one interval above: a burst, kept
		{80 * time.Millisecond, 0.75},       // second interval, growing: shrinks
		{80 * time.Millisecond, 0.5625},     // standing queue: shrinks
		{60 * time.Millisecond, 0.5625},     // draining: kept
		{200 * time.Millisecond, 0.421875},  // worse again
		{5 * time.Millisecond, 0.6828125},   // recovered: grows by half plus 0.05
		{300 * time.Millisecond, 0.6828125}, // a new burst: kept
	}
	for i, s := range steps {
		f.tick(a, s.delay)
		if got := a.admitted(); got != s.want {
			t.Fatalf("step %d (delay %v): share %v, want %v", i, s.delay, got, s.want)
		}
	}
	for i := range 20 {
		f.tick(a, time.Duration(i+1)*time.Second)
	}
	if got := a.admitted(); got != minAdmit {
		t.Fatalf("a growing delay for 20 intervals: share %v, want the floor %v", got, minAdmit)
	}
	f.tick(a, 2*time.Millisecond)
	if got, want := a.admitted(), minAdmit*1.5+0.05; got != want {
		t.Fatalf("first healthy interval after the floor: share %v, want %v", got, want)
	}
	for range 5 {
		f.tick(a, time.Millisecond)
	}
	if got := a.admitted(); got != 1 {
		t.Fatalf("five healthy intervals after the floor: share %v, want 1", got)
	}
	// A long delay with a short queue: other processes hold the CPU; nothing shed.
	f.runnable = testMinRunnable - 1
	f.tick(a, time.Second)
	if got := a.admitted(); got != 1 {
		t.Fatalf("delay 1s with %d runnable goroutines: share %v, want 1", f.runnable, got)
	}
}

func TestAdmissionUpdatesOncePerInterval(t *testing.T) {
	f := &fakeCPU{now: time.Unix(1000, 0), delay: time.Second, runnable: testMinRunnable}
	a := newAdmission(10*time.Millisecond, 50*time.Millisecond, testMinRunnable, f.clock, f.signal, func() float64 { return 0 })
	if f.reads != 1 {
		t.Fatalf("%d signal reads at construction, want 1 (the start of the first interval)", f.reads)
	}
	for range 100 {
		a.allow()
	}
	if f.reads != 1 || a.admitted() != 1 {
		t.Fatalf("within the first interval: %d reads, share %v", f.reads, a.admitted())
	}
	f.now = f.now.Add(49 * time.Millisecond)
	a.allow()
	if f.reads != 1 {
		t.Fatal("updated before the interval ended")
	}
	f.now = f.now.Add(time.Millisecond)
	for range 100 {
		a.allow()
	}
	if f.reads != 2 || a.admitted() != 1 {
		t.Fatalf("after one interval: %d reads, share %v; want 2 reads, share 1 (one interval is a burst)", f.reads, a.admitted())
	}
	f.now = f.now.Add(50 * time.Millisecond)
	for range 100 {
		a.allow()
	}
	if f.reads != 3 || a.admitted() != 0.75 {
		t.Fatalf("after two intervals: %d reads, share %v; want 3 reads, share 0.75", f.reads, a.admitted())
	}
}

func TestAdmissionCoin(t *testing.T) {
	f := &fakeCPU{now: time.Unix(1000, 0), runnable: testMinRunnable}
	coin := 0.0
	a := newAdmission(10*time.Millisecond, 50*time.Millisecond, testMinRunnable, f.clock, f.signal, func() float64 { return coin })
	f.tick(a, time.Second)
	f.tick(a, time.Second) // share 0.75
	for _, c := range []struct {
		coin float64
		want bool
	}{{0, true}, {0.74, true}, {0.75, false}, {0.99, false}} {
		coin = c.coin
		if got := a.allow(); got != c.want {
			t.Errorf("coin %v at share 0.75: allow %v, want %v", c.coin, got, c.want)
		}
	}
	var none *admission
	if !none.allow() {
		t.Error("a nil admission (CPU shedding off) refused a request")
	}
}

// TestCPUShedding drives the server's middleware with an injected CPU delay: it
// sheds with 503 and Retry-After while the delay is above the target, exempts
// health routes, and admits everything once the delay is back under it.
func TestCPUShedding(t *testing.T) {
	f := &fakeCPU{now: time.Unix(1000, 0), runnable: testMinRunnable}
	coin := 0.9
	srv := New(Config{Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)),
		RateLimit: RateLimitConfig{Read: Unlimited, Write: Unlimited}},
		MountFunc(func(e *echo.Echo) {
			e.GET("/work", func(c *echo.Context) error { return c.String(http.StatusOK, "done") })
		}))
	a := newAdmission(10*time.Millisecond, 50*time.Millisecond, testMinRunnable, f.clock, f.signal, func() float64 { return coin })
	srv.shed.cpu = a
	get := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		return rec
	}
	if rec := get("/work"); rec.Code != http.StatusOK {
		t.Fatalf("healthy: %d", rec.Code)
	}
	f.delay, f.now = 300*time.Millisecond, f.now.Add(50*time.Millisecond)
	if rec := get("/work"); rec.Code != http.StatusOK {
		t.Fatalf("first saturated interval (a burst): %d", rec.Code)
	}
	f.now = f.now.Add(50 * time.Millisecond)
	rec := get("/work")
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") != "1" ||
		rec.Header().Get("Content-Type") != "application/problem+json" {
		t.Fatalf("CPU overload: %d %v, want a 503 problem with Retry-After 1", rec.Code, rec.Header())
	}
	for _, p := range []string{"/healthz", "/metrics"} {
		if rec := get(p); rec.Code != http.StatusOK {
			t.Fatalf("%s during CPU overload: %d", p, rec.Code)
		}
	}
	coin = 0.1 // below the share 0.75: admitted
	if rec := get("/work"); rec.Code != http.StatusOK {
		t.Fatalf("a request inside the admitted share: %d", rec.Code)
	}
	coin = 0.99
	for range 5 {
		f.delay, f.now = time.Millisecond, f.now.Add(50*time.Millisecond)
		get("/healthz") // exempt routes neither consult nor update the share
	}
	if a.admitted() != 0.75 {
		t.Fatalf("exempt routes moved the share to %v", a.admitted())
	}
	for range 3 {
		get("/work")
		f.now = f.now.Add(50 * time.Millisecond)
	}
	if rec := get("/work"); rec.Code != http.StatusOK || a.admitted() != 1 {
		t.Fatalf("after the delay fell: %d, share %v", rec.Code, a.admitted())
	}
}

// TestAdmissionAfterQuietSpell: updates run only when requests arrive, so the share
// reached during an overload must not greet the first clients after a quiet spell.
func TestAdmissionAfterQuietSpell(t *testing.T) {
	const target, interval = 10 * time.Millisecond, 50 * time.Millisecond
	f := &fakeCPU{now: time.Unix(1000, 0), runnable: testMinRunnable}
	a := newAdmission(target, interval, testMinRunnable, f.clock, f.signal, func() float64 { return 0.5 })
	for i := range 20 {
		f.tick(a, time.Duration(i+1)*time.Second)
	}
	if got := a.admitted(); got != minAdmit {
		t.Fatalf("overload: share %v, want the floor %v", got, minAdmit)
	}
	f.delay, f.runnable = time.Millisecond, 0
	f.now = f.now.Add(10 * time.Minute)
	if !a.allow() {
		t.Fatal("the first request after ten quiet minutes was shed")
	}
	if got := a.admitted(); got != 1 {
		t.Fatalf("after ten quiet minutes: share %v, want 1", got)
	}
}

func TestHistogramQuantile(t *testing.T) {
	buckets := []float64{0, 0.001, 0.01, 0.1, math.Inf(1)}
	cases := []struct {
		name      string
		prev, cur []uint64
		q         float64
		want      time.Duration
	}{
		{"empty", nil, []uint64{0, 0, 0, 0}, 0.9, 0},
		{"all fast", nil, []uint64{100, 0, 0, 0}, 0.9, time.Millisecond},
		{"p90 in the 10ms bucket", nil, []uint64{80, 15, 5, 0}, 0.9, 10 * time.Millisecond},
		{"only the new counts", []uint64{1000, 0, 0, 0}, []uint64{1010, 90, 0, 0}, 0.9, 10 * time.Millisecond},
		{"nothing new", []uint64{5, 5, 5, 5}, []uint64{5, 5, 5, 5}, 0.9, 0},
		{"overflow bucket reads its lower bound", nil, []uint64{0, 0, 0, 10}, 0.9, 100 * time.Millisecond},
		{"ten values: the ninth, not the largest", nil, []uint64{9, 1, 0, 0}, 0.9, time.Millisecond},
		{"q=1 is the largest", nil, []uint64{5, 0, 3, 0}, 1, 100 * time.Millisecond},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := histogramQuantile(c.prev, c.cur, buckets, c.q); got != c.want {
				t.Fatalf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestSchedLatencyReadsRuntime(t *testing.T) {
	l := newSchedLatency(0.9)
	l.since()
	done := make(chan struct{})
	for range 8 {
		go func() { <-done }()
	}
	close(done)
	time.Sleep(10 * time.Millisecond)
	if got := l.since(); got.delay < 0 || got.delay > 10*time.Second || got.runnable < 0 {
		t.Fatalf("scheduler load %+v", got)
	}
	if len(l.prev) == 0 {
		t.Fatal("the runtime histogram was not read")
	}
}
