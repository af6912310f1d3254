package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/audithttp"
	"github.com/kakunin-dev/kakunin/ca"
	"github.com/kakunin-dev/kakunin/keys"
	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/backend"
)

// verifyResult is the part of a VC API verification result the cascade tests read.
type verifyResult struct {
	Verified       bool `json:"verified"`
	ProblemDetails []struct {
		Type string `json:"type"`
	} `json:"problemDetails"`
}

func (r verifyResult) suspended() bool {
	return slices.ContainsFunc(r.ProblemDetails, func(p struct {
		Type string `json:"type"`
	}) bool {
		return strings.HasSuffix(p.Type, "SUSPENDED")
	})
}

// issueScope issues a scope credential to did through the VC API.
func issueScope(t *testing.T, in *instance, token, did string) json.RawMessage {
	t.Helper()
	body, _ := json.Marshal(map[string]any{
		"agent": did, "validitySeconds": 3600,
		"delegator": map[string]any{"id": "did:web:acme.example", "name": "Acme"},
		"grants":    []any{map[string]any{"actions": []string{"payments:create"}}},
	})
	code, _, out := fetch(t, http.MethodPost, in.base+"/credentials/issue/scope", "application/json", token, body)
	var issued struct {
		VerifiableCredential json.RawMessage `json:"verifiableCredential"`
	}
	if err := json.Unmarshal(out, &issued); code != http.StatusCreated || err != nil || len(issued.VerifiableCredential) == 0 {
		t.Fatalf("issue scope credential: %d %s", code, out)
	}
	return issued.VerifiableCredential
}

func verifyVC(t *testing.T, in *instance, cred json.RawMessage) verifyResult {
	t.Helper()
	req, _ := json.Marshal(map[string]any{"verifiableCredential": cred})
	code, _, out := fetch(t, http.MethodPost, in.base+"/credentials/verify", "application/json", "", req)
	var r verifyResult
	if err := json.Unmarshal(out, &r); code != http.StatusOK || err != nil {
		t.Fatalf("verify: %d %s", code, out)
	}
	return r
}

// auditTypes returns the types of the published audit entries about did, in log
// order, after signing a fresh checkpoint.
func auditTypes(t *testing.T, in *instance, did string) []audit.EventType {
	t.Helper()
	if code := get(t, in.base+"/audit/checkpoint", ""); code != http.StatusOK {
		t.Fatalf("audit checkpoint: %d", code)
	}
	code, _, body := fetch(t, http.MethodGet, in.base+"/audit/entries?start=0", "", "", nil)
	var page audithttp.EntryPage
	if err := json.Unmarshal(body, &page); code != http.StatusOK || err != nil {
		t.Fatalf("audit entries: %d %s", code, body)
	}
	var out []audit.EventType
	for _, e := range page.Entries {
		entry, err := audit.ParseEntry(e.Entry)
		if err != nil {
			t.Fatalf("entry %d: %v", e.Index, err)
		}
		if entry.Subject == did {
			out = append(out, entry.Type)
		}
	}
	return out
}

// verifyAuditLog runs `kakunin audit verify` against the instance with the key it
// serves.
func verifyAuditLog(t *testing.T, in *instance, dir string) {
	t.Helper()
	code, _, key := fetch(t, http.MethodGet, in.base+"/audit/key", "", "", nil)
	if code != http.StatusOK {
		t.Fatalf("audit key: %d", code)
	}
	origin := strings.TrimPrefix(in.base, "http://") + "/audit"
	out, _, err := runAuditCmd(t, nil, "verify", "--server", in.base, "--origin", origin,
		"--key", strings.TrimSpace(string(key)), "--state", filepath.Join(dir, "audit.state"))
	if err != nil || !strings.HasPrefix(out, "ok: ") {
		t.Fatalf("audit verify: %v\n%s", err, out)
	}
}

