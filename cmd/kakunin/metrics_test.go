package main

import (
	"bufio"
	"bytes"
	"fmt"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ocsp"

	"github.com/kakunin-dev/kakunin/server/idempotency"
)

// scrape fetches /metrics and returns its samples by series ("name{labels}" as
// the text exposition format writes it, labels sorted by name).
func scrape(t *testing.T, in *instance) map[string]float64 {
	t.Helper()
	code, _, body := fetch(t, http.MethodGet, in.base+"/metrics", "", "", nil)
	if code != http.StatusOK {
		t.Fatalf("/metrics: %d", code)
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(bytes.NewReader(body))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if i < 0 || err != nil {
			t.Fatalf("bad sample line %q", line)
		}
		out[line[:i]] = v
	}
	return out
}

// TestServeMetrics runs a few operations of every kind against a running service
// and reads its domain metrics on /metrics: resolutions by method and outcome,
// cache hits and misses, certificates issued and revoked, OCSP answers by
// status, credentials issued by instance and format, status changes, the CRL's
// age and the audit log's size and checkpoint lag.
func TestServeMetrics(t *testing.T) {
	dir := t.TempDir()
	in := startServe(t, "--addr", "127.0.0.1:0", "--data-dir", dir, "--db", filepath.Join(dir, "kakunin.db"))
	defer in.stop()
	m := tokenRE.FindStringSubmatch(in.out.String())
	if in.did == "" || m == nil {
		t.Fatalf("no demo DID or admin token in:\n%s", in.out)
	}
	admin := m[1]
	resolveDemo(t, in)
	resolveDemo(t, in)
	if code := get(t, in.base+"/1.0/identifiers/did:example:123", ""); code != http.StatusNotImplemented {
		t.Fatalf("did:example: %d", code)
	}
	enrolTwice(t, in, admin) // counted once: the second answer is a replay
	issue := func(options string) {
		body := fmt.Appendf(nil, `{"credential":{"@context":["https://www.w3.org/ns/credentials/v2"],
			"type":["VerifiableCredential"],"credentialSubject":{"id":%q}},"options":{%s}}`, in.did, options)
		if code, _, out := fetch(t, http.MethodPost, in.base+"/credentials/issue", "application/json", admin, body); code != http.StatusCreated {
			t.Fatalf("issue with options {%s}: %d %s", options, code, out)
		}
	}
	const credID = "urn:uuid:0f8b2f4e-7a51-4c3e-9d1a-5b6c7d8e9f00"
	issue(fmt.Sprintf(`"credentialId":%q`, credID))
	issue(`"format":"vc+jwt"`)
	update := fmt.Appendf(nil, `{"credentialId":%q,"status":true,
		"credentialStatus":{"type":"BitstringStatusListEntry","statusPurpose":"revocation"}}`, credID)
	if code, _, out := fetch(t, http.MethodPost, in.base+"/credentials/status", "application/json", admin, update); code != http.StatusOK {
		t.Fatalf("status update: %d %s", code, out)
	}
	cert, issuer := demoChain(t, dir)
	ocspStatus(t, in, cert, issuer)
	revoke := fmt.Appendf(nil, `{"serialNumber":%q,"reason":"keyCompromise"}`, cert.SerialNumber.Text(16))
	if code, _, body := fetch(t, http.MethodPost, in.base+"/ca/owners/demo/revoke", "application/json", admin, revoke); code/100 != 2 {
		t.Fatalf("revoke: %d %s", code, body)
	}
	if s := ocspStatus(t, in, cert, issuer); s != ocsp.Revoked {
		t.Fatalf("OCSP after revocation: %d", s)
	}
	time.Sleep(10 * time.Millisecond) // the unsigned entries age measurably

	before := scrape(t, in)
	exact := []struct {
		series string
		want   float64
	}{
		{`kakunin_resolutions_total{method="kakunin",outcome="ok"}`, 2},
		{`kakunin_resolutions_total{method="other",outcome="METHOD_NOT_SUPPORTED"}`, 1},
		{`kakunin_resolver_cache_total{result="hit"}`, 1},
		{`kakunin_resolver_cache_total{result="miss"}`, 2},
		{`kakunin_certificates_total{event="issued"}`, 1},
		{`kakunin_certificates_total{event="revoked"}`, 1},
		{`kakunin_ocsp_responses_total{status="good"}`, 1},
		{`kakunin_ocsp_responses_total{status="revoked"}`, 1},
		{`kakunin_credentials_issued_total{format="vc+jwt",instance="default"}`, 1},
		{`kakunin_credentials_issued_total{format="eddsa-rdfc-2022",instance="default"}`, 1},
		{`kakunin_credential_status_changes_total`, 1},
	}
	for _, c := range exact {
		t.Run(c.series, func(t *testing.T) {
			if got, ok := before[c.series]; !ok || got != c.want {
				t.Errorf("%s = %v (present %v), want %v", c.series, got, ok, c.want)
			}
		})
	}
	age, next := before[`kakunin_crl_age_seconds{owner="demo"}`], before[`kakunin_crl_next_update_seconds{owner="demo"}`]
	if age < 0 || age > time.Hour.Seconds() || next <= 0 || next > time.Hour.Seconds() {
		t.Errorf("demo CRL: age %vs, next update in %vs; want within the 1h CRL period", age, next)
	}
	size := before["kakunin_audit_tree_size"]
	if size < 6 || before["kakunin_audit_checkpoint_size"] >= size || before["kakunin_audit_checkpoint_age_seconds"] <= 0 {
		t.Errorf("audit before a checkpoint: size %v, checkpoint size %v, age %v; want ≥ 6, smaller, > 0",
			size, before["kakunin_audit_checkpoint_size"], before["kakunin_audit_checkpoint_age_seconds"])
	}
	if code := get(t, in.base+"/audit/checkpoint", ""); code != http.StatusOK {
		t.Fatalf("checkpoint: %d", code)
	}
	after := scrape(t, in)
	if after["kakunin_audit_checkpoint_size"] != after["kakunin_audit_tree_size"] || after["kakunin_audit_checkpoint_age_seconds"] != 0 {
		t.Errorf("audit after a checkpoint: size %v, checkpoint size %v, age %v; want equal sizes, age 0",
			after["kakunin_audit_tree_size"], after["kakunin_audit_checkpoint_size"], after["kakunin_audit_checkpoint_age_seconds"])
	}
}

// enrolTwice sends one enrolment twice with the same Idempotency-Key.
func enrolTwice(t *testing.T, in *instance, token string) {
	t.Helper()
	body := enrolBody(t)
	for i := range 2 {
		req, err := http.NewRequest(http.MethodPost, in.base+"/ca/owners/demo/enroll", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Idempotency-Key", `"metrics-test-enrolment"`)
		resp, err := testClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if replayed := resp.Header.Get(idempotency.ReplayedHeader) != ""; resp.StatusCode != http.StatusCreated || replayed != (i == 1) {
			t.Fatalf("enrolment %d: %d, replayed %v", i, resp.StatusCode, replayed)
		}
	}
}
