package loadtest

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"
)

// Phase is a span of an open-loop run at one offered rate.
type Phase struct {
	Rate     float64       // requests per second
	Duration time.Duration // how long the rate is offered
}

// OpenLoop offers fixed request rates in consecutive phases, without waiting for
// answers: the load a population of independent clients puts on a server.
type OpenLoop struct {
	Phases []Phase
	// MaxOutstanding bounds the requests waiting for an answer; a request due
	// while that many are pending is dropped and counted. Default 1024.
	MaxOutstanding int
	// MaxRequests bounds the requests of the run; default 1,000,000.
	MaxRequests int
}

// Run is the outcome of an open-loop run.
type Run struct {
	Samples    []Sample
	Dropped    []int           // per phase
	PhaseStart []time.Duration // from the start of the run
}

// Run sends the requests of every phase, each when it is due, waits for all the
// answers and returns them in order of Due. It stops early when ctx is done.
func (o OpenLoop) Run(ctx context.Context, do Request) *Run {
	if o.MaxOutstanding <= 0 {
		o.MaxOutstanding = 1024
	}
	if o.MaxRequests <= 0 {
		o.MaxRequests = 1_000_000
	}
	r := &Run{Dropped: make([]int, len(o.Phases))}
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		sem  = make(chan struct{}, o.MaxOutstanding)
		t0   = time.Now()
		sent int
	)
	record := func(s Sample) {
		mu.Lock()
		r.Samples = append(r.Samples, s)
		mu.Unlock()
	}
	var offset time.Duration
	for p, ph := range o.Phases {
		r.PhaseStart = append(r.PhaseStart, offset)
		n := int(ph.Rate * ph.Duration.Seconds())
		for i := 0; i < n && sent < o.MaxRequests && ctx.Err() == nil; i++ {
			due := offset + time.Duration(float64(i)/ph.Rate*float64(time.Second))
			if d := time.Until(t0.Add(due)); d > 0 {
				time.Sleep(d)
			}
			select {
			case sem <- struct{}{}:
			default:
				r.Dropped[p]++
				continue
			}
			sent++
			at := time.Since(t0)
			wg.Go(func() {
				defer func() { <-sem }()
				status, err := do(ctx)
				if err != nil && (status == http.StatusOK || !errors.Is(err, ErrRejected)) {
					status = 0 // a failure: no answer, or a 200 whose content was refused
				}
				record(Sample{Phase: p, Due: due, Sent: max(at, due), Latency: time.Since(t0.Add(due)), Status: status})
			})
		}
		offset += ph.Duration
	}
	wg.Wait()
	sortByDue(r.Samples)
	return r
}

// Phase summarises the samples of phase p.
func (r *Run) Phase(p int) Summary {
	s := Summarize(r.Samples, func(x Sample) bool { return x.Phase == p })
	s.Dropped = r.Dropped[p]
	return s
}
