package server

import (
	"runtime/debug"
	"strconv"
)

// DefaultGCPercent is the garbage collector target (GOGC) the service runs with
// when the environment sets none.
//
// A request allocates tens of kilobytes (an uncached did:kakunin resolution about
// 100 KB) while the live heap is a few MiB, so at Go's default of 100 the collector
// runs dozens of times a second under load and its marking competes with the
// requests for the CPUs: on 2 cores, the uncached resolution handler took 168 µs
// per request at 100 and 123–129 µs at 400 (docs/performance.md). The price is a
// heap that may grow to five times the live data instead of twice: with the
// resolver cache full, some tens of MiB more. Set GOGC (or GOMEMLIMIT) to trade
// back, for example in a container with little memory.
const DefaultGCPercent = 400

// TuneGC sets the collector's target to DefaultGCPercent unless getenv("GOGC") is
// set, in which case the runtime has already applied it. It returns the target in
// effect, as a string for the log ("off" when collection is off).
func TuneGC(getenv func(string) string) string {
	if v := getenv("GOGC"); v != "" {
		return v
	}
	debug.SetGCPercent(DefaultGCPercent)
	return strconv.Itoa(DefaultGCPercent)
}
