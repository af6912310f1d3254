package storetest

import (
	"bufio"
	"math/rand/v2"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// helperCommand is the command that runs the current test again as a helper
// process, with env=dsn set and its standard error passed through.
func helperCommand(t *testing.T, env, dsn string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), env+"="+dsn)
	cmd.Stderr = os.Stderr
	return cmd
}

// KillHelper re-runs the current test as a helper process with env=dsn set, passes
// each line it prints to onLine (which reports whether the line acknowledged a
// write), and kills it with SIGKILL after about n acknowledgements and a random
// few milliseconds more. The helper must not end by itself. The test, run with
// env set, is the helper: it writes until killed, printing each acknowledged
// write on its own line.
func KillHelper(t *testing.T, env, dsn string, n int, onLine func(line string) (ack bool)) {
	t.Helper()
	tagged, name := tagHelperDSN(dsn)
	cmd := helperCommand(t, env, tagged)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	count := 0
	for lines := bufio.NewScanner(out); lines.Scan(); {
		if !onLine(lines.Text()) {
			continue
		}
		if count++; count == n {
			time.Sleep(time.Duration(rand.IntN(5000)) * time.Microsecond)
			_ = cmd.Process.Signal(syscall.SIGKILL)
		}
	}
	err = cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
		t.Fatalf("helper ended by itself (%v) after %d acknowledgements, want SIGKILL", err, count)
	}
	settleHelper(t, dsn, name)
}
