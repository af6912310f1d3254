package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/audithttp"
	"github.com/kakunin-dev/kakunin/audit/memstore"
	"github.com/kakunin-dev/kakunin/audit/verify"
	"github.com/kakunin-dev/kakunin/server"
)

const auditOrigin = "kakunin.example/audit"

func auditCheckpointer(t testing.TB) *audit.Checkpointer {
	t.Helper()
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{3}, ed25519.SeedSize))
	c, err := audit.NewCheckpointer(auditOrigin, key)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// auditLog is a memstore audit log of n entries (subject "did:example:agent<i>")
// served over HTTP; every request sees the store's current tree.
type auditLog struct {
	store *memstore.Store
	url   string
	cp    *audit.Checkpointer
}

func newAuditLog(t testing.TB, n int) *auditLog {
	t.Helper()
	l := &auditLog{store: new(memstore.Store), cp: auditCheckpointer(t)}
	l.grow(t, n)
	l.url = serveAuditStore(t, l.store)
	return l
}

func (l *auditLog) grow(t testing.TB, n int) {
	t.Helper()
	size, _ := l.store.LockTree(context.Background())
	for i := int(size); i < n; i++ {
		e := audit.Entry{Type: audit.CertIssued, Time: time.Date(2026, 11, 26, 9, 0, i, 0, time.UTC),
			Actor: "did:example:owner", Tenant: "t1", Subject: fmt.Sprintf("did:example:agent%d", i),
			Digest: audit.SHA256(fmt.Append(nil, i))}
		if _, err := audit.Append(context.Background(), l.store, e); err != nil {
			t.Fatal(err)
		}
	}
}

// serveAuditStore serves s, signing a new checkpoint on every request.
func serveAuditStore(t testing.TB, s *memstore.Store) string {
	t.Helper()
	h, err := auditHandler(s)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

func auditHandler(s *memstore.Store) (http.Handler, error) {
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{3}, ed25519.SeedSize))
	cp, err := audit.NewCheckpointer(auditOrigin, key)
	if err != nil {
		return nil, err
	}
	h, err := audithttp.New(audithttp.Memory(s), cp, audithttp.Config{SignInterval: time.Nanosecond})
	if err != nil {
		return nil, err
	}
	return server.New(server.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, h).Handler(), nil
}

// tampered serves a copy of l's store changed by change.
func (l *auditLog) tampered(t testing.TB, change func(d *memstore.Data)) string {
	t.Helper()
	d := l.store.Data()
	change(&d)
	return serveAuditStore(t, memstore.Load(d))
}

// runAuditCmd runs `kakunin audit args...` in process.
func runAuditCmd(t testing.TB, env map[string]string, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	e := &cliEnv{stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return env[k] }}
	err := auditCLI{transport: http.DefaultTransport}.run(context.Background(), e, args)
	return stdout.String(), stderr.String(), err
}

func (l *auditLog) verifyArgs(server, state string, extra ...string) []string {
	return append([]string{"verify", "--server", server, "--origin", auditOrigin, "--key", l.cp.VerifierKey(), "--state", state}, extra...)
}

func decodeResult(t *testing.T, out string) auditResult {
	t.Helper()
	var r auditResult
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("output %q: %v", out, err)
	}
	return r
}

func TestAuditVerifyServer(t *testing.T) {
	l := newAuditLog(t, 7)
	state := filepath.Join(t.TempDir(), "sub", "state")
	out, _, err := runAuditCmd(t, nil, l.verifyArgs(l.url, state, "--json", "--page", "3")...)
	if err != nil {
		t.Fatal(err)
	}
	if r := decodeResult(t, out); !r.OK || r.Size != 7 || r.Entries != 7 || r.PreviousSize != 0 || len(r.Root) != 32 {
		t.Fatalf("first run = %+v", r)
	}
	l.grow(t, 12)
	out, _, err = runAuditCmd(t, nil, l.verifyArgs(l.url, state)...)
	if err != nil || !strings.Contains(out, "tree size 12 (was 7), 5 entries checked") {
		t.Fatalf("second run = %q, %v", out, err)
	}
	saved, err := os.ReadFile(state)
	if err != nil || !bytes.HasPrefix(saved, []byte(auditOrigin+"\n12\n")) {
		t.Fatalf("state file = %q, %v", saved, err)
	}
}

