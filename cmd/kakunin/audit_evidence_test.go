package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/audithttp"
	"github.com/kakunin-dev/kakunin/audit/memstore"
	"github.com/kakunin-dev/kakunin/audit/verify"
	"github.com/kakunin-dev/kakunin/vc/compliance"
)

func (l *auditLog) evidenceArgs(server string, extra ...string) []string {
	return append([]string{"evidence", "--server", server, "--origin", auditOrigin, "--key", l.cp.VerifierKey()}, extra...)
}

func (l *auditLog) checkArgs(file string, extra ...string) []string {
	return append([]string{"evidence", "--check", file, "--origin", auditOrigin, "--key", l.cp.VerifierKey()}, extra...)
}

// makeEvidence runs `audit evidence` on l and decodes its output.
func (l *auditLog) makeEvidence(t *testing.T, extra ...string) auditEvidence {
	t.Helper()
	out, _, err := runAuditCmd(t, nil, l.evidenceArgs(l.url, extra...)...)
	if err != nil {
		t.Fatal(err)
	}
	var ev auditEvidence
	if err := json.Unmarshal([]byte(out), &ev); err != nil {
		t.Fatalf("output %q: %v", out, err)
	}
	return ev
}

func leafHashOf(t *testing.T, l *auditLog, i int) []byte {
	t.Helper()
	h := audit.LeafHash(l.store.Data().Entries[i])
	return h[:]
}

func TestAuditEvidenceCitesALeaf(t *testing.T) {
	l := newAuditLog(t, 9)
	root, err := audit.TreeHash(context.Background(), l.store, 9)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		args  []string
		index uint64
	}{
		{"by index", []string{"--leaf", "3"}, 3},
		{"by index, last leaf", []string{"--leaf", "8"}, 8},
		{"by base64 leaf hash", []string{"--leaf-hash", base64.StdEncoding.EncodeToString(leafHashOf(t, l, 5))}, 5},
		{"by hex leaf hash", []string{"--leaf-hash", hex.EncodeToString(leafHashOf(t, l, 6))}, 6},
		{"by DID", []string{"--did", "did:example:agent4"}, 4},
		{"by DID and event", []string{"--did", "did:example:agent7", "--event", "cert.issued"}, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := l.makeEvidence(t, tt.args...)
			want := auditEvidence{
				Type:           []string{"KakuninAuditLogEvidence"},
				Log:            l.url + "/audit",
				Checkpoint:     evidenceTree{Origin: auditOrigin, TreeSize: 9, RootHash: root[:]},
				InclusionProof: evidenceInclusion{LeafIndex: tt.index, LeafHash: leafHashOf(t, l, int(tt.index))},
			}
			got, _ := json.Marshal(ev)
			if w, _ := json.Marshal(want); !bytes.Equal(got, w) {
				t.Fatalf("evidence\n%s\nwant\n%s", got, w)
			}
		})
	}
}

func TestAuditEvidenceOutFile(t *testing.T) {
	l := newAuditLog(t, 4)
	out := filepath.Join(t.TempDir(), "evidence.json")
	stdout, _, err := runAuditCmd(t, nil, l.evidenceArgs(l.url+"/", "--leaf", "2", "--out", out)...)
	if err != nil || !strings.Contains(stdout, "evidence in "+out) {
		t.Fatalf("stdout %q, %v", stdout, err)
	}
	var ev auditEvidence
	data, _ := os.ReadFile(out)
	if err := json.Unmarshal(data, &ev); err != nil || ev.InclusionProof.LeafIndex != 2 || ev.Log != l.url+"/audit" {
		t.Fatalf("evidence file %s: %v", data, err)
	}
}

