package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPublicDemo proves what the Universal Resolver registration relies on: two
// fresh installs with --demo-public-owner create the same demo DID, the one the
// registration kit lists, and it resolves on each; a data directory made without
// the flag is refused rather than served under another DID.
func TestPublicDemo(t *testing.T) {
	yml, err := os.ReadFile(filepath.Join("..", "..", "docs", "universal-resolver", "application.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(yml), "- "+PublicDemoDID+"\n") {
		t.Errorf("application.yml does not list %s as a test identifier", PublicDemoDID)
	}
	for i := range 2 {
		dir := t.TempDir()
		in := startServe(t, "--addr", "127.0.0.1:0", "--data-dir", dir, "--roles", "resolver", "--demo-public-owner")
		if in.did != PublicDemoDID {
			t.Errorf("install %d: demo DID %s, want %s", i, in.did, PublicDemoDID)
		}
		if got := len(resolveDemo(t, in).DIDDocument.VerificationMethod); got == 0 {
			t.Errorf("install %d: the demo DID resolves without a key", i)
		}
		code, _, body := fetch(t, http.MethodGet, in.base+"/1.0/testIdentifiers", "", "", nil)
		if code != http.StatusOK || !strings.Contains(string(body), PublicDemoDID) {
			t.Errorf("install %d: testIdentifiers %d %s", i, code, body)
		}
		if err := in.stop(); err != nil {
			t.Fatal(err)
		}
	}

	dir := t.TempDir()
	in := startServe(t, "--addr", "127.0.0.1:0", "--data-dir", dir, "--roles", "resolver")
	if in.did == PublicDemoDID {
		t.Fatal("the default demo has the public owner key")
	}
	if err := in.stop(); err != nil {
		t.Fatal(err)
	}
	env := &cliEnv{stdout: &syncBuffer{}, stderr: &syncBuffer{}, getenv: func(string) string { return "" }}
	err = runServe(context.Background(), env, []string{"--addr", "127.0.0.1:0", "--data-dir", dir, "--demo-public-owner"})
	if err == nil || !strings.Contains(err.Error(), "another key") {
		t.Fatalf("a data directory with a private demo owner: err = %v", err)
	}
}
