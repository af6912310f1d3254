package main

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"
)

func runVersion(_ context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "version", "[--json]")
	asJSON := fs.Bool("json", false, "print machine-readable JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	v := map[string]string{"version": moduleVersion(), "go": runtime.Version()}
	if *asJSON {
		return json.NewEncoder(env.stdout).Encode(v)
	}
	_, err := fmt.Fprintf(env.stdout, "kakunin %s (%s)\n", v["version"], v["go"])
	return err
}

func moduleVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}