func TestAuditEvidenceRefuses(t *testing.T) {
	l := newAuditLog(t, 6)
	other := []byte(`{"actor":"system","digest":"sha-256:` + strings.Repeat("0", 64) + `","subject":"did:example:agent3","tenant":"t1","time":"2026-11-26T09:00:00Z","type":"cert.issued","v":1}`)
	if _, err := audit.ParseEntry(other); err != nil {
		t.Fatal(err)
	}
	wrongKey := otherLogKey(t)
	tests := []struct {
		name   string
		server func(t *testing.T) string
		args   []string
		want   error // nil: any error
	}{
		{"leaf beyond the tree", nil, []string{"--leaf", "6"}, nil},
		{"unknown leaf hash", nil, []string{"--leaf-hash", base64.StdEncoding.EncodeToString(make([]byte, 32))}, nil},
		{"DID without entries", nil, []string{"--did", "did:example:nobody"}, nil},
		{"DID without that event", nil, []string{"--did", "did:example:agent2", "--event", "cert.revoked"}, nil},
		{"changed stored hash", func(t *testing.T) string {
			return l.tampered(t, func(d *memstore.Data) { d.Hashes[0][0] ^= 1 })
		}, []string{"--leaf", "1"}, verify.ErrNotIncluded},
		{"changed entry", func(t *testing.T) string {
			return l.tampered(t, func(d *memstore.Data) { d.Entries[3] = other })
		}, []string{"--did", "did:example:agent3"}, nil},
		{"wrong key", nil, []string{"--leaf", "1", "--key", wrongKey}, verify.ErrBadSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			server := l.url
			if tt.server != nil {
				server = tt.server(t)
			}
			out, _, err := runAuditCmd(t, nil, l.evidenceArgs(server, tt.args...)...)
			var ue usageError
			if err == nil || errors.As(err, &ue) || (tt.want != nil && !errors.Is(err, tt.want)) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if out != "" {
				t.Fatalf("printed evidence on failure: %s", out)
			}
			t.Log(err)
		})
	}
}

// otherLogKey is the verifier key of another key with the same name.
func otherLogKey(t *testing.T) string {
	t.Helper()
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{4}, ed25519.SeedSize))
	c, err := audit.NewCheckpointer(auditOrigin, key)
	if err != nil {
		t.Fatal(err)
	}
	return c.VerifierKey()
}

