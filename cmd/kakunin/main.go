// Command kakunin is the kakunin binary: the service (`kakunin serve`) and the CLI
// for owners, agents, credentials and auditors. It is the composition root: the
// only package that imports every other part of the project.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// Exit codes, documented in `kakunin help`.
const (
	exitOK      = 0
	exitFailure = 1 // the operation failed (verification said no, server error, I/O)
	exitUsage   = 2 // bad flags or arguments
)

// command is one subcommand.
type command struct {
	summary string
	run     func(ctx context.Context, env *cliEnv, args []string) error
}

// cliEnv is what a subcommand may touch: its streams and the process environment.
type cliEnv struct {
	stdout, stderr io.Writer
	getenv         func(string) string
}

// usageError marks errors caused by the caller's arguments (exit code 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func commands() map[string]command {
	return map[string]command{
		"version":    {"print the version", runVersion},
		"digest":     {"compute model and prompt digests for a did:kakunin", runDigest},
		"audit":      {"verify and export the audit log; make and check evidence", runAudit},
		"serve":      {"run the kakunin service", runServe},
		"owner":      {"create an owner CA (owner init)", runOwner},
		"agent":      {"enrol, renew, rotate, revoke, deactivate or link an agent", runAgent},
		"resolve":    {"resolve a DID through a kakunin service", runResolve},
		"vc":         {"issue, verify and revoke verifiable credentials", runVC},
		"completion": {"print a shell completion script (bash, zsh, fish)", runCompletion},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, &cliEnv{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}, os.Args[1:])
	stop()
	os.Exit(code)
}

func run(ctx context.Context, env *cliEnv, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printUsage(env.stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	cmd, ok := commands()[args[0]]
	if !ok {
		fmt.Fprintf(env.stderr, "kakunin: unknown command %q (see 'kakunin help')\n", args[0])
		return exitUsage
	}
	err := cmd.run(ctx, env, args[1:])
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(env.stderr, "kakunin %s: %v\n", args[0], err)
		return exitUsage
	default:
		fmt.Fprintf(env.stderr, "kakunin %s: %v\n", args[0], err)
		return exitFailure
	}
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "kakunin: verifiable identity and permissions for AI agents")
	fmt.Fprintln(w, "\nUsage: kakunin <command> [flags] [arguments]\n\nCommands:")
	cmds := commands()
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'kakunin <command> -h' for a command's flags.")
	fmt.Fprintln(w, "Exit codes: 0 success, 1 the operation failed, 2 usage error.")
}

// examples shows one typical use of each command in its -h output.
var examples = map[string]string{
	"agent":   "  kakunin agent enroll --server http://127.0.0.1:8080 --owner demo --model ./model.bin --prompt ./prompt.json",
	"audit":   "  kakunin audit verify --server http://127.0.0.1:8080 --origin 127.0.0.1:8080/audit --key \"$(curl -s http://127.0.0.1:8080/audit/key)\"",
	"digest":  "  kakunin digest model ./weights/ && kakunin digest prompt ./prompt.json",
	"owner":   "  kakunin owner init --id acme --key 'pkcs11:token=kakunin;object=acme-ca?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=/etc/kakunin/pin'",
	"resolve": "  kakunin resolve --accept application/did did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
	"serve":   "  kakunin serve --addr 127.0.0.1:8080 --data-dir ./data",
	"version": "  kakunin version --json",
}

// newFlags returns a flag set that reports errors instead of exiting.
func newFlags(env *cliEnv, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet("kakunin "+name, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.stderr, "Usage: kakunin %s %s\n", name, usage)
		fs.PrintDefaults()
		if ex := examples[name]; ex != "" {
			fmt.Fprintf(env.stderr, "\nExample:\n%s\n", ex)
		}
	}
	return fs
}

// parseFlags parses args and converts flag errors into usage errors.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	return nil
}
