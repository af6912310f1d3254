package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/kakunin-dev/kakunin/audit/audithttp"
	"github.com/kakunin-dev/kakunin/audit/verify"
)

const auditUsage = `verify --server URL --origin ORIGIN --key VKEY [--state FILE] [--json]
       kakunin audit verify --bundle FILE --origin ORIGIN --key VKEY [--state FILE] [--json]
       kakunin audit export --server URL [--from N] [--to N] [--since N] > bundle.json
       kakunin audit evidence --server URL --origin ORIGIN --key VKEY (--leaf N | --leaf-hash HASH | --did DID [--event TYPE]) [--out FILE]
       kakunin audit evidence --check CREDENTIAL.json --origin ORIGIN --key VKEY [--server URL]`

// maxAuditPage is the most entries asked of /audit/export at once (the
// server's default page).
const maxAuditPage = 1000

func runAudit(ctx context.Context, env *cliEnv, args []string) error {
	return auditCLI{}.run(ctx, env, args)
}

// auditCLI runs `kakunin audit`; tests inject the HTTP transport.
type auditCLI struct {
	transport http.RoundTripper // nil means http.DefaultTransport
}

func (a auditCLI) run(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 0 {
		return usageError{"which audit command? verify, export or evidence"}
	}
	switch args[0] {
	case "verify":
		return a.verify(ctx, env, args[1:])
	case "export":
		return a.export(ctx, env, args[1:])
	case "evidence":
		return a.evidence(ctx, env, args[1:])
	case "-h", "--help", "help":
		newFlags(env, "audit", auditUsage).Usage()
		return flag.ErrHelp
	}
	return usageError{fmt.Sprintf("unknown audit command %q (verify, export or evidence)", args[0])}
}

// auditResult is the outcome `audit verify` reports.
type auditResult struct {
	OK           bool    `json:"ok"`
	Origin       string  `json:"origin"`
	Size         uint64  `json:"size"`         // tree size verified (or seen before, on failure)
	Root         []byte  `json:"root"`         // its root hash
	PreviousSize uint64  `json:"previousSize"` // tree size of the state before this run
	Entries      int     `json:"entries"`      // entries whose inclusion was verified
	Kind         string  `json:"kind,omitempty"`
	Index        *uint64 `json:"index,omitempty"` // leaf index (or tree size) of the tampering
	Error        string  `json:"error,omitempty"`
}

type verifyFlags struct {
	server, bundle, origin, key, state string
	asJSON                             bool
	timeout                            time.Duration
	page                               uint64
}

func (a auditCLI) verify(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "audit", auditUsage)
	var f verifyFlags
	fs.StringVar(&f.server, "server", "", "base URL of the kakunin audit log")
	fs.StringVar(&f.bundle, "bundle", "", "verify this exported bundle offline instead")
	fs.StringVar(&f.origin, "origin", "", "the log's origin (checkpoint first line)")
	fs.StringVar(&f.key, "key", "", "the log's signed-note verifier key, pinned out of band")
	fs.StringVar(&f.state, "state", "", "file keeping the last verified checkpoint (default under the user config dir; none with --bundle)")
	fs.BoolVar(&f.asJSON, "json", false, "print machine-readable JSON")
	fs.DurationVar(&f.timeout, "timeout", 30*time.Second, "timeout of each HTTP request")
	fs.Uint64Var(&f.page, "page", maxAuditPage, "entries fetched per request (1-1000)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := f.check(fs); err != nil {
		return err
	}
	v, err := verify.New(f.origin, f.key)
	if err != nil {
		return usageError{fmt.Sprintf("--origin/--key: %v", err)}
	}
	statePath, err := f.statePath(env)
	if err != nil {
		return err
	}
	st, err := loadAuditState(v, statePath)
	if err != nil {
		return err
	}
	res := auditResult{Origin: f.origin, PreviousSize: st.Size()}
	next, n, err := a.check(ctx, v, st, f)
	res.Entries = n
	if err != nil {
		return reportFailure(env, f.asJSON, res, st, err)
	}
	if err := saveAuditState(statePath, next); err != nil {
		return err
	}
	res.OK, res.Size, res.Root = true, next.Size(), next.Root()
	plain := fmt.Sprintf("ok: %s verified at tree size %d (was %d), %d entries checked", f.origin, res.Size, res.PreviousSize, n)
	return printResult(env.stdout, f.asJSON, res, plain)
}

func (f verifyFlags) check(fs *flag.FlagSet) error {
	switch {
	case fs.NArg() > 0:
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	case (f.server == "") == (f.bundle == ""):
		return usageError{"give exactly one of --server and --bundle"}
	case f.origin == "" || f.key == "":
		return usageError{"--origin and --key are required"}
	case f.page == 0 || f.page > maxAuditPage || f.timeout <= 0:
		return usageError{fmt.Sprintf("--page must be 1-%d and --timeout positive", maxAuditPage)}
	}
	return nil
}