// complianceFile writes an unsigned compliance credential about
// did:example:agent3 citing evidence, as JSON (wrapped in a VC API answer when
// wrap is set), and returns its path.
func complianceFile(t *testing.T, wrap bool, evidence ...auditEvidence) string {
	t.Helper()
	ev, _ := json.Marshal(evidence)
	digest := strings.Repeat("ab", 32)
	claims, err := compliance.ParseClaims([]byte(`{
	  "frameworks": {"dora": {"ictRiskManagement": true, "incidentLogging": true}},
	  "modelProvenance": {"modelDigest": "` + digest + `", "promptDigest": "` + digest + `"},
	  "assessor": {"id": "did:web:assessor.example"},
	  "assessmentDate": "2026-11-20T09:00:00Z",
	  "evidence": ` + string(ev) + `}`))
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	doc, err := compliance.NewCredential("did:example:agent3", claims, from, from.AddDate(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	doc["issuer"] = "did:web:issuer.example"
	var out any = doc
	if wrap {
		out = map[string]any{"verifiableCredential": doc}
	}
	data, _ := json.Marshal(out)
	path := filepath.Join(t.TempDir(), "compliance.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestAuditEvidenceCheck(t *testing.T) {
	l := newAuditLog(t, 8)
	good := l.makeEvidence(t, "--did", "did:example:agent3")
	another := l.makeEvidence(t, "--leaf", "1") // sound, but about did:example:agent1
	l.grow(t, 13)                               // the log grows after the credential was issued
	flip := func(b []byte) []byte { b = bytes.Clone(b); b[5] ^= 1; return b }
	tests := []struct {
		name   string
		change func(e *auditEvidence)
		args   []string
		server func(t *testing.T) string
		ok     bool
	}{
		{"good", nil, nil, nil, true},
		{"an entry about another subject", func(e *auditEvidence) { *e = another }, nil, nil, false},
		{"tampered rootHash", func(e *auditEvidence) { e.Checkpoint.RootHash = flip(e.Checkpoint.RootHash) }, nil, nil, false},
		{"tampered leafHash", func(e *auditEvidence) { e.InclusionProof.LeafHash = flip(e.InclusionProof.LeafHash) }, nil, nil, false},
		{"tampered leafIndex", func(e *auditEvidence) { e.InclusionProof.LeafIndex = 4 }, nil, nil, false},
		{"tampered treeSize", func(e *auditEvidence) { e.Checkpoint.TreeSize = 7 }, nil, nil, false},
		{"checkpoint beyond the log", func(e *auditEvidence) { e.Checkpoint.TreeSize = 20 }, nil, nil, false},
		{"another log's origin", func(e *auditEvidence) { e.Checkpoint.Origin = "other.example/audit" }, nil, nil, false},
		{"wrong key", nil, []string{"--key", otherLogKey(t)}, nil, false},
		{"forked log", nil, nil, func(t *testing.T) string { return forkedLog(t, 13) }, false},
		{"log serving another entry", nil, nil, func(t *testing.T) string {
			return l.tampered(t, func(d *memstore.Data) { d.Entries[3] = d.Entries[4] })
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := good
			if tt.change != nil {
				tt.change(&ev)
			}
			server := l.url
			if tt.server != nil {
				server = tt.server(t)
			}
			args := append(l.checkArgs(complianceFile(t, false, ev), "--server", server), tt.args...)
			out, _, err := runAuditCmd(t, nil, args...)
			if tt.ok {
				if err != nil || !strings.HasPrefix(out, "evidence 0: ok: leaf 3 (cert.issued of did:example:agent3") ||
					!strings.Contains(out, "at tree size 8, consistent with its signed tree size 13") {
					t.Fatalf("out %q, err %v", out, err)
				}
				return
			}
			if !errors.Is(err, errEvidenceFailed) || !strings.HasPrefix(out, "evidence 0: FAILED: ") {
				t.Fatalf("out %q, err %v; want a failed check", out, err)
			}
			t.Log(out)
		})
	}
}

// forkedLog serves, under the same origin and key, a log of n entries other
// than auditLog's.
func forkedLog(t *testing.T, n int) string {
	t.Helper()
	s := new(memstore.Store)
	for i := range n {
		e := audit.Entry{Type: audit.CertIssued, Time: time.Date(2026, 11, 26, 9, 0, i, 0, time.UTC),
			Actor: "did:example:owner", Tenant: "t1", Subject: fmt.Sprintf("did:example:agent%d", i),
			Digest: audit.SHA256(fmt.Append(nil, "fork", i))}
		if _, err := audit.Append(context.Background(), s, e); err != nil {
			t.Fatal(err)
		}
	}
	return serveAuditStore(t, s)
}

// An auditor's run: several entries, one bad, exit code 1 with a verdict each;
// a VC API answer is read as the credential it holds.
func TestAuditEvidenceCheckExitCode(t *testing.T) {
	l := newAuditLog(t, 5)
	good := l.makeEvidence(t, "--did", "did:example:agent3")
	bad := good
	bad.InclusionProof.LeafIndex = 2
	var stdout, stderr bytes.Buffer
	env := &cliEnv{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
	args := append([]string{"audit"}, l.checkArgs(complianceFile(t, true, good, bad), "--server", l.url)...)
	if code := run(context.Background(), env, args); code != exitFailure {
		t.Fatalf("exit %d, want %d\n%s%s", code, exitFailure, &stdout, &stderr)
	}
	if !strings.Contains(stdout.String(), "evidence 0: ok:") || !strings.Contains(stdout.String(), "evidence 1: FAILED:") {
		t.Fatalf("stdout %q", &stdout)
	}
	args = append([]string{"audit"}, l.checkArgs(complianceFile(t, true, good), "--server", l.url)...)
	if code := run(context.Background(), env, args); code != exitOK {
		t.Fatalf("exit %d, want %d\n%s%s", code, exitOK, &stdout, &stderr)
	}
}

func TestAuditEvidenceUsage(t *testing.T) {
	key := auditCheckpointer(t).VerifierKey()
	base := []string{"evidence", "--origin", auditOrigin, "--key", key}
	cases := []struct {
		name string
		args []string
	}{
		{"no server", append(base, "--leaf", "1")},
		{"no leaf", append(base, "--server", "http://x")},
		{"two leaves", append(base, "--server", "http://x", "--leaf", "1", "--did", "did:example:a")},
		{"negative leaf", append(base, "--server", "http://x", "--leaf", "-1")},
		{"leaf with leading zero", append(base, "--server", "http://x", "--leaf", "01")},
		{"short leaf hash", append(base, "--server", "http://x", "--leaf-hash", "AAAA")},
		{"event without DID", append(base, "--server", "http://x", "--leaf", "1", "--event", "cert.issued")},
		{"check with a leaf", append(base, "--check", "c.json", "--leaf", "1")},
		{"check with out", append(base, "--check", "c.json", "--out", "e.json")},
		{"check without server", append(base, "--check", "c.json")},
		{"no key", []string{"evidence", "--server", "http://x", "--origin", auditOrigin, "--leaf", "1"}},
		{"bad key", []string{"evidence", "--server", "http://x", "--origin", auditOrigin, "--key", "nope", "--leaf", "1"}},
		{"bad server URL", append(base, "--server", "file:///etc", "--leaf", "1")},
		{"extra argument", append(base, "--server", "http://x", "--leaf", "1", "x")},
		{"zero timeout", append(base, "--server", "http://x", "--leaf", "1", "--timeout", "0s")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := runAuditCmd(t, nil, tc.args...)
			var ue usageError
			if !errors.As(err, &ue) {
				t.Fatalf("err = %v, want a usage error", err)
			}
		})
	}
	var stderr bytes.Buffer
	env := &cliEnv{stdout: io.Discard, stderr: &stderr, getenv: func(string) string { return "" }}
	if err := runAudit(context.Background(), env, []string{"evidence", "-h"}); err == nil || !strings.Contains(stderr.String(), "kakunin audit evidence --check") {
		t.Fatalf("evidence -h: %v\n%s", err, &stderr)
	}
}

func TestAuditEvidenceCheckRefusesFiles(t *testing.T) {
	l := newAuditLog(t, 2)
	dir := t.TempDir()
	scope := filepath.Join(dir, "scope.json")
	os.WriteFile(scope, []byte(`{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"], "issuer": "did:web:a.example", "credentialSubject": {"id": "did:example:a"}}`), 0o600)
	big := filepath.Join(dir, "big.json")
	os.WriteFile(big, bytes.Repeat([]byte(" "), maxVCFile+1), 0o600)
	for _, f := range []string{scope, big, filepath.Join(dir, "missing.json")} {
		if _, _, err := runAuditCmd(t, nil, l.checkArgs(f, "--server", l.url)...); err == nil || errors.Is(err, errEvidenceFailed) {
			t.Errorf("%s: err = %v, want a read error", filepath.Base(f), err)
		}
	}
}

// Answers are read within bounds: a proof answer beyond maxProofAnswer is
// refused, whatever it holds.
func TestAuditEvidenceBoundsAnswers(t *testing.T) {
	l := newAuditLog(t, 3)
	h, err := auditHandler(l.store)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/", h)
	mux.HandleFunc("/audit/proof/inclusion", func(w http.ResponseWriter, _ *http.Request) {
		w.Write(bytes.Repeat([]byte(" "), maxProofAnswer+1))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	if _, _, err := runAuditCmd(t, nil, l.evidenceArgs(srv.URL, "--leaf", "1")...); !errors.Is(err, audithttp.ErrTooLarge) {
		t.Fatalf("err = %v, want %v", err, audithttp.ErrTooLarge)
	}
}
