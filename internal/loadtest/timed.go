package loadtest

import (
	"net/http"
	"sync"
	"time"
)

// Timed wraps a handler and records the server-side time of each request, from
// ServeHTTP to its return: what the server itself controls, apart from the time
// a request waited for a goroutine to read it. It keeps at most max samples.
type Timed struct {
	h   http.Handler
	max int

	mu      sync.Mutex
	t0      time.Time
	samples []Sample
}

// NewTimed returns h timed; its clock starts now (see Reset).
func NewTimed(h http.Handler, max int) *Timed {
	return &Timed{h: h, max: max, t0: time.Now()}
}

// Reset forgets the samples and restarts the clock the samples' Due counts from.
func (t *Timed) Reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.t0, t.samples = time.Now(), nil
}

// Samples returns the samples in order of arrival; Due is when the handler was
// entered, from the last Reset.
func (t *Timed) Samples() []Sample {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := append([]Sample(nil), t.samples...)
	sortByDue(out)
	return out
}

// ServeHTTP serves r with the wrapped handler and records it.
func (t *Timed) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	t.h.ServeHTTP(sw, r)
	took := time.Since(start)
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.samples) < t.max {
		t.samples = append(t.samples, Sample{Due: start.Sub(t.t0), Sent: start.Sub(t.t0), Latency: took, Status: sw.status})
	}
}

type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
