package loadtest

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/resolver"
	"github.com/kakunin-dev/kakunin/server"
)

func TestPercentile(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, x := range v {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	cases := []struct {
		name   string
		sorted []time.Duration
		q      float64
		want   time.Duration
	}{
		{"empty", nil, 0.5, 0},
		{"one value", ms(7), 0.99, 7 * time.Millisecond},
		{"median of 1..100", ms(hundred...), 0.5, 50 * time.Millisecond},
		{"p99 of 1..100", ms(hundred...), 0.99, 99 * time.Millisecond},
		{"max", ms(hundred...), 1, 100 * time.Millisecond},
		{"min", ms(hundred...), 0, time.Millisecond},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Percentile(c.sorted, c.q); got != c.want {
				t.Fatalf("Percentile = %v, want %v", got, c.want)
			}
		})
	}
}

func TestSummarizeAndRecovery(t *testing.T) {
	ms := time.Millisecond
	samples := []Sample{
		{Phase: 0, Due: 0, Latency: 1 * ms, Status: 200},
		{Phase: 0, Due: 1 * ms, Latency: 3 * ms, Status: 200},
		{Phase: 1, Due: 10 * ms, Latency: 50 * ms, Status: 503},
		{Phase: 1, Due: 11 * ms, Latency: 2 * ms, Status: 429},
		{Phase: 1, Due: 12 * ms, Latency: 9 * ms, Status: 200},
		{Phase: 2, Due: 20 * ms, Latency: 30 * ms, Status: 200}, // slow: ends at 50ms
		{Phase: 2, Due: 25 * ms, Latency: 1 * ms, Status: 200},
	}
	s := Summarize(samples, func(x Sample) bool { return x.Phase == 1 })
	if s.Requests != 3 || s.Status[503] != 1 || s.Share(503, 429) != 2.0/3 || s.P99 != 9*ms {
		t.Fatalf("phase 1 summary %+v", s)
	}
	all := Summarize(samples, nil)
	if all.Requests != 7 || all.Max != 30*ms || all.P50 != 3*ms {
		t.Fatalf("summary %+v", all)
	}
	slow := func(x Sample) bool { return x.Status != 200 || x.Latency > 10*ms }
	if got := Recovery(samples, 20*ms, slow); got != 30*ms {
		t.Fatalf("Recovery = %v, want 30ms", got)
	}
	if got := Recovery(samples, 25*ms, slow); got != 0 {
		t.Fatalf("Recovery with no bad sample = %v", got)
	}
}

func TestSentRecovery(t *testing.T) {
	ms := time.Millisecond
	// The generator fell behind: the last overload request left at 28ms, 8ms after
	// the nominal end; the recovery phase's first request left late too and waited
	// 25ms from its due time, 13ms of them in the generator.
	samples := []Sample{
		{Phase: 1, Due: 19 * ms, Sent: 28 * ms, Latency: 40 * ms, Status: 503},
		{Phase: 2, Due: 20 * ms, Sent: 32 * ms, Latency: 25 * ms, Status: 200},
		{Phase: 2, Due: 30 * ms, Sent: 33 * ms, Latency: 4 * ms, Status: 200},
	}
	if got := LastSent(samples, 1); got != 28*ms {
		t.Fatalf("LastSent = %v, want 28ms", got)
	}
	slowDue := func(x Sample) bool { return x.Status != 200 || x.Latency > 10*ms }
	slowSent := func(x Sample) bool { return x.Status != 200 || x.Due+x.Latency-x.Sent > 10*ms }
	if got := Recovery(samples, 20*ms, slowDue); got != 25*ms {
		t.Fatalf("Recovery = %v, want 25ms (the phase-2 request due at 20ms ends at 45ms)", got)
	}
	if got := SentRecovery(samples, 28*ms, slowSent); got != 17*ms {
		t.Fatalf("SentRecovery = %v, want 17ms (it answered 13ms after it was sent, at 45ms)", got)
	}
	samples[1].Latency = 15 * ms // answered 3ms after sending
	if got := SentRecovery(samples, 28*ms, slowSent); got != 0 {
		t.Fatalf("SentRecovery with every request answered in time = %v", got)
	}
}

func TestGetRefusesOtherHosts(t *testing.T) {
	for _, u := range []string{"http://example.com/", "http://localhost:80/", "http://10.0.0.1/", "http://[::1]:80/"} {
		if _, err := Get(http.DefaultClient, u, nil); !errors.Is(err, ErrNotLoopback) {
			t.Errorf("Get(%q): %v, want ErrNotLoopback", u, err)
		}
	}
}

