package server

import (
	"os"
	"runtime/debug"
	"testing"
)

func TestTuneGC(t *testing.T) {
	prev := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(prev) })

	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	if got := TuneGC(getenv); got != "400" || debug.SetGCPercent(100) != DefaultGCPercent {
		t.Fatalf("no GOGC: TuneGC = %q, or the target was not set", got)
	}
	env["GOGC"] = "150"
	if got := TuneGC(getenv); got != "150" || debug.SetGCPercent(100) != 100 {
		t.Fatalf("GOGC=150: TuneGC = %q, or it overrode the operator's value", got)
	}
}

func TestTuneMemory(t *testing.T) {
	prev := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(prev) })
	files := map[string]string{}
	read := func(p string) ([]byte, error) {
		if v, ok := files[p]; ok {
			return []byte(v), nil
		}
		return nil, os.ErrNotExist
	}
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }

	if got := TuneMemory(getenv, read); got != 0 {
		t.Fatalf("no cgroup: limit %d", got)
	}
	files["/sys/fs/cgroup/memory.max"] = "max\n"
	if got := TuneMemory(getenv, read); got != 0 {
		t.Fatalf("cgroup v2 without a limit: %d", got)
	}
	delete(files, "/sys/fs/cgroup/memory.max")
	files["/sys/fs/cgroup/memory/memory.limit_in_bytes"] = "9223372036854771712\n"
	if got := TuneMemory(getenv, read); got != 0 {
		t.Fatalf("cgroup v1 without a limit: %d", got)
	}
	files["/sys/fs/cgroup/memory.max"] = "536870912\n"
	if got := TuneMemory(getenv, read); got != 483183820 || debug.SetMemoryLimit(-1) != got {
		t.Fatalf("512 MiB container: limit %d", got)
	}
	env["GOMEMLIMIT"] = "100MiB"
	if got := TuneMemory(getenv, read); got != 0 {
		t.Fatalf("GOMEMLIMIT set: TuneMemory overrode it (%d)", got)
	}
}
