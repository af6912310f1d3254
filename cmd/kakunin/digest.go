package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/kakunin-dev/kakunin/did/kakunin"
)

const digestUsage = `model PATH...        SHA-256 model digest of a file, a directory, or several files
       kakunin digest prompt MANIFEST.json  prompt digest of a prompt manifest (JCS, RFC 8785)
       kakunin digest salt                  a fresh 32-byte salt for a prompt manifest`

func runDigest(_ context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "digest", digestUsage)
	asJSON := fs.Bool("json", false, "print machine-readable JSON")
	quiet := fs.Bool("quiet", false, "no progress output")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	rest := fs.Args()
	if len(rest) == 0 {
		return usageError{"which digest? model, prompt or salt"}
	}
	var out map[string]string
	var err error
	switch rest[0] {
	case "model":
		out, err = modelDigest(env, rest[1:], *quiet)
	case "prompt":
		out, err = promptDigest(rest[1:])
	case "salt":
		var salt string
		salt, err = kakunin.NewSalt(rand.Reader)
		out = map[string]string{"salt": salt}
	default:
		return usageError{fmt.Sprintf("unknown digest %q (model, prompt or salt)", rest[0])}
	}
	if err != nil {
		return err
	}
	return printResult(env.stdout, *asJSON, out, out["digest"]+out["salt"])
}

func printResult(w io.Writer, asJSON bool, v any, plain string) error {
	if asJSON {
		return json.NewEncoder(w).Encode(v)
	}
	_, err := fmt.Fprintln(w, plain)
	return err
}

func modelDigest(env *cliEnv, paths []string, quiet bool) (map[string]string, error) {
	if len(paths) == 0 {
		return nil, usageError{"digest model needs at least one PATH"}
	}
	opts := kakunin.DigestOptions{}
	if !quiet && isTerminal(env.stderr) {
		opts.Progress = progressPrinter(env.stderr)
		defer fmt.Fprintln(env.stderr)
	}
	if len(paths) == 1 {
		info, err := os.Stat(paths[0])
		if err != nil {
			return nil, err
		}
		d, err := kakunin.DigestModel(paths[0], opts)
		if err != nil {
			return nil, err
		}
		kind := "model"
		if info.IsDir() {
			kind = "model-manifest"
		}
		return map[string]string{"digest": d.String(), "kind": kind}, nil
	}
	m := &kakunin.ModelManifest{}
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !info.Mode().IsRegular() {
			return nil, usageError{fmt.Sprintf("%s: with several PATHs each must be a file (pass one directory instead)", p)}
		}
		d, err := kakunin.DigestModel(p, opts)
		if err != nil {
			return nil, err
		}
		m.Files = append(m.Files, kakunin.FileEntry{Path: filepath.Base(p), Size: info.Size(), SHA256: d.String()})
	}
	d, err := m.Digest()
	if err != nil {
		return nil, err
	}
	return map[string]string{"digest": d.String(), "kind": "model-manifest"}, nil
}

func promptDigest(args []string) (map[string]string, error) {
	if len(args) != 1 {
		return nil, usageError{"digest prompt needs exactly one MANIFEST.json"}
	}
	data, err := readBounded(args[0], kakunin.MaxPromptManifest)
	if err != nil {
		return nil, err
	}
	m, err := kakunin.ParsePromptManifest(data)
	if err != nil {
		return nil, err
	}
	d, err := m.Digest()
	if err != nil {
		return nil, err
	}
	return map[string]string{"digest": d.String(), "kind": "prompt-manifest"}, nil
}

// readBounded reads a file of at most max bytes.
func readBounded(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, max)
	}
	return data, nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// progressPrinter redraws one status line at most ten times a second.
func progressPrinter(w io.Writer) func(int64) {
	start, last := time.Now(), time.Time{}
	return func(done int64) {
		now := time.Now()
		if now.Sub(last) < 100*time.Millisecond {
			return
		}
		last = now
		rate := float64(done) / now.Sub(start).Seconds() / (1 << 20)
		fmt.Fprintf(w, "\rhashed %.1f MiB (%.0f MiB/s)", float64(done)/(1<<20), rate)
	}
}
