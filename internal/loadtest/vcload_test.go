package loadtest

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// Spans of the VC scenarios; one backend takes about 20 s.
const (
	vcProbeSpan   = 2 * time.Second // each closed-loop probe
	vcLatencySpan = 3 * time.Second // open loop at 80% of the max
	vcPreIssued   = 200             // credentials the verify scenario cycles through
)

// vcWorkers are the closed-loop concurrencies probed; the best is kept.
var vcWorkers = []int{16, 64}

// TestVCLoad measures, on every backend, the most credentials issued and verified
// per second over HTTP, the CPU per request, and p50/p99 at 80% of the max:
//
//	go test -count=1 -run TestVCLoad -v ./internal/loadtest/ -load
func TestVCLoad(t *testing.T) {
	if !*load {
		t.Skip("load scenarios run with -load")
	}
	logLoad(t)
	defer logLoad(t)
	for _, b := range vcBackends {
		t.Run(b.name, func(t *testing.T) {
			s := startVC(t, b.dsn(t))
			c := NewClient(poolConns)
			t.Run("issue", func(t *testing.T) { vcScenario(t, s.issueRequest(t, c)) })
			t.Run("verify", func(t *testing.T) { vcScenario(t, s.verifyRequest(t, c, s.preIssue(t, vcPreIssued))) })
		})
	}
}

// vcScenario finds the max rate of do over vcWorkers, then offers 80% of it in an
// open loop, and logs both.
func vcScenario(t *testing.T, do Request) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var best Throughput
	for _, w := range vcWorkers {
		tp := ClosedLoop{Workers: w, Duration: vcProbeSpan}.Run(ctx, do)
		t.Logf("max rate, %2d workers: %6.0f/s, CPU %v per request (client + server); %s",
			w, tp.Rate, tp.CPUPerRequest.Round(time.Microsecond), vcLine(tp.Summary))
		if tp.Summary.Share(200) < 0.99 {
			t.Errorf("%d workers: %.1f%% good answers", w, 100*tp.Summary.Share(200))
		}
		if tp.Rate > best.Rate {
			best = tp
		}
	}
	if best.Rate == 0 {
		t.Fatal("no good answer")
	}
	rate := 0.8 * best.Rate
	r := OpenLoop{Phases: []Phase{{Rate: rate, Duration: vcLatencySpan}}, MaxOutstanding: clientConns}.Run(ctx, do)
	t.Logf("open loop at 80%% of max (%.0f/s): %s", rate, vcLine(r.Phase(0)))
}

func vcLine(s Summary) string {
	return fmt.Sprintf("%d requests, %d good, %d dropped, p50 %v, p99 %v, max %v", s.Requests, s.Status[200],
		s.Dropped, s.P50.Round(10*time.Microsecond), s.P99.Round(10*time.Microsecond), s.Max.Round(100*time.Microsecond))
}
