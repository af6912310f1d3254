package server

import (
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// admission sheds a share of new requests while the CPU is saturated. The
// in-flight limit cannot see that case: a CPU-bound handler finishes quickly once
// it runs, so few requests are ever inside the handlers at once, and the queue
// forms before them, among the goroutines that have read a request and wait for a
// CPU. admission measures that queue's delay (the Go scheduler latency, see
// [schedLatency]) once per interval and adjusts the share of requests it admits.
// The CPU is saturated when the delay is above target while at least minRunnable
// goroutines wait for a CPU (a long delay with a short queue means that other
// processes hold the CPU, which shedding does not cure):
//
//   - saturated for a second interval in a row, delay not falling: the share
//     shrinks by a quarter (down to minAdmit), so a 3× overload is shed within a
//     few hundred milliseconds;
//   - saturated for one interval only (a burst), or delay falling (the queue
//     drains): the share is kept;
//   - otherwise: the share grows by half plus 5 points, back to every request
//     within about five intervals.
//
// An I/O-bound overload leaves the CPU idle and the delay low: admission then
// admits everything and the in-flight limit does the shedding.
type admission struct {
	target   time.Duration
	interval time.Duration
	now      func() time.Time
	// minRunnable is the queue length below which the CPU is not saturated.
	minRunnable int
	measure     func() cpuLoad // the load since its previous call
	coin        func() float64 // uniform in [0, 1)

	next  atomic.Int64  // unix nanoseconds of the next update
	share atomic.Uint64 // math.Float64bits of the admitted share

	mu        sync.Mutex
	lastWait  time.Duration // the delay of the previous update
	saturated bool          // whether the previous update found the CPU saturated
	updated   time.Time     // when the previous update ran
}

// growSteps bounds the growth steps of one update: from minAdmit, seven reach 1.
const growSteps = 8

// minAdmit is the smallest share admitted: some requests always pass, so that a
// client keeps seeing answers while the server sheds.
const minAdmit = 1.0 / 16

// cpuLoad is what admission measures: the CPU queueing delay over the interval
// that ended, and how many goroutines wait for a CPU at its end.
type cpuLoad struct {
	delay    time.Duration
	runnable int
}

func newAdmission(target, interval time.Duration, minRunnable int, now func() time.Time, measure func() cpuLoad, coin func() float64) *admission {
	a := &admission{target: target, interval: interval, minRunnable: minRunnable, now: now, measure: measure, coin: coin}
	a.share.Store(math.Float64bits(1))
	a.updated = now()
	a.next.Store(a.updated.Add(interval).UnixNano())
	measure() // start the first interval's measurement now
	return a
}

// newCPUAdmission is admission on the process's scheduler latency, or nil when
// target is negative. The CPU counts as saturated with at least 16 runnable
// goroutines per CPU (GOMAXPROCS).
func newCPUAdmission(target, interval time.Duration) *admission {
	if target < 0 {
		return nil
	}
	lat := newSchedLatency(0.9)
	return newAdmission(target, interval, 16*runtime.GOMAXPROCS(0), time.Now, lat.since, rand.Float64)
}

// allow reports whether a new request is admitted; the first caller after an
// interval ends updates the share.
func (a *admission) allow() bool {
	if a == nil {
		return true
	}
	now := a.now()
	if next := a.next.Load(); now.UnixNano() >= next &&
		a.next.CompareAndSwap(next, now.Add(a.interval).UnixNano()) {
		a.update(now)
	}
	s := a.admitted()
	return s >= 1 || a.coin() < s
}

// admitted is the share of new requests currently admitted.
func (a *admission) admitted() float64 { return math.Float64frombits(a.share.Load()) }

// update reads the delay of the intervals since the previous update and adjusts the
// share. Updates run only when requests arrive, so after a quiet spell the share grows
// once for every interval that passed: the first clients back on an idle server are
// not shed for an overload long gone.
func (a *admission) update(now time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	l := a.measure()
	saturated := l.delay > a.target && l.runnable >= a.minRunnable
	s := a.admitted()
	switch {
	case saturated && a.saturated && l.delay >= a.lastWait:
		s = max(minAdmit, s*0.75)
	case saturated:
	default:
		for range min(max(int(now.Sub(a.updated)/a.interval), 1), growSteps) {
			s = min(1, s*1.5+0.05)
		}
	}
	a.lastWait, a.saturated, a.updated = l.delay, saturated, now
	a.share.Store(math.Float64bits(s))
}

// collector exports the admitted share, so that an operator sees when and how hard the
// CPU signal sheds (the in-flight limit's sheds are the 503s of the request counter).
func (a *admission) collector() prometheus.Collector {
	return prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "kakunin_shed_admitted_share",
		Help: "Share of new requests admitted by CPU-based shedding (1: none shed).",
	}, a.admitted)
}