// A failed verification names the index and kind and leaves the state alone.
func TestAuditVerifyReportsTampering(t *testing.T) {
	l := newAuditLog(t, 8)
	other := []byte(`{"actor":"system","digest":"sha-256:` + strings.Repeat("0", 64) + `","tenant":"t1","time":"2026-11-26T09:00:00Z","type":"cert.issued","v":1}`)
	rolledBack := newAuditLog(t, 5)
	cases := []struct {
		name   string
		server func(t *testing.T) string
		kind   error
		label  string
		index  uint64
	}{
		{"changed entry", func(t *testing.T) string {
			return l.tampered(t, func(d *memstore.Data) { d.Entries[6] = other })
		}, verify.ErrChangedEntry, "changed-entry", 6},
		{"removed entry", func(t *testing.T) string {
			return l.tampered(t, func(d *memstore.Data) { d.Entries[7] = nil })
		}, verify.ErrMissingEntry, "missing-entry", 7},
		{"rollback", func(*testing.T) string { return rolledBack.url }, verify.ErrRollback, "rollback", 6},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			state := filepath.Join(t.TempDir(), "state")
			if err := os.WriteFile(state, checkpointAt(t, l, 6), 0o600); err != nil {
				t.Fatal(err)
			}
			before, _ := os.ReadFile(state)
			out, _, err := runAuditCmd(t, nil, l.verifyArgs(tc.server(t), state, "--json")...)
			var te *verify.TamperError
			if !errors.As(err, &te) || !errors.Is(err, tc.kind) || te.Index != tc.index {
				t.Fatalf("err = %v, want %v at %d", err, tc.kind, tc.index)
			}
			r := decodeResult(t, out)
			if r.OK || r.Kind != tc.label || r.Index == nil || *r.Index != tc.index || r.Size != 6 {
				t.Fatalf("result = %+v", r)
			}
			if after, _ := os.ReadFile(state); !bytes.Equal(before, after) {
				t.Fatal("state changed on failure")
			}
		})
	}
}

// checkpointAt signs a checkpoint of l's first n entries, as a state file.
func checkpointAt(t *testing.T, l *auditLog, n int) []byte {
	t.Helper()
	d := l.store.Data()
	d.Entries, d.Subjects, d.Checkpoint = d.Entries[:n], d.Subjects[:n], nil
	prefix := memstore.Load(d)
	signed, err := l.cp.Sign(context.Background(), prefix)
	if err != nil {
		t.Fatal(err)
	}
	return signed
}

func TestAuditExportThenVerifyBundle(t *testing.T) {
	l := newAuditLog(t, 9)
	out, _, err := runAuditCmd(t, nil, "export", "--server", l.url, "--from", "0", "--to", "9")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bundle, state := filepath.Join(dir, "bundle.json"), filepath.Join(dir, "state")
	if err := os.WriteFile(bundle, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"verify", "--bundle", bundle, "--origin", auditOrigin, "--key", l.cp.VerifierKey()}
	if out, _, err := runAuditCmd(t, nil, args...); err != nil || !strings.Contains(out, "tree size 9 (was 0), 9 entries") {
		t.Fatalf("offline verify = %q, %v", out, err)
	}
	if _, err := os.Stat(state); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("offline verify without --state wrote a state")
	}
	b, err := verify.ParseBundle([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	b.Entries[4].Entry = b.Entries[5].Entry[:len(b.Entries[5].Entry)-1]
	data, _ := b.Marshal()
	if err := os.WriteFile(bundle, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runAuditCmd(t, nil, append(args, "--state", state)...); !errors.Is(err, verify.ErrChangedEntry) {
		t.Fatalf("offline verify of a changed bundle: %v", err)
	}
}

func TestAuditDefaultStateFile(t *testing.T) {
	l := newAuditLog(t, 2)
	cfg := t.TempDir()
	args := []string{"verify", "--server", l.url, "--origin", auditOrigin, "--key", l.cp.VerifierKey()}
	if _, _, err := runAuditCmd(t, map[string]string{"XDG_CONFIG_HOME": cfg}, args...); err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(cfg, "kakunin", "audit", "kakunin.example%2Faudit.checkpoint")
	if _, err := os.Stat(want); err != nil {
		t.Fatalf("state file: %v", err)
	}
}

func TestAuditUsage(t *testing.T) {
	key := auditCheckpointer(t).VerifierKey()
	cases := []struct {
		name string
		args []string
	}{
		{"no command", nil},
		{"unknown command", []string{"audit"}},
		{"neither server nor bundle", []string{"verify", "--origin", auditOrigin, "--key", key}},
		{"both server and bundle", []string{"verify", "--server", "http://x", "--bundle", "b", "--origin", auditOrigin, "--key", key}},
		{"no key", []string{"verify", "--server", "http://x", "--origin", auditOrigin}},
		{"bad key", []string{"verify", "--server", "http://x", "--origin", auditOrigin, "--key", "nope"}},
		{"page too large", []string{"verify", "--server", "http://x", "--origin", auditOrigin, "--key", key, "--page", "1001"}},
		{"bad server URL", []string{"verify", "--server", "file:///etc", "--origin", auditOrigin, "--key", key, "--state", "s"}},
		{"extra argument", []string{"verify", "--server", "http://x", "--origin", auditOrigin, "--key", key, "x"}},
		{"unknown flag", []string{"verify", "--colour"}},
		{"export without server", []string{"export"}},
		{"export bad index", []string{"export", "--server", "http://x", "--from", "-1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := runAuditCmd(t, nil, tc.args...)
			var ue usageError
			if !errors.As(err, &ue) {
				t.Fatalf("err = %v, want a usage error", err)
			}
		})
	}
}

func TestAuditStateFromAnotherLogIsRejected(t *testing.T) {
	l := newAuditLog(t, 2)
	state := filepath.Join(t.TempDir(), "state")
	if err := os.WriteFile(state, []byte("kakunin.example/audit\n2\nnot a root\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runAuditCmd(t, nil, l.verifyArgs(l.url, state)...); !errors.Is(err, verify.ErrMalformed) {
		t.Fatalf("unsigned state: %v", err)
	}
}

func TestRunAuditIsTheCommand(t *testing.T) {
	var stderr bytes.Buffer
	env := &cliEnv{stdout: io.Discard, stderr: &stderr, getenv: func(string) string { return "" }}
	var ue usageError
	if err := runAudit(context.Background(), env, nil); !errors.As(err, &ue) {
		t.Fatalf("runAudit without arguments: %v", err)
	}
	for _, args := range [][]string{{"-h"}, {"verify", "-h"}, {"export", "--help"}} {
		stderr.Reset()
		if err := runAudit(context.Background(), env, args); !errors.Is(err, flag.ErrHelp) || !strings.Contains(stderr.String(), "kakunin audit verify") {
			t.Fatalf("runAudit %v = %v, usage %q", args, err, stderr.String())
		}
	}
}

// TestAuditScripts runs testdata/script/audit/*.txtar with in-process commands:
// "auditlog N" serves an in-memory log grown to N entries ($SERVER, $ORIGIN,
// $KEY), "auditlog-tamper I" serves a copy whose entry I changed, and
// "kakunin-audit ARGS" runs `kakunin audit ARGS`.
func TestAuditScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script/audit",
		Setup: func(env *testscript.Env) error {
			env.Values["log"] = &auditLog{store: new(memstore.Store), cp: auditCheckpointer(t)}
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"auditlog":        scriptAuditLog(t),
			"auditlog-tamper": scriptAuditTamper,
			"kakunin-audit":   scriptKakuninAudit,
		},
	})
}