// counting serves 200 and counts the requests.
func counting(t *testing.T) (Request, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	base := serve(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n.Add(1)
		_, _ = w.Write([]byte("ok"))
	}))
	do, err := Get(NewClient(8), base+"/", nil)
	if err != nil {
		t.Fatal(err)
	}
	return do, &n
}

func TestOpenLoopSendsEachPhaseAtItsRate(t *testing.T) {
	do, served := counting(t)
	run := OpenLoop{Phases: []Phase{{Rate: 200, Duration: 100 * time.Millisecond}, {Rate: 100, Duration: 100 * time.Millisecond}}}.
		Run(context.Background(), do)
	if p0, p1 := run.Phase(0), run.Phase(1); p0.Status[200] != 20 || p1.Status[200] != 10 {
		t.Fatalf("phases answered %v and %v, want 20 and 10", p0.Status, p1.Status)
	}
	if served.Load() != 30 || run.PhaseStart[1] != 100*time.Millisecond {
		t.Fatalf("served %d, second phase at %v", served.Load(), run.PhaseStart[1])
	}
	for i, s := range run.Samples {
		if s.Due != time.Duration(i)*5*time.Millisecond && i < 20 {
			t.Fatalf("sample %d due at %v", i, s.Due)
		}
	}
}

func TestOpenLoopBounds(t *testing.T) {
	block := make(chan struct{})
	do := func(ctx context.Context) (int, error) {
		<-block
		return 200, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	done := make(chan *Run)
	go func() {
		done <- OpenLoop{MaxOutstanding: 3, MaxRequests: 5, Phases: []Phase{{Rate: 1000, Duration: 20 * time.Millisecond}}}.Run(ctx, do)
	}()
	time.Sleep(time.Second) // far beyond the 20ms of dispatching, even on a busy machine
	close(block)
	run := <-done
	if len(run.Samples) != 3 || run.Dropped[0] != 17 {
		t.Fatalf("%d sent, %d dropped; want 3 sent (MaxOutstanding), 17 dropped", len(run.Samples), run.Dropped[0])
	}
	run = OpenLoop{MaxRequests: 5, Phases: []Phase{{Rate: 1000, Duration: 20 * time.Millisecond}}}.Run(ctx, do)
	if len(run.Samples) != 5 {
		t.Fatalf("%d sent, want MaxRequests 5", len(run.Samples))
	}
}

func TestClosedLoop(t *testing.T) {
	do, served := counting(t)
	tp := ClosedLoop{Workers: 2, Duration: 100 * time.Millisecond, MaxRequests: 50}.Run(context.Background(), do)
	if tp.Summary.Status[200] == 0 || tp.Summary.Status[200] > 50 || served.Load() > 50 || tp.Rate <= 0 {
		t.Fatalf("closed loop: %+v, served %d", tp, served.Load())
	}
}

func TestTimedRecordsServerSide(t *testing.T) {
	timed := NewTimed(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/busy" {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		time.Sleep(2 * time.Millisecond)
		_, _ = w.Write([]byte("ok"))
	}), 2)
	base := serve(t, timed)
	for _, p := range []string{"/busy", "/ok", "/ok"} {
		do, err := Get(NewClient(1), base+p, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := do(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	s := timed.Samples()
	if len(s) != 2 || s[0].Status != 503 || s[1].Status != 200 || s[1].Latency < 2*time.Millisecond {
		t.Fatalf("samples %+v, want a 503 and a 200 of at least 2ms (and no third: max 2)", s)
	}
	timed.Reset()
	if len(timed.Samples()) != 0 {
		t.Fatal("Reset kept samples")
	}
}

// TestTargetsResolve checks that every load target resolves through the stack and
// that its result is cached (else scenario a would not measure cached
// resolution), so that a broken fixture shows in `make test`, not only under -load.
func TestTargetsResolve(t *testing.T) {
	for _, tg := range targets {
		t.Run(tg.name, func(t *testing.T) {
			cache := resolver.NewCache(resolver.CacheConfig{Now: tg.now})
			reg := resolver.New(resolver.WithCache(cache))
			if err := tg.register(reg); err != nil {
				t.Fatal(err)
			}
			if _, err := reg.Resolve(context.Background(), tg.did, did.ResolutionOptions{}); err != nil || cache.Len() != 1 {
				t.Fatalf("resolution: %v; %d results cached, want 1", err, cache.Len())
			}
			base, _ := startStack(t, tg, server.ShedConfig{}, true)
			body, ctype := fetch(t, NewClient(1), base+"/1.0/identifiers/"+tg.did)
			if ctype == "" || !strings.Contains(string(body), `"verificationMethod"`) || !strings.Contains(string(body), tg.did) {
				t.Fatalf("%s: %s %s", tg.name, ctype, body)
			}
		})
	}
}
