package loadtest

import (
	"slices"
	"time"
)

// Sample is one request of a run.
type Sample struct {
	Phase   int           // index of the OpenLoop phase; 0 in a ClosedLoop
	Due     time.Duration // when it was due, from the start of the run
	Sent    time.Duration // when the generator sent it (Due or later), from the start of the run
	Latency time.Duration // from Due to the end of the response
	Status  int           // 0 when the request failed without a response, or its 200 was refused
}

// Summary counts the samples of a run or phase and gives latency percentiles of
// those answered 200.
type Summary struct {
	Requests int
	Status   map[int]int // by status; 0 counts transport errors
	Dropped  int         // not sent because MaxOutstanding requests were pending
	P50, P99 time.Duration
	Max      time.Duration
	// SentP99 is the p99 latency from sending rather than from the due time, and
	// LagP99 the p99 of how late the generator sent: on CPUs it shares with the
	// server, its own delays are part of P99.
	SentP99, LagP99 time.Duration
}

// Summarize summarises the samples for which keep is true (all when keep is nil).
func Summarize(samples []Sample, keep func(Sample) bool) Summary {
	s := Summary{Status: map[int]int{}}
	var ok, fromSent, lag []time.Duration
	for _, x := range samples {
		if keep != nil && !keep(x) {
			continue
		}
		s.Requests++
		s.Status[x.Status]++
		lag = append(lag, x.Sent-x.Due)
		if x.Status == 200 {
			ok = append(ok, x.Latency)
			fromSent = append(fromSent, x.Due+x.Latency-x.Sent)
		}
	}
	slices.Sort(ok)
	slices.Sort(fromSent)
	slices.Sort(lag)
	s.P50, s.P99 = Percentile(ok, 0.50), Percentile(ok, 0.99)
	s.SentP99, s.LagP99 = Percentile(fromSent, 0.99), Percentile(lag, 0.99)
	if len(ok) > 0 {
		s.Max = ok[len(ok)-1]
	}
	return s
}

// Share is the fraction of requests answered with one of the statuses.
func (s Summary) Share(statuses ...int) float64 {
	if s.Requests == 0 {
		return 0
	}
	n := 0
	for _, st := range statuses {
		n += s.Status[st]
	}
	return float64(n) / float64(s.Requests)
}

// Percentile returns the q-quantile (0 ≤ q ≤ 1) of sorted by the nearest-rank
// method; 0 for no values.
func Percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.999999) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// Recovery is how long after from the server kept answering badly: the time from
// from to the end of the last bad request that was due at or after from, or 0
// when every such request was good.
func Recovery(samples []Sample, from time.Duration, bad func(Sample) bool) time.Duration {
	var end time.Duration
	for _, x := range samples {
		if x.Due >= from && bad(x) {
			end = max(end, x.Due+x.Latency-from)
		}
	}
	return end
}

// SentRecovery is Recovery counted from when requests were sent rather than due:
// the time from from to the end of the last bad request sent after from.
// With from the moment the generator sent its last overload request, it is the
// server's own recovery, whatever time the generator (on the same CPUs) took to
// catch up with its schedule.
func SentRecovery(samples []Sample, from time.Duration, bad func(Sample) bool) time.Duration {
	var end time.Duration
	for _, x := range samples {
		if x.Sent > from && bad(x) {
			end = max(end, x.Due+x.Latency-from)
		}
	}
	return end
}

// LastSent is when the generator sent the last request of phase p.
func LastSent(samples []Sample, p int) time.Duration {
	var last time.Duration
	for _, x := range samples {
		if x.Phase == p {
			last = max(last, x.Sent)
		}
	}
	return last
}
