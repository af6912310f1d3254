package server

import (
	"runtime/debug"
	"strconv"
	"strings"
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

// cgroupLimitFiles are where a container's memory limit is read: cgroup v2, then v1.
var cgroupLimitFiles = []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}

// memoryShare is the part of a container's memory limit given to the Go heap's soft
// limit, leaving the rest to stacks, the runtime and other processes in the container.
const memoryShare = 0.9

// TuneMemory sets the runtime's soft memory limit to 90 % of the container's memory
// limit, so that the heap growth DefaultGCPercent allows turns into more frequent
// collection near the limit rather than an out-of-memory kill. It does nothing when
// GOMEMLIMIT is set (the runtime applied it) or no finite limit is found; read is
// os.ReadFile outside tests. It returns the limit set, or 0.
func TuneMemory(getenv func(string) string, read func(string) ([]byte, error)) int64 {
	if getenv("GOMEMLIMIT") != "" {
		return 0
	}
	for _, path := range cgroupLimitFiles {
		b, err := read(path)
		if err != nil {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
		if err != nil || n <= 0 || n >= 1<<62 { // "max", or v1's "no limit" near MaxInt64
			return 0
		}
		limit := int64(float64(n) * memoryShare)
		debug.SetMemoryLimit(limit)
		return limit
	}
	return 0
}