// statePath is --state, or the default state file of the origin when
// verifying a server ("" for an offline bundle without --state).
func (f verifyFlags) statePath(env *cliEnv) (string, error) {
	if f.state != "" || f.bundle != "" {
		return f.state, nil
	}
	dir := env.getenv("XDG_CONFIG_HOME")
	if dir == "" {
		var err error
		if dir, err = os.UserConfigDir(); err != nil {
			return "", fmt.Errorf("state file: %w (pass --state)", err)
		}
	}
	return filepath.Join(dir, "kakunin", "audit", url.PathEscape(f.origin)+".checkpoint"), nil
}

// check verifies the server's log or the offline bundle against st.
func (a auditCLI) check(ctx context.Context, v *verify.Verifier, st verify.State, f verifyFlags) (verify.State, int, error) {
	if f.bundle != "" {
		data, err := readBounded(f.bundle, verify.MaxBundleSize)
		if err != nil {
			return st, 0, err
		}
		b, err := verify.ParseBundle(data)
		if err != nil {
			return st, 0, err
		}
		next, err := v.Verify(st, b)
		return next, len(b.Entries), err
	}
	c, err := a.client(f.server, f.timeout)
	if err != nil {
		return st, 0, err
	}
	return c.Verify(ctx, v, st, f.page)
}

func (a auditCLI) client(server string, timeout time.Duration) (*audithttp.Client, error) {
	c, err := audithttp.NewClient(server, &http.Client{Transport: a.transport, Timeout: timeout})
	if err != nil {
		return nil, usageError{fmt.Sprintf("--server: %v", err)}
	}
	return c, nil
}

// reportFailure prints the verdict and returns the error (exit code 1).
func reportFailure(env *cliEnv, asJSON bool, res auditResult, st verify.State, err error) error {
	res.Size, res.Root, res.Kind, res.Error = st.Size(), st.Root(), failureKind(err), err.Error()
	var te *verify.TamperError
	if errors.As(err, &te) {
		res.Index = &te.Index
		err = fmt.Errorf("tampering detected: %w", err)
	}
	if asJSON {
		if perr := printResult(env.stdout, true, res, ""); perr != nil {
			return errors.Join(err, perr)
		}
	}
	return err
}

var failureKinds = []struct {
	err  error
	kind string
}{
	{verify.ErrMissingEntry, "missing-entry"},
	{verify.ErrReordered, "reordered"},
	{verify.ErrChangedEntry, "changed-entry"},
	{verify.ErrBadHash, "bad-hash"},
	{verify.ErrNotIncluded, "not-included"},
	{verify.ErrRootMismatch, "root-mismatch"},
	{verify.ErrInconsistent, "inconsistent"},
	{verify.ErrRollback, "rollback"},
	{verify.ErrBadSignature, "bad-signature"},
	{verify.ErrMalformed, "malformed"},
}

// failureKind names the kind of a verification failure; "error" for a failure
// to verify at all (network, files).
func failureKind(err error) string {
	for _, k := range failureKinds {
		if errors.Is(err, k.err) {
			return k.kind
		}
	}
	return "error"
}

func (a auditCLI) export(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "audit", auditUsage)
	server := fs.String("server", "", "base URL of the kakunin audit log")
	timeout := fs.Duration("timeout", 30*time.Second, "timeout of each HTTP request")
	var q audithttp.ExportQuery
	fs.Uint64Var(&q.From, "from", 0, "first index")
	fs.Uint64Var(&q.To, "to", 0, "end index, exclusive (default: one page, or up to the tree size)")
	fs.Uint64Var(&q.Since, "since", 0, "tree size verified before: adds a consistency proof from it")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *server == "" || fs.NArg() > 0 || *timeout <= 0 {
		return usageError{"export needs --server URL and no arguments"}
	}
	c, err := a.client(*server, *timeout)
	if err != nil {
		return err
	}
	// Fetching the checkpoint first has the server sign the current tree.
	if _, err := c.Checkpoint(ctx); err != nil {
		return err
	}
	data, _, err := c.Export(ctx, q)
	if err != nil {
		return err
	}
	_, err = env.stdout.Write(append(data, '\n'))
	return err
}

// loadAuditState reads the state file; a missing file (or none) is the zero
// state. The file is a signed checkpoint, checked with the log key.
func loadAuditState(v *verify.Verifier, path string) (verify.State, error) {
	if path == "" {
		return verify.State{}, nil
	}
	data, err := readBounded(path, verify.MaxCheckpointSize)
	if errors.Is(err, fs.ErrNotExist) {
		return verify.State{}, nil
	}
	if err != nil {
		return verify.State{}, err
	}
	st, err := v.LoadState(data)
	if err != nil {
		return verify.State{}, fmt.Errorf("%s: %w", path, err)
	}
	return st, nil
}

// saveAuditState replaces the state file atomically.
func saveAuditState(path string, st verify.State) error {
	if path == "" {
		return nil
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".checkpoint-*")
	if err != nil {
		return err
	}
	_, err = f.Write(st.Marshal())
	err = errors.Join(err, f.Sync(), f.Close())
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("saving state: %w", err)
	}
	return nil
}