// TestCascadeSQLite revokes the demo agent's certificate through the CA and sees
// the revocation cascade: the agent's scope credential is suspended (the verifier
// says why), and the audit log, which verifies, records the certificate's
// issuance and revocation and the credential's issuance and status change.
func TestCascadeSQLite(t *testing.T) {
	dir := t.TempDir()
	in := startServe(t, "--addr", "127.0.0.1:0", "--data-dir", dir, "--db", filepath.Join(dir, "kakunin.db"))
	defer in.stop()
	m := tokenRE.FindStringSubmatch(in.out.String())
	if in.did == "" || m == nil {
		t.Fatalf("no demo DID or admin token in:\n%s", in.out)
	}
	admin := m[1]
	cred := issueScope(t, in, admin, in.did)
	if r := verifyVC(t, in, cred); !r.Verified {
		t.Fatalf("fresh credential: %+v", r)
	}
	if n := resolveDemo(t, in).x5cKeys(); n != 1 { // and cached
		t.Fatalf("%d certified keys, want 1", n)
	}
	cert, _ := demoChain(t, dir)
	revoke := []byte(fmt.Sprintf(`{"serialNumber":%q,"reason":"keyCompromise"}`, cert.SerialNumber.Text(16)))
	if code, _, body := fetch(t, http.MethodPost, in.base+"/ca/owners/demo/revoke", "application/json", admin, revoke); code/100 != 2 {
		t.Fatalf("revoke: %d %s", code, body)
	}
	if r := verifyVC(t, in, cred); r.Verified || !r.suspended() {
		t.Errorf("credential of the revoked agent: %+v, want not verified, suspended", r)
	}
	if n := resolveDemo(t, in).x5cKeys(); n != 0 {
		t.Errorf("revoked certificate still in the (cached) document: %d keys", n)
	}
	types := auditTypes(t, in, in.did)
	want := []audit.EventType{audit.CertIssued, audit.CredentialIssued, audit.CertRevoked, audit.StatusChanged}
	if !slices.Equal(types, want) {
		t.Errorf("audit entries about the agent: %q, want %q", types, want)
	}
	verifyAuditLog(t, in, dir)
	if strings.Contains(in.logs.String(), "suspending the credentials of a revoked agent failed") {
		t.Errorf("cascade failure logged:\n%s", in.logs)
	}
}

// TestCascadeReconcile loses the cascade (the certificate is revoked by a CA
// without hooks, as if the process had crashed after the commit) and sees the
// service's reconciliation suspend the agent's credential, once: a second run
// changes nothing.
func TestCascadeReconcile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	dsn := filepath.Join(dir, "kakunin.db")
	args := []string{"--addr", "127.0.0.1:0", "--data-dir", dir, "--db", dsn}
	in := startServe(t, args...)
	m := tokenRE.FindStringSubmatch(in.out.String())
	if in.did == "" || m == nil {
		t.Fatalf("no demo DID or admin token in:\n%s", in.out)
	}
	issueScope(t, in, m[1], in.did)
	if err := in.stop(); err != nil {
		t.Fatal(err)
	}
	cert, _ := demoChain(t, dir)
	revokeWithoutHooks(t, dir, dsn, cert.SerialNumber)

	env := &cliEnv{stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }}
	cfg, err := loadServeConfig(env, args)
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	svc, err := openService(ctx, cfg, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	if _, err := svc.mounters(ctx, nil); err != nil { // builds the issuer
		t.Fatal(err)
	}
	if pending, err := svc.unsuspended(ctx, in.did); err != nil || !pending {
		t.Fatalf("before reconciliation: unsuspended %v, %v; want true", pending, err)
	}
	changes := func() int {
		t.Helper()
		recs, err := audit.EntriesForDID(ctx, svc.db.(audit.Reader), in.did, 0, audit.MaxQueryLimit)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, r := range recs {
			if r.Entry.Type == audit.StatusChanged {
				n++
			}
		}
		return n
	}
	for run := 1; run <= 2; run++ {
		if err := svc.reconcile(ctx); err != nil {
			t.Fatalf("reconcile %d: %v", run, err)
		}
		if pending, err := svc.unsuspended(ctx, in.did); err != nil || pending {
			t.Fatalf("after reconciliation %d: unsuspended %v, %v; want false", run, pending, err)
		}
		if n := changes(); n != 1 {
			t.Errorf("after reconciliation %d: %d vc.status.changed entries, want 1\n%s", run, n, logs)
		}
	}
}

// revokeWithoutHooks revokes a demo certificate through a CA that has no hooks.
func revokeWithoutHooks(t *testing.T, dataDir, dsn string, serial *big.Int) {
	t.Helper()
	ctx := context.Background()
	db, err := backend.Open(ctx, dsn, backend.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c, err := ca.New(db, ca.Options{BaseURL: "http://127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	key, err := keys.Open(ctx, filepath.Join(dataDir, ownersDir, demoOwner+".key"))
	if err != nil {
		t.Fatal(err)
	}
	defer key.Close()
	if err := c.LoadOwner(ctx, demoOwner, key); err != nil {
		t.Fatal(err)
	}
	if err := c.Revoke(ctx, ca.RevokeRequest{Owner: demoOwner, Tenant: defaultTenant, Serial: serial, Reason: store.ReasonKeyCompromise}); err != nil {
		t.Fatal(err)
	}
}