func scriptAuditLog(t testing.TB) func(ts *testscript.TestScript, neg bool, args []string) {
	return func(ts *testscript.TestScript, neg bool, args []string) {
		n, err := strconv.Atoi(strings.Join(args, ""))
		if neg || err != nil {
			ts.Fatalf("usage: auditlog N")
		}
		l := ts.Value("log").(*auditLog)
		l.grow(t, n)
		if l.url == "" {
			l.url = serveScriptStore(ts, l.store)
		}
		ts.Setenv("SERVER", l.url)
		ts.Setenv("ORIGIN", auditOrigin)
		ts.Setenv("KEY", l.cp.VerifierKey())
	}
}

func scriptAuditTamper(ts *testscript.TestScript, neg bool, args []string) {
	i, err := strconv.Atoi(strings.Join(args, ""))
	l := ts.Value("log").(*auditLog)
	d := l.store.Data()
	if neg || err != nil || i < 0 || i >= len(d.Entries) {
		ts.Fatalf("usage: auditlog-tamper INDEX (below the log size)")
	}
	d.Entries[i] = bytes.Replace(d.Entries[i], []byte(`"tenant":"t1"`), []byte(`"tenant":"t2"`), 1)
	ts.Setenv("SERVER", serveScriptStore(ts, memstore.Load(d)))
}

func serveScriptStore(ts *testscript.TestScript, s *memstore.Store) string {
	h, err := auditHandler(s)
	ts.Check(err)
	srv := httptest.NewServer(h)
	ts.Defer(srv.Close)
	return srv.URL
}

func scriptKakuninAudit(ts *testscript.TestScript, neg bool, args []string) {
	env := &cliEnv{stdout: ts.Stdout(), stderr: ts.Stderr(), getenv: ts.Getenv}
	args = slices.Clone(args)
	for i := 1; i < len(args); i++ { // file flags are relative to $WORK, not the process
		if args[i-1] == "--state" || args[i-1] == "--bundle" {
			args[i] = ts.MkAbs(args[i])
		}
	}
	err := auditCLI{}.run(context.Background(), env, args)
	if err != nil {
		fmt.Fprintf(env.stderr, "kakunin audit: %v\n", err)
	}
	switch {
	case err != nil && !neg:
		ts.Fatalf("kakunin audit: %v", err)
	case err == nil && neg:
		ts.Fatalf("kakunin audit succeeded unexpectedly")
	}
}
