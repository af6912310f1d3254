package server

import (
	"context"
	"runtime"
	"strconv"
	"time"

	"github.com/labstack/echo/v5"
)

// ErrOverloaded is the problem of a request shed because the server already runs
// MaxInFlight requests and no slot freed within QueueWait, or because the CPU is
// saturated (see [ShedConfig]): 503 with Retry-After.
// RFC 9110 §15.6.4: 503 "indicates that the server is currently unable to handle
// the request due to a temporary overload"; "the server MAY send a Retry-After
// header field to suggest an appropriate amount of time for the client to wait".
// It is shared by every request: compare it with errors.Is and never modify it.
var ErrOverloaded = &Problem{Type: "about:blank", Title: "Service Unavailable", Status: 503,
	Detail: "the server is overloaded; retry later"}

// ShedConfig bounds the requests the server works on at once, and sheds new
// requests while the CPU is saturated. The zero value gives the defaults below; a
// negative MaxInFlight turns both off.
//
// The in-flight limit protects handlers that wait on I/O. It does not see a
// CPU-bound overload: such handlers finish quickly once they run, and the queue
// forms before them, among the goroutines waiting for a CPU. For that case the
// server measures the Go scheduler latency (runtime/metrics
// /sched/latencies:seconds), the time runnable goroutines wait for a CPU: while
// its 90th percentile exceeds MaxCPUDelay for two intervals in a row, with at
// least 16 runnable goroutines per CPU, the share of new requests admitted
// shrinks by a quarter each interval (to at least 1/16); when the delay is back
// under the target the share grows again. Shed requests are answered 503 with
// Retry-After, like those beyond the in-flight limit.
type ShedConfig struct {
	// MaxInFlight is the number of requests handled concurrently; default
	// 64×GOMAXPROCS (suited to handlers that wait on I/O; CPU-bound roles do
	// better with a few per core).
	MaxInFlight int
	// MaxQueue is how many requests may wait for a slot; those beyond it are shed
	// at once. Default MaxInFlight.
	MaxQueue int
	// QueueWait is how long a request waits for a slot before it is shed; default
	// 50ms.
	QueueWait time.Duration
	// RetryAfter is the Retry-After of a shed request, rounded up to whole seconds;
	// default 1s.
	RetryAfter time.Duration
	// MaxCPUDelay is the CPU queueing delay (90th percentile of the scheduler
	// latency over CPUInterval) above which new requests are shed; default 20ms,
	// negative turns CPU-based shedding off. An idle or I/O-bound server stays
	// around a millisecond.
	MaxCPUDelay time.Duration
	// CPUInterval is how often the delay is measured and the admitted share
	// adjusted; default 50ms.
	CPUInterval time.Duration
}

func (c ShedConfig) withDefaults() ShedConfig {
	if c.MaxInFlight == 0 {
		c.MaxInFlight = 64 * runtime.GOMAXPROCS(0)
	}
	if c.MaxQueue <= 0 {
		c.MaxQueue = c.MaxInFlight
	}
	if c.QueueWait <= 0 {
		c.QueueWait = 50 * time.Millisecond
	}
	if c.RetryAfter <= 0 {
		c.RetryAfter = time.Second
	}
	if c.MaxCPUDelay == 0 {
		c.MaxCPUDelay = 20 * time.Millisecond
	}
	if c.CPUInterval <= 0 {
		c.CPUInterval = 50 * time.Millisecond
	}
	return c
}

// shedder is a counting semaphore with a short, bounded wait, behind an admission
// control on the CPU queueing delay: under overload it answers at once (or after
// QueueWait) instead of queueing without bound, so the latency of admitted
// requests stays bounded and memory stays flat.
type shedder struct {
	slots      chan struct{}
	queue      chan struct{}
	wait       time.Duration
	retryAfter string
	cpu        *admission // nil: no CPU-based shedding
}

func newShedder(cfg ShedConfig) *shedder {
	cfg = cfg.withDefaults()
	if cfg.MaxInFlight < 0 {
		return nil
	}
	return &shedder{
		slots:      make(chan struct{}, cfg.MaxInFlight),
		queue:      make(chan struct{}, cfg.MaxQueue),
		wait:       cfg.QueueWait,
		retryAfter: retryAfterSeconds(cfg.RetryAfter),
		cpu:        newCPUAdmission(cfg.MaxCPUDelay, cfg.CPUInterval),
	}
}

// acquire takes a slot, waiting at most s.wait in the bounded queue. The caller
// must release a slot it got.
func (s *shedder) acquire(ctx context.Context) bool {
	select {
	case s.slots <- struct{}{}:
		return true
	default:
	}
	select {
	case s.queue <- struct{}{}:
	default:
		return false
	}
	defer func() { <-s.queue }()
	t := time.NewTimer(s.wait)
	defer t.Stop()
	select {
	case s.slots <- struct{}{}:
		return true
	case <-t.C:
		return false
	case <-ctx.Done():
		return false
	}
}

func (s *shedder) release() { <-s.slots }

func (s *shedder) middleware() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		if s == nil {
			return next
		}
		return func(c *echo.Context) error {
			if exempt(c) {
				return next(c)
			}
			if !s.cpu.allow() || !s.acquire(c.Request().Context()) {
				c.Response().Header().Set("Retry-After", s.retryAfter)
				return ErrOverloaded
			}
			defer s.release()
			return next(c)
		}
	}
}

// exempt reports whether the route is one that load balancers and monitoring
// call (health, readiness, metrics): those are neither shed nor rate limited, so
// an overloaded server still reports its state.
func exempt(c *echo.Context) bool {
	switch c.Path() {
	case "/healthz", "/readyz", "/metrics":
		return true
	}
	return false
}

// retryAfterSeconds renders d as Retry-After delay-seconds (RFC 9110 §10.2.3:
// "a non-negative decimal integer, representing time in seconds"), rounded up and
// at least 1 so that clients do not retry at once.
func retryAfterSeconds(d time.Duration) string {
	s := int64((d + time.Second - 1) / time.Second)
	return strconv.FormatInt(max(s, 1), 10)
}
