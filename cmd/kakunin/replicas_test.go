package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/backend"
)

// The scale-out workload: enrolments, credential issuances (one per enrolled
// agent) and certificate revocations, spread over both replicas.
const (
	replicaEnrolments  = 12
	replicaRevocations = 4
)

// TestReplicasPostgres runs two `kakunin serve` replicas on one PostgreSQL schema,
// as behind a load balancer: one base URL (the first replica's), one owner CA key,
// one issuer key and one audit log key (copied from the first replica's data
// directory into the second's, which runs with --demo=false). It drives
// enrolments, issuances and revocations through both at once and checks that
// serial numbers and status list indexes are unique, that every acknowledged
// operation is recorded exactly once, that the audit log is one tree whose
// checkpoints, signed by either replica, verify and are consistent, and that a
// revocation made through one replica shows in the other's resolution within the
// resolver cache's max age (--resolver-cache-ttl, here replicaCacheTTL: the cache
// of the other replica is not told of the change). The last check makes the test
// last up to that bound.
func TestReplicasPostgres(t *testing.T) {
	t.Logf("revocation bound across replicas: --resolver-cache-ttl %v", replicaCacheTTL)
	dsn := freshSchema(t)
	dirA, dirB := t.TempDir(), t.TempDir()
	ttl := "--resolver-cache-ttl=" + replicaCacheTTL.String()
	a := startServe(t, "--addr", "127.0.0.1:0", "--data-dir", dirA, "--db", dsn, "--log-level", "warn", ttl)
	defer a.stop()
	m := tokenRE.FindStringSubmatch(a.out.String())
	if m == nil || a.did == "" {
		t.Fatalf("no admin token or demo DID in:\n%s", a.out)
	}
	admin := m[1]
	shareKeys(t, dirA, dirB)
	b := startReplica(t, a.base, "--data-dir", dirB, "--db", dsn, "--demo=false", "--log-level", "warn", ttl)
	defer b.stop()
	b.did = a.did
	replicas := []*instance{a, b}

	// Prime the second replica's cache with the demo agent, revoked at the end.
	primed := time.Now()
	if n := resolveDemo(t, b).x5cKeys(); n != 1 {
		t.Fatalf("demo agent through the second replica: %d certified keys, want 1", n)
	}

	agents := enrolConcurrently(t, replicas, admin, replicaEnrolments)
	checkUnique(t, "serial number", agents, func(e enrolled) string { return e.SerialNumber })
	checkUnique(t, "DID", agents, func(e enrolled) string { return e.DID })
	slots := issueConcurrently(t, replicas, admin, agents)
	checkUnique(t, "status list index", slots, func(s string) string { return s })
	revokeConcurrently(t, replicas, admin, agents[:replicaRevocations])
	checkRecorded(t, dsn, agents)
	verifyReplicatedLog(t, replicas, admin)
	checkRevocationSeen(t, a, b, admin, dirA, primed)
	for i, in := range replicas {
		if strings.Contains(in.logs.String(), `"level":"ERROR"`) {
			t.Errorf("replica %d logged errors:\n%s", i, in.logs)
		}
	}
}

