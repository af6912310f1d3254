package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/vc/status"
)

// TestCredentialCascadeConfig reads --credential-cascade from its default, a flag, the
// environment and the YAML file, and refuses any other value with a usage error naming it.
func TestCredentialCascadeConfig(t *testing.T) {
	file := filepath.Join(t.TempDir(), "kakunin.yaml")
	if err := os.WriteFile(file, []byte("credentialCascade: revoke\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		vars map[string]string
		args []string
		want status.Purpose
	}{
		{"default", nil, nil, status.Suspension},
		{"flag", nil, []string{"--credential-cascade", "revoke"}, status.Revocation},
		{"environment", map[string]string{"KAKUNIN_CREDENTIAL_CASCADE": "revoke"}, nil, status.Revocation},
		{"file", map[string]string{"KAKUNIN_CONFIG": file}, nil, status.Revocation},
		{"flag over file", map[string]string{"KAKUNIN_CONFIG": file}, []string{"--credential-cascade", "suspend"}, status.Suspension},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := loadServeConfig(testEnv(tt.vars), tt.args)
			if err != nil {
				t.Fatal(err)
			}
			if got, err := cfg.cascadePurpose(); err != nil || got != tt.want {
				t.Errorf("cascadePurpose() = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
	for _, bad := range []string{"Revoke", "delete", "suspend,revoke"} {
		_, err := loadServeConfig(testEnv(map[string]string{"KAKUNIN_CREDENTIAL_CASCADE": bad}), nil)
		var ue usageError
		want := fmt.Sprintf("--credential-cascade: %q is neither suspend nor revoke", bad)
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want a usage error %q", bad, err, want)
		}
	}
}

// TestCascadeRevokes: with --credential-cascade revoke, revoking the demo agent's
// certificate through the CA revokes the credential issued to it (the verifier says
// REVOKED, not SUSPENDED), and a second revocation of the agent changes nothing more.
func TestCascadeRevokes(t *testing.T) {
	dir := t.TempDir()
	in := startServe(t, "--addr", "127.0.0.1:0", "--data-dir", dir, "--credential-cascade", "revoke")
	defer in.stop()
	m := tokenRE.FindStringSubmatch(in.out.String())
	if in.did == "" || m == nil {
		t.Fatalf("no demo DID or admin token in:\n%s", in.out)
	}
	cred := issueAt(t, in, "/credentials/issue", m[1], in.did)
	if types := cascadeProblems(t, in, cred.Raw); len(types) != 0 {
		t.Fatalf("fresh credential: problems %q", types)
	}
	cert, _ := demoChain(t, dir)
	revoke := []byte(fmt.Sprintf(`{"serialNumber":%q,"reason":"keyCompromise"}`, cert.SerialNumber.Text(16)))
	if code, _, body := fetch(t, http.MethodPost, in.base+"/ca/owners/demo/revoke", "application/json", m[1], revoke); code/100 != 2 {
		t.Fatalf("revoke: %d %s", code, body)
	}
	types := cascadeProblems(t, in, cred.Raw)
	if !slices.ContainsFunc(types, func(s string) bool { return strings.HasSuffix(s, "#REVOKED") }) ||
		slices.ContainsFunc(types, func(s string) bool { return strings.HasSuffix(s, "#SUSPENDED") }) {
		t.Errorf("credential of the revoked agent: problems %q, want REVOKED and not SUSPENDED", types)
	}
	if strings.Contains(in.logs.String(), "the credentials of a revoked agent failed") {
		t.Errorf("cascade failure logged:\n%s", in.logs)
	}
}

// cascadeProblems verifies a credential through the VC API and returns the types of its
// problems.
func cascadeProblems(t *testing.T, in *instance, cred json.RawMessage) []string {
	t.Helper()
	req, _ := json.Marshal(map[string]any{"verifiableCredential": cred})
	code, _, out := fetch(t, http.MethodPost, in.base+"/credentials/verify", "application/json", "", req)
	var r struct {
		Verified       bool `json:"verified"`
		ProblemDetails []struct {
			Type string `json:"type"`
		} `json:"problemDetails"`
	}
	if err := json.Unmarshal(out, &r); code != http.StatusOK || err != nil {
		t.Fatalf("verify: %d %s", code, out)
	}
	var types []string
	for _, p := range r.ProblemDetails {
		types = append(types, p.Type)
	}
	if r.Verified != (len(types) == 0) {
		t.Fatalf("verified %v with problems %q", r.Verified, types)
	}
	return types
}

// TestCascadeReconcileSetting loses the cascade (the certificate is revoked by a CA
// without hooks) and sees the reconciliation apply --credential-cascade: with suspend the
// credential is suspended and not revoked, with revoke it is revoked, even when it was
// suspended before; a second run changes nothing.
func TestCascadeReconcileSetting(t *testing.T) {
	for _, tt := range []struct {
		mode           string
		suspendFirst   bool
		wantSuspension uint64
		wantRevocation uint64
	}{
		{cascadeSuspend, false, 1, 0},
		{cascadeRevoke, false, 0, 1},
		{cascadeRevoke, true, 1, 1},
	} {
		t.Run(fmt.Sprintf("%s, suspended before %v", tt.mode, tt.suspendFirst), func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			dsn := filepath.Join(dir, "kakunin.db")
			args := []string{"--addr", "127.0.0.1:0", "--data-dir", dir, "--db", dsn, "--credential-cascade", tt.mode}
			svc, cfg, agent := lostCascade(t, args, dir, dsn, io.Discard, func(in *instance, token string) {
				cred := issueAt(t, in, "/credentials/issue", token, in.did)
				if tt.suspendFirst {
					suspendCredential(t, in, token, cred.Raw)
				}
			})
			purpose, _ := cfg.cascadePurpose()
			if pending, err := svc.cascadePending(ctx, agent, purpose); err != nil || !pending {
				t.Fatalf("before reconciliation: pending %v, %v; want true", pending, err)
			}
			for run := 1; run <= 2; run++ {
				if err := svc.reconcile(ctx); err != nil {
					t.Fatalf("reconcile %d: %v", run, err)
				}
				if pending, err := svc.cascadePending(ctx, agent, purpose); err != nil || pending {
					t.Fatalf("after reconciliation %d: pending %v, %v; want false", run, pending, err)
				}
				bits := statusBits(t, svc.db, agent)
				if bits[status.Suspension] != tt.wantSuspension || bits[status.Revocation] != tt.wantRevocation {
					t.Errorf("after reconciliation %d: status %v, want suspension %d, revocation %d",
						run, bits, tt.wantSuspension, tt.wantRevocation)
				}
			}
		})
	}
}

// suspendCredential suspends an issued credential through the VC API.
func suspendCredential(t *testing.T, in *instance, token string, cred json.RawMessage) {
	t.Helper()
	var doc struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(cred, &doc); err != nil || doc.ID == "" {
		t.Fatalf("credential id: %v", err)
	}
	body, _ := json.Marshal(map[string]any{"credentialId": doc.ID, "credentialStatus": map[string]any{
		"type": "BitstringStatusListEntry", "statusPurpose": "suspension"}, "status": true})
	if code, _, out := fetch(t, http.MethodPost, in.base+"/credentials/status", "application/json", token, body); code/100 != 2 {
		t.Fatalf("suspend: %d %s", code, out)
	}
}

// statusBits returns the status values of the one credential the store files under did.
func statusBits(t *testing.T, db store.DB, did string) map[status.Purpose]uint64 {
	t.Helper()
	ctx := context.Background()
	recs, err := db.(store.CredentialReader).CredentialsBySubject(ctx, did)
	if err != nil || len(recs) != 1 {
		t.Fatalf("credentials of %s: %d, %v", did, len(recs), err)
	}
	out := map[status.Purpose]uint64{}
	for _, e := range recs[0].Status {
		v, err := db.(store.StatusReader).Status(ctx, e.ListID, e.Index)
		if err != nil {
			t.Fatal(err)
		}
		out[e.Purpose] = v
	}
	return out
}
