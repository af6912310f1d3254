package main

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/audithttp"
	"github.com/kakunin-dev/kakunin/keys"
	"github.com/kakunin-dev/kakunin/server"
	"github.com/kakunin-dev/kakunin/store"
)

func TestAuditKeysConfig(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "kakunin.yaml")
	if err := os.WriteFile(file, []byte("auditKey: /k/new.pem\nauditRetiredKeys:\n  - /k/old.pem\n  - pkcs11:token=log;object=old\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		vars    map[string]string
		args    []string
		current string
		retired []string
	}{
		{"default", nil, nil, filepath.Join("data", auditKeyFile), nil},
		{"flags", nil, []string{"--audit-key", "/k/new.pem", "--audit-retired-keys", "[/k/old.pem, /k/older.pem]"}, "/k/new.pem", []string{"/k/old.pem", "/k/older.pem"}},
		{"one URI", nil, []string{"--audit-retired-keys", "data/audit-log.old"}, filepath.Join("data", auditKeyFile), []string{"data/audit-log.old"}},
		{"environment", map[string]string{"KAKUNIN_AUDIT_KEY": "/k/new.pem", "KAKUNIN_AUDIT_RETIRED_KEYS": "[data/audit-log.key]"}, nil, "/k/new.pem", []string{"data/audit-log.key"}},
		{"YAML file", map[string]string{"KAKUNIN_CONFIG": file}, nil, "/k/new.pem", []string{"/k/old.pem", "pkcs11:token=log;object=old"}},
		{"flag beats file", map[string]string{"KAKUNIN_CONFIG": file}, []string{"--audit-retired-keys", "[]"}, "/k/new.pem", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := loadServeConfig(testEnv(tt.vars), tt.args)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.auditKeyURI() != tt.current || !slices.Equal(cfg.AuditRetiredKeys.list(), tt.retired) {
				t.Fatalf("audit keys %q, %q; want %q, %q", cfg.auditKeyURI(), cfg.AuditRetiredKeys.list(), tt.current, tt.retired)
			}
		})
	}
}

func TestAuditKeysConfigRejects(t *testing.T) {
	nine := "[k1.pem, k2.pem, k3.pem, k4.pem, k5.pem, k6.pem, k7.pem, k8.pem, k9.pem]"
	tests := []struct {
		name string
		args []string
	}{
		{"retired key is the current one", []string{"--audit-key", "/k/a.pem", "--audit-retired-keys", "[/k/a.pem]"}},
		{"retired key is the default current one", []string{"--audit-retired-keys", "[" + filepath.Join("data", auditKeyFile) + "]"}},
		{"retired key twice", []string{"--audit-retired-keys", "[/k/a.pem, /k/b.pem, /k/a.pem]"}},
		{"too many retired keys", []string{"--audit-retired-keys", nine}},
		{"empty URI", []string{"--audit-retired-keys", `["", /k/a.pem]`}},
		{"not a list", []string{"--audit-retired-keys", "{key: /k/a.pem}"}},
		{"not strings", []string{"--audit-retired-keys", "[[/k/a.pem]]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadServeConfig(testEnv(nil), tt.args)
			var ue usageError
			if !errors.As(err, &ue) {
				t.Fatalf("got %v, want a usage error", err)
			}
		})
	}
}

