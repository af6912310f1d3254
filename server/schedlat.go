package server

import (
	"math"
	rtmetrics "runtime/metrics"
	"sync"
	"time"
)

// schedLatencyMetric is the Go runtime's histogram of the time goroutines spend
// runnable before they run: the CPU queue of the process.
const schedLatencyMetric = "/sched/latencies:seconds"

// runnableMetric is the number of goroutines waiting for a CPU.
const runnableMetric = "/sched/goroutines/runnable:goroutines"

// schedLatency reports a quantile of the scheduler latencies recorded between two
// calls of since, and the goroutines runnable at the call.
type schedLatency struct {
	q float64

	mu     sync.Mutex
	sample []rtmetrics.Sample
	prev   []uint64
}

func newSchedLatency(q float64) *schedLatency {
	return &schedLatency{q: q, sample: []rtmetrics.Sample{{Name: schedLatencyMetric}, {Name: runnableMetric}}}
}

// since returns the q-quantile of the latencies recorded since the previous call
// (0 when none were), as the upper bound of the histogram bucket it falls in, and
// the runnable goroutines now.
func (l *schedLatency) since() cpuLoad {
	l.mu.Lock()
	defer l.mu.Unlock()
	rtmetrics.Read(l.sample)
	if l.sample[0].Value.Kind() != rtmetrics.KindFloat64Histogram ||
		l.sample[1].Value.Kind() != rtmetrics.KindUint64 {
		return cpuLoad{} // a runtime without the metrics: never shed on them
	}
	h := l.sample[0].Value.Float64Histogram()
	d := histogramQuantile(l.prev, h.Counts, h.Buckets, l.q)
	l.prev = append(l.prev[:0], h.Counts...)
	return cpuLoad{delay: d, runnable: int(min(l.sample[1].Value.Uint64(), 1<<30))}
}

// histogramQuantile is the q-quantile of the counts added between prev and cur
// (prev nil: all of cur), as the upper bound in seconds of its bucket; buckets
// holds len(cur)+1 boundaries. An infinite bound reads as the bucket's lower one.
func histogramQuantile(prev, cur []uint64, buckets []float64, q float64) time.Duration {
	var total uint64
	for i, c := range cur {
		total += c - at(prev, i)
	}
	if total == 0 {
		return 0
	}
	// The rank (from 0) of the q-quantile among total values: ceil(q·total)-1.
	rank := uint64(max(math.Ceil(q*float64(total))-1, 0))
	rank = min(rank, total-1)
	var seen uint64
	for i, c := range cur {
		seen += c - at(prev, i)
		if seen > rank {
			hi := buckets[i+1]
			if math.IsInf(hi, 1) {
				hi = buckets[i]
			}
			return time.Duration(hi * float64(time.Second))
		}
	}
	return 0
}

func at(s []uint64, i int) uint64 {
	if i < len(s) {
		return s[i]
	}
	return 0
}
