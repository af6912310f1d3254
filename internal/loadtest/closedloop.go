package loadtest

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// ClosedLoop runs Workers concurrent clients, each sending its next request as
// soon as the previous one is answered, for Duration: the rate it achieves is the
// most the server (and this client) can do at that concurrency.
type ClosedLoop struct {
	Workers  int           // default 32
	Duration time.Duration // default 2s
	// MaxRequests bounds the requests of the run; default 1,000,000.
	MaxRequests int
}

// Throughput is the outcome of a closed-loop run.
type Throughput struct {
	Rate float64 // 200 answers per second
	// CPUPerRequest is the process CPU time (client and server) per 200 answer: on a
	// shared machine it compares two servers better than Rate, which depends on how
	// much CPU the process got.
	CPUPerRequest time.Duration
	Summary       Summary
}

// Run runs the workers and returns the throughput of 200 answers.
func (c ClosedLoop) Run(ctx context.Context, do Request) Throughput {
	if c.Workers <= 0 {
		c.Workers = 32
	}
	if c.Duration <= 0 {
		c.Duration = 2 * time.Second
	}
	if c.MaxRequests <= 0 {
		c.MaxRequests = 1_000_000
	}
	ctx, cancel := context.WithTimeout(ctx, c.Duration)
	defer cancel()
	var (
		wg      sync.WaitGroup
		budget  atomic.Int64
		t0      = time.Now()
		cpu0    = CPUTime()
		perWork = make([][]Sample, c.Workers)
	)
	budget.Store(int64(c.MaxRequests))
	for w := range c.Workers {
		wg.Go(func() {
			for ctx.Err() == nil && budget.Add(-1) >= 0 {
				start := time.Since(t0)
				status, err := do(ctx)
				if ctx.Err() != nil {
					return // cut by the end of the run, not answered
				}
				if err != nil && (status == http.StatusOK || !errors.Is(err, ErrRejected)) {
					status = 0 // a failure: no answer, or a 200 whose content was refused
				}
				perWork[w] = append(perWork[w], Sample{Due: start, Sent: start, Latency: time.Since(t0) - start, Status: status})
			}
		})
	}
	wg.Wait()
	elapsed, cpu := time.Since(t0), CPUTime()-cpu0
	all := slices.Concat(perWork...)
	sortByDue(all)
	s := Summarize(all, nil)
	ok := max(s.Status[200], 1)
	return Throughput{Rate: float64(s.Status[200]) / elapsed.Seconds(),
		CPUPerRequest: cpu / time.Duration(ok), Summary: s}
}

func sortByDue(s []Sample) {
	slices.SortFunc(s, func(a, b Sample) int { return int(a.Due - b.Due) })
}