// auditService opens the service of cfg with the given audit keys.
func auditService(t *testing.T, cfg serveConfig, current string, retired ...string) (*service, error) {
	t.Helper()
	cfg.AuditKey = current
	cfg.AuditRetiredKeys = keyURIList{uris: &retired}
	svc, err := openService(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err == nil {
		t.Cleanup(func() { svc.Close() })
	}
	return svc, err
}

func newAuditKeyFile(t *testing.T, path string, alg keys.Algorithm) string {
	t.Helper()
	k, err := keys.Generate(context.Background(), path, alg)
	if err != nil {
		t.Fatal(err)
	}
	k.Close()
	return path
}

// auditTail returns the tree size, the last entry and the latest checkpoint of svc's log.
func auditTail(t *testing.T, svc *service) (uint64, audit.Entry, []byte) {
	t.Helper()
	ctx := context.Background()
	r := svc.db.(store.AuditDB)
	signed, err := r.LatestCheckpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cp, err := svc.audit.Open(signed)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := r.EntriesRange(ctx, cp.Size-1, cp.Size)
	if err != nil || len(recs) != 1 {
		t.Fatalf("last entry: %v", err)
	}
	e, err := audit.ParseEntry(recs[0].Entry)
	if err != nil {
		t.Fatal(err)
	}
	return cp.Size, e, signed
}

// signedBy reports which of the verifier keys signed the checkpoint.
func signedBy(t *testing.T, signed []byte, vkeys ...string) []bool {
	t.Helper()
	out := make([]bool, len(vkeys))
	for i, k := range vkeys {
		v, err := note.NewVerifier(k)
		if err != nil {
			t.Fatal(err)
		}
		_, err = note.Open(signed, note.VerifierList(v))
		out[i] = err == nil
	}
	return out
}

func TestAuditKeyRotationAtStartSQLite(t *testing.T) { testAuditKeyRotationAtStart(t, "") }

func TestAuditKeyRotationAtStartPostgres(t *testing.T) {
	testAuditKeyRotationAtStart(t, freshSchema(t))
}

// testAuditKeyRotationAtStart restarts a service through a rotation of its log
// key: each change of the key set appends one audit.key.rotated entry and a
// checkpoint signed by the new set; a restart with the same keys appends none.
func testAuditKeyRotationAtStart(t *testing.T, dsn string) {
	ctx := context.Background()
	cfg := defaultServeConfig()
	cfg.DataDir, cfg.Demo, cfg.DB = t.TempDir(), false, dsn
	cfg, err := cfg.resolve()
	if err != nil {
		t.Fatal(err)
	}
	oldPath := filepath.Join(cfg.DataDir, auditKeyFile)
	newPath := newAuditKeyFile(t, filepath.Join(t.TempDir(), "audit-2026.pem"), keys.Ed25519)

	svc, err := auditService(t, cfg, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.db.Tx(ctx, func(tx store.Tx) error {
		atx, err := store.Audit(tx)
		if err != nil {
			return err
		}
		e := audit.Entry{Type: audit.OwnerCreated, Time: svc.now(), Actor: "system", Tenant: "t1", Digest: audit.SHA256(nil)}
		if _, err := audit.Append(ctx, atx, e); err != nil {
			return err
		}
		_, err = svc.audit.Sign(ctx, atx)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	oldKey := svc.audit.VerifierKey()
	size, _, _ := auditTail(t, svc)
	svc.Close()

	steps := []struct {
		name    string
		current string
		retired []string
		grows   bool
		signed  []bool // by the old key, by the new key
	}{
		{"new key, old retired", newPath, []string{oldPath}, true, []bool{true, true}},
		{"restart with the same keys", newPath, []string{oldPath}, false, []bool{true, true}},
		{"old key dropped", newPath, nil, true, []bool{false, true}},
		{"restart with the new key alone", "file:" + newPath, nil, false, []bool{false, true}},
	}
	var newKey string
	for _, st := range steps {
		svc, err := auditService(t, cfg, st.current, st.retired...)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		newKey = svc.audit.VerifierKey()
		got, e, signed := auditTail(t, svc)
		if grew := got == size+1; grew != st.grows || (!st.grows && got != size) {
			t.Fatalf("%s: tree size %d after %d", st.name, got, size)
		}
		size = got
		if d, _ := svc.audit.KeysDigest(); st.grows && (e.Type != audit.LogKeyRotated || e.Digest != d || e.Actor != "system" || e.Subject != "") {
			t.Errorf("%s: last entry %+v, want audit.key.rotated with digest %s", st.name, e, d)
		}
		if got := signedBy(t, signed, oldKey, newKey); !slices.Equal(got, st.signed) {
			t.Errorf("%s: latest checkpoint signed by old, new = %v, want %v", st.name, got, st.signed)
		}
		svc.Close()
	}
	if newKey == oldKey {
		t.Fatal("the current key did not change")
	}
	if _, err := auditService(t, cfg, ""); !errors.Is(err, audit.ErrBadSignature) || !strings.Contains(err.Error(), "--audit-retired-keys") {
		t.Fatalf("old key alone after the rotation: %v, want ErrBadSignature naming --audit-retired-keys", err)
	}
}

// TestAuditKeysRefusedAtStart: keys that cannot sign the log stop the start.
func TestAuditKeysRefusedAtStart(t *testing.T) {
	cfg := defaultServeConfig()
	cfg.DataDir, cfg.Demo = t.TempDir(), false
	cfg, err := cfg.resolve()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ed := newAuditKeyFile(t, filepath.Join(dir, "ed.pem"), keys.Ed25519)
	ec := newAuditKeyFile(t, filepath.Join(dir, "ec.pem"), keys.ECDSAP256)
	tests := []struct {
		name    string
		current string
		retired []string
		want    error
	}{
		{"missing current key", filepath.Join(dir, "none.pem"), nil, keys.ErrKeyNotFound},
		{"missing retired key", ed, []string{filepath.Join(dir, "none.pem")}, keys.ErrKeyNotFound},
		{"current key not Ed25519", ec, nil, audit.ErrUnsupportedKey},
		{"retired key not Ed25519", ed, []string{ec}, audit.ErrUnsupportedKey},
		{"same key under two URIs", ed, []string{"file:" + ed}, audit.ErrDuplicateKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := auditService(t, cfg, tt.current, tt.retired...); !errors.Is(err, tt.want) {
				t.Fatalf("openService: %v, want %v", err, tt.want)
			}
		})
	}
}

// TestAuditVerifyAcrossKeyRotation runs `kakunin audit verify` with one state
// file through a rotation: old key pinned before and during the transition,
// then the new key pinned, during the transition and after it.
func TestAuditVerifyAcrossKeyRotation(t *testing.T) {
	l := newAuditLog(t, 4) // served with key 3
	var h http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	use := func(seeds ...byte) *audit.Checkpointer {
		signers := make([]crypto.Signer, len(seeds))
		for i, s := range seeds {
			signers[i] = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{s}, ed25519.SeedSize))
		}
		cp, err := audit.NewCheckpointer(auditOrigin, signers[0], signers[1:]...)
		if err != nil {
			t.Fatal(err)
		}
		ah, err := audithttp.New(audithttp.Memory(l.store), cp, audithttp.Config{SignInterval: time.Nanosecond})
		if err != nil {
			t.Fatal(err)
		}
		h = server.New(server.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, ah).Handler()
		return cp
	}
	oldKey := use(3).VerifierKey()
	state := filepath.Join(t.TempDir(), "state")
	verifyWith := func(key string) (string, error) {
		out, _, err := runAuditCmd(t, nil, "verify", "--server", srv.URL, "--origin", auditOrigin, "--key", key, "--state", state)
		return out, err
	}
	if out, err := verifyWith(oldKey); err != nil {
		t.Fatalf("before the rotation: %q, %v", out, err)
	}
	l.grow(t, 6)
	newKey := use(9, 3).VerifierKey()
	if out, err := verifyWith(oldKey); err != nil || !strings.Contains(out, "tree size 6 (was 4)") {
		t.Fatalf("transition, old key pinned: %q, %v", out, err)
	}
	l.grow(t, 7)
	if out, err := verifyWith(newKey); err != nil || !strings.Contains(out, "tree size 7 (was 6)") {
		t.Fatalf("transition, new key pinned: %q, %v", out, err)
	}
	l.grow(t, 9)
	use(9)
	if out, err := verifyWith(newKey); err != nil || !strings.Contains(out, "tree size 9 (was 7)") {
		t.Fatalf("after the rotation, new key pinned: %q, %v", out, err)
	}
	if out, err := verifyWith(oldKey); err == nil {
		t.Fatalf("after the rotation, old key pinned: %q, want an error", out)
	}
}
