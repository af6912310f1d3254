package main

import (
	"context"
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the txtar scripts in testdata/script run the real binary as "kakunin".
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"kakunin": func() {
			os.Exit(run(context.Background(), &cliEnv{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}, os.Args[1:]))
		},
	})
}

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{Dir: "testdata/script"})
}