// shareKeys copies the demo owner's CA key, the issuer key and the audit log key
// of the first replica's data directory into the second's.
func shareKeys(t *testing.T, from, to string) {
	t.Helper()
	for _, name := range []string{filepath.Join(ownersDir, demoOwner+".key"), issuerKeyFile, auditKeyFile} {
		data, err := os.ReadFile(filepath.Join(from, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(to, name)), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// startReplica runs `kakunin serve` on a free port of its own with baseURL as
// its public URL, and waits until its /readyz answers 200.
func startReplica(t *testing.T, baseURL string, args ...string) *instance {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return startServeAt(t, addr, append([]string{"--base-url", baseURL}, args...)...)
}

// enrolConcurrently enrols n new agents under the demo owner, alternating
// replicas, all at once, and returns the acknowledged enrolments.
func enrolConcurrently(t *testing.T, replicas []*instance, token string, n int) []enrolled {
	t.Helper()
	out := make([]enrolled, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			in := replicas[i%len(replicas)]
			code, _, body := fetch(t, http.MethodPost, in.base+"/ca/owners/demo/enroll", "application/json", token, enrolBody(t))
			if err := json.Unmarshal(body, &out[i]); code != http.StatusCreated || err != nil || out[i].SerialNumber == "" {
				t.Errorf("enrolment %d through %s: %d %s", i, in.base, code, body)
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	return out
}

// enrolBody is an enrolment request for a new key with random model and prompt
// digests, hence a new DID.
func enrolBody(t *testing.T) []byte {
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Error(err)
	}
	csr, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{}, key)
	if err != nil {
		t.Error(err)
	}
	digest := func() string {
		var b [32]byte
		rand.Read(b[:])
		return hex.EncodeToString(b[:])
	}
	body, _ := json.Marshal(map[string]string{"csr": string(pemBlock("CERTIFICATE REQUEST", csr)),
		"modelDigest": digest(), "promptDigest": digest()})
	return body
}

// issueConcurrently issues one credential to each agent, alternating replicas,
// all at once, and returns the status list slots ("list URL#index") they got.
func issueConcurrently(t *testing.T, replicas []*instance, token string, agents []enrolled) []string {
	t.Helper()
	var (
		mu    sync.Mutex
		slots []string
		wg    sync.WaitGroup
	)
	for i, ag := range agents {
		wg.Go(func() {
			in := replicas[(i+1)%len(replicas)]
			body := fmt.Appendf(nil, `{"credential":{"@context":["https://www.w3.org/ns/credentials/v2"],
				"type":["VerifiableCredential"],"credentialSubject":{"id":%q}},"options":{"credentialId":"urn:uuid:%s"}}`,
				ag.DID, uuid4())
			code, _, out := fetch(t, http.MethodPost, in.base+"/credentials/issue", "application/json", token, body)
			s, err := statusSlots(out)
			if code != http.StatusCreated || err != nil || len(s) == 0 {
				t.Errorf("issuance %d through %s: %d %v %s", i, in.base, code, err, out)
				return
			}
			mu.Lock()
			slots = append(slots, s...)
			mu.Unlock()
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	return slots
}

func uuid4() string {
	var b [16]byte
	rand.Read(b[:])
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// statusSlots reads the credentialStatus entries of an issued credential.
func statusSlots(answer []byte) ([]string, error) {
	var issued struct {
		VerifiableCredential struct {
			CredentialStatus json.RawMessage `json:"credentialStatus"`
		} `json:"verifiableCredential"`
	}
	if err := json.Unmarshal(answer, &issued); err != nil {
		return nil, err
	}
	type entry struct {
		StatusListCredential string `json:"statusListCredential"`
		StatusListIndex      string `json:"statusListIndex"`
	}
	var entries []entry
	raw := issued.VerifiableCredential.CredentialStatus
	if err := json.Unmarshal(raw, &entries); err != nil {
		var one entry
		if err := json.Unmarshal(raw, &one); err != nil {
			return nil, err
		}
		entries = []entry{one}
	}
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.StatusListCredential + "#" + e.StatusListIndex
	}
	return out, nil
}

// revokeConcurrently revokes the agents' certificates, alternating replicas.
func revokeConcurrently(t *testing.T, replicas []*instance, token string, agents []enrolled) {
	t.Helper()
	var wg sync.WaitGroup
	for i, ag := range agents {
		wg.Go(func() {
			in := replicas[i%len(replicas)]
			body := fmt.Appendf(nil, `{"serialNumber":%q,"reason":"keyCompromise"}`, ag.SerialNumber)
			if code, _, out := fetch(t, http.MethodPost, in.base+"/ca/owners/demo/revoke", "application/json", token, body); code/100 != 2 {
				t.Errorf("revocation %d through %s: %d %s", i, in.base, code, out)
			}
		})
	}
	wg.Wait()
}

func checkUnique[T any](t *testing.T, what string, items []T, key func(T) string) {
	t.Helper()
	seen := map[string]bool{}
	for _, it := range items {
		k := key(it)
		if k == "" || seen[k] {
			t.Errorf("%s %q empty or given twice", what, k)
		}
		seen[k] = true
	}
}

// checkRecorded reads the shared store: each agent has exactly its one
// certificate, revoked for the first replicaRevocations, and the audit log holds
// exactly one issuance of it and one of its credential.
func checkRecorded(t *testing.T, dsn string, agents []enrolled) {
	t.Helper()
	ctx := context.Background()
	db, err := backend.Open(ctx, dsn, backend.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i, ag := range agents {
		certs, err := db.CertificatesByDID(ctx, ag.DID)
		if err != nil || len(certs) != 1 || certs[0].Serial.Text(16) != ag.SerialNumber {
			t.Errorf("agent %d: %d certificates (%v), want its one", i, len(certs), err)
			continue
		}
		if revoked := certs[0].State == store.CertRevoked; revoked != (i < replicaRevocations) {
			t.Errorf("agent %d: revoked %v", i, revoked)
		}
		recs, err := audit.EntriesForDID(ctx, db.(audit.Reader), ag.DID, 0, audit.MaxQueryLimit)
		if err != nil {
			t.Fatal(err)
		}
		count := map[audit.EventType]int{}
		for _, r := range recs {
			count[r.Entry.Type]++
		}
		if count[audit.CertIssued] != 1 || count[audit.CredentialIssued] != 1 {
			t.Errorf("agent %d: audit entries %v, want one %s and one %s", i, count, audit.CertIssued, audit.CredentialIssued)
		}
	}
}

// verifyReplicatedLog verifies the audit log through the first replica, then
// through the second with the same state: the second checkpoint must extend the
// first, so both replicas serve one tree.
func verifyReplicatedLog(t *testing.T, replicas []*instance, token string) {
	t.Helper()
	state := filepath.Join(t.TempDir(), "audit.state")
	origin := strings.TrimPrefix(replicas[0].base, "http://") + "/audit"
	var key string
	for i, in := range replicas {
		code, _, k := fetch(t, http.MethodGet, in.base+"/audit/key", "", "", nil)
		if code != http.StatusOK || (i > 0 && strings.TrimSpace(string(k)) != key) {
			t.Fatalf("audit key of replica %d: %d %q", i, code, k)
		}
		key = strings.TrimSpace(string(k))
		if i > 0 { // grow the tree between the two checkpoints
			if code, _, body := fetch(t, http.MethodPost, in.base+"/ca/owners/demo/enroll", "application/json", token, enrolBody(t)); code != http.StatusCreated {
				t.Fatalf("enrolment through replica %d: %d %s", i, code, body)
			}
		}
		out, _, err := runAuditCmd(t, nil, "verify", "--server", in.base, "--origin", origin, "--key", key, "--state", state, "--json")
		if err != nil {
			t.Fatalf("audit verify through replica %d: %v\n%s", i, err, out)
		}
		if r := decodeResult(t, out); !r.OK || r.Size < replicaEnrolments*2+replicaRevocations {
			t.Errorf("audit verify through replica %d: %+v", i, r)
		}
	}
}

// checkRevocationSeen revokes the demo agent through the first replica and waits
// until the second, whose cache held the agent's document since primed, resolves
// it without its certificate: within replicaCacheTTL of primed (plus a
// scheduling margin). The first replica shows it at once (its CA drops its cache).
func checkRevocationSeen(t *testing.T, a, b *instance, admin, dirA string, primed time.Time) {
	t.Helper()
	cert, _ := demoChain(t, dirA)
	body := fmt.Appendf(nil, `{"serialNumber":%q,"reason":"keyCompromise"}`, cert.SerialNumber.Text(16))
	if code, _, out := fetch(t, http.MethodPost, a.base+"/ca/owners/demo/revoke", "application/json", admin, body); code/100 != 2 {
		t.Fatalf("revoke the demo agent: %d %s", code, out)
	}
	revoked := time.Now()
	if n := resolveDemo(t, a).x5cKeys(); n != 0 {
		t.Errorf("replica A still shows the revoked certificate (%d keys)", n)
	}
	const margin = 3 * time.Second
	for resolveDemo(t, b).x5cKeys() != 0 {
		if time.Since(primed) > replicaCacheTTL+margin {
			t.Fatalf("replica B still shows the revoked certificate %v after caching it (bound %v)",
				time.Since(primed).Round(time.Millisecond), replicaCacheTTL)
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Logf("revocation through A seen by B %v after it, %v after B cached the document (bound %v)",
		time.Since(revoked).Round(time.Millisecond), time.Since(primed).Round(time.Millisecond), replicaCacheTTL)
}

// replicaCacheTTL is the resolver cache bound the replicas run with, short so that
// the test measures the bound without waiting for the one-minute default.
const replicaCacheTTL = 5 * time.Second
