package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func cli(t *testing.T, run func(context.Context, *cliEnv, []string) error, vars map[string]string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := &cliEnv{stdout: &out, stderr: &errOut, getenv: func(k string) string { return vars[k] }}
	err := run(context.Background(), env, args)
	return out.String(), err
}

// TestOwnerAgentResolveCLI creates an owner with `owner init`, serves it, enrols an
// agent under it with `agent enroll` and resolves the agent with `resolve`.
func TestOwnerAgentResolveCLI(t *testing.T) {
	dir := t.TempDir()
	out, err := cli(t, runOwner, nil, "init", "--id", "acme", "--data-dir", dir)
	if err != nil || !strings.Contains(out, "owner key z6Mk") {
		t.Fatalf("owner init: %v %q", err, out)
	}
	if _, err := cli(t, runOwner, nil, "init", "--id", "acme", "--data-dir", dir); err == nil {
		t.Fatal("owner init twice succeeded")
	}
	ext := filepath.Join(t.TempDir(), "hsm-stand-in.pem")
	if out, err := cli(t, runOwner, nil, "init", "--id", "ext", "--key", ext, "--alg", "ECDSA-P256", "--data-dir", dir); err != nil || !strings.Contains(out, "owner key zDn") {
		t.Fatalf("owner init --key: %v %q", err, out)
	}
	in := startServe(t, "--addr", "127.0.0.1:0", "--data-dir", dir, "--demo=false")
	defer in.stop()
	for _, owner := range []string{"acme", "ext"} {
		if code := get(t, in.base+"/ca/owners/"+owner, ""); code != http.StatusOK {
			t.Errorf("owner %s not served: %d", owner, code)
		}
	}
	token := tokenRE.FindStringSubmatch(in.out.String())[1]
	model, prompt := filepath.Join(dir, "m.bin"), filepath.Join(dir, "p.json")
	os.WriteFile(model, []byte("weights"), 0o600)
	os.WriteFile(prompt, []byte(`{"salt":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","systemPrompt":"hi","tools":[],"config":{}}`), 0o600)
	agentDir := filepath.Join(dir, "agent")
	enroll := []string{"enroll", "--server", in.base, "--owner", "acme", "--model", model, "--prompt", prompt, "--out", agentDir}
	if _, err := cli(t, runAgent, nil, enroll...); err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("enrol without a token: %v", err)
	}
	out, err = cli(t, runAgent, map[string]string{"KAKUNIN_TOKEN": token}, enroll...)
	if err != nil || !strings.HasPrefix(out, "did:kakunin:") {
		t.Fatalf("agent enroll: %v %q", err, out)
	}
	id := strings.Fields(out)[0]
	if _, err := os.Stat(filepath.Join(agentDir, "agent.pem")); err != nil {
		t.Fatal(err)
	}
	out, err = cli(t, runResolve, nil, "--server", in.base, id)
	if err != nil || !strings.Contains(out, `"x5c"`) {
		t.Fatalf("resolve: %v %s", err, out)
	}
	out, err = cli(t, runResolve, nil, "--server", in.base, "did:kakunin:nope")
	if err == nil || !strings.Contains(out, "invalidDid") && !strings.Contains(out, "INVALID_DID") {
		t.Fatalf("resolve of an invalid DID: %v %s", err, out)
	}
	var ue usageError
	if _, err := cli(t, runResolve, nil); !errors.As(err, &ue) {
		t.Errorf("resolve without a DID: %v", err)
	}
}
