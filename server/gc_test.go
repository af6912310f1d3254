package server

import (
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
