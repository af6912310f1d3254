package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/auth"
	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/did/key"
	"github.com/kakunin-dev/kakunin/keys"
)

// startServeAt runs `kakunin serve` on addr, whose base URL (set in args or the config) is
// not the listening address, and waits for /readyz there.
func startServeAt(t *testing.T, addr string, args ...string) *instance {
	t.Helper()
	return launchServe(t, append([]string{"--addr", addr}, args...), func(in *instance) bool {
		in.base = "http://" + addr
		return strings.Contains(in.out.String(), "kakunin: serving") && get(t, in.base+"/readyz", "") == http.StatusOK
	})
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// issuedVC is the part of an issued Data Integrity credential the tests read.
type issuedVC struct {
	Raw    json.RawMessage
	Issuer string
	Proof  struct {
		Cryptosuite        string `json:"cryptosuite"`
		VerificationMethod string `json:"verificationMethod"`
	}
}

// issueAt issues a credential about subject through path and reads its issuer and proof.
func issueAt(t *testing.T, in *instance, path, token, subject string) issuedVC {
	t.Helper()
	body := []byte(fmt.Sprintf(`{"credential":{"@context":["https://www.w3.org/ns/credentials/v2"],
		"type":["VerifiableCredential"],"credentialSubject":{"id":%q}}}`, subject))
	code, _, out := fetch(t, http.MethodPost, in.base+path, "application/json", token, body)
	var r struct{ VerifiableCredential json.RawMessage }
	if err := json.Unmarshal(out, &r); code != http.StatusCreated || err != nil {
		t.Fatalf("issue at %s: %d %s", path, code, out)
	}
	v := issuedVC{Raw: r.VerifiableCredential}
	if err := json.Unmarshal(r.VerifiableCredential, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func publicMultikey(t *testing.T, path string) string {
	t.Helper()
	k, err := keys.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	mk, err := did.EncodeMultikey(k.Public())
	if err != nil {
		t.Fatal(err)
	}
	return mk
}

func countRotations(types []audit.EventType) int {
	n := 0
	for _, ty := range types {
		if ty == audit.IssuerKeyRotated {
			n++
		}
	}
	return n
}

// TestServeIssuerInstances runs serve with two configured instances, a did:web default at the
// root and a did:key one under /instances/pay/ open to one tenant, issues and verifies through
// both, then rotates the did:web key: the credential signed before still verifies through
// the service, new ones are signed with the new key, and the rotation is logged once.
func TestServeIssuerInstances(t *testing.T) {
	data := t.TempDir()
	testIssuerInstances(t, data, filepath.Join(data, "kakunin.db"))
}

// TestServeIssuerInstancesPostgres is TestServeIssuerInstances on PostgreSQL (skipped
// without KAKUNIN_TEST_POSTGRES).
func TestServeIssuerInstancesPostgres(t *testing.T) {
	testIssuerInstances(t, t.TempDir(), freshSchema(t))
}

func testIssuerInstances(t *testing.T, data, dsn string) {
	dir := issuerKeys(t) // ed.pem, ed2.pem, p256.pem
	addr := freeAddr(t)
	_, port, _ := net.SplitHostPort(addr)
	webID := "did:web:kakunin.test%3A" + port
	config := func(defaultKey, retired string) string {
		file := filepath.Join(t.TempDir(), "kakunin.yaml")
		text := fmt.Sprintf(`baseURL: http://kakunin.test:%s
issuers:
  - name: default
    did: web
    key: %s
    retired: [%s]
  - name: pay
    did: key
    key: %s
    cryptosuite: ecdsa-rdfc-2019
    allowedScopes: ["payments:*"]
    tenants: [default]
`, port, defaultKey, retired, filepath.Join(dir, "p256.pem"))
		if err := os.WriteFile(file, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return file
	}
	other := issueToken(t, dsn, auth.Grant{TenantID: "other", AllOwners: true, Actions: []string{auth.ActionAdmin}})
	args := []string{"--data-dir", data, "--db", dsn, "--demo=false"}
	in := startServeAt(t, addr, append(args, "--config", config(filepath.Join(dir, "ed.pem"), ""))...)
	m := tokenRE.FindStringSubmatch(in.out.String())
	if m == nil {
		t.Fatalf("no admin token in:\n%s", in.out)
	}
	admin := m[1]
	subject := mustDIDKey(t)

	first := issueAt(t, in, "/credentials/issue", admin, subject)
	if want := webID + "#" + publicMultikey(t, filepath.Join(dir, "ed.pem")); first.Issuer != webID ||
		first.Proof.VerificationMethod != want || first.Proof.Cryptosuite != "eddsa-rdfc-2022" {
		t.Errorf("default instance credential: issuer %s, proof %+v", first.Issuer, first.Proof)
	}
	payDID := "did:key:" + publicMultikey(t, filepath.Join(dir, "p256.pem"))
	pay := issueAt(t, in, "/instances/pay/credentials/issue", admin, subject)
	if pay.Issuer != payDID || pay.Proof.VerificationMethod != payDID+"#"+strings.TrimPrefix(payDID, "did:key:") ||
		pay.Proof.Cryptosuite != "ecdsa-rdfc-2019" {
		t.Errorf("pay instance credential: issuer %s, proof %+v", pay.Issuer, pay.Proof)
	}
	for name, vc := range map[string]issuedVC{"default": first, "pay": pay} {
		if r := verifyVC(t, in, vc.Raw); !r.Verified {
			t.Errorf("%s credential does not verify: %+v", name, r)
		}
	}
	if code, _, out := fetch(t, http.MethodPost, in.base+"/instances/pay/credentials/issue", "application/json", other,
		[]byte(`{"credential":{}}`)); code != http.StatusForbidden {
		t.Errorf("another tenant through pay: %d %s", code, out)
	}
	checkDIDDocument(t, in, webID, 1)
	if n := countRotations(auditTypes(t, in, webID)); n != 1 {
		t.Errorf("%d issuer.key.rotated entries for the did:web instance at first start, want 1", n)
	}
	if err := in.stop(); err != nil {
		t.Fatal(err)
	}

	rotated := config(filepath.Join(dir, "ed2.pem"), filepath.Join(dir, "ed.pem"))
	for restart := range 2 {
		in = startServeAt(t, addr, append(args, "--config", rotated)...)
		if r := verifyVC(t, in, first.Raw); !r.Verified {
			t.Errorf("restart %d: the credential signed before the rotation does not verify: %+v", restart, r)
		}
		next := issueAt(t, in, "/credentials/issue", admin, subject)
		if want := webID + "#" + publicMultikey(t, filepath.Join(dir, "ed2.pem")); next.Issuer != webID || next.Proof.VerificationMethod != want {
			t.Errorf("restart %d: credential after rotation: issuer %s, proof %+v", restart, next.Issuer, next.Proof)
		}
		if r := verifyVC(t, in, next.Raw); !r.Verified {
			t.Errorf("restart %d: credential after rotation does not verify: %+v", restart, r)
		}
		checkDIDDocument(t, in, webID, 2)
		if n := countRotations(auditTypes(t, in, webID)); n != 2 {
			t.Errorf("restart %d: %d issuer.key.rotated entries for the did:web instance, want 2", restart, n)
		}
		if n := countRotations(auditTypes(t, in, payDID)); n != 1 {
			t.Errorf("restart %d: %d issuer.key.rotated entries for the unchanged did:key instance, want 1", restart, n)
		}
		if err := in.stop(); err != nil {
			t.Fatal(err)
		}
	}
}

// checkDIDDocument reads /.well-known/did.json: the DID, and keys methods for assertionMethod
// of which one (the current key) authenticates.
func checkDIDDocument(t *testing.T, in *instance, id string, keys int) {
	t.Helper()
	code, ctype, body := fetch(t, http.MethodGet, in.base+"/.well-known/did.json", "", "", nil)
	doc, err := did.ParseDocument(body)
	if code != http.StatusOK || ctype != "application/did+ld+json" || err != nil {
		t.Fatalf("did.json: %d %s %v %s", code, ctype, err, body)
	}
	if doc.ID != id || len(doc.VerificationMethod) != keys || len(doc.AssertionMethod) != keys || len(doc.Authentication) != 1 {
		t.Errorf("did.json: %s", body)
	}
}

func mustDIDKey(t *testing.T) string {
	t.Helper()
	k, err := keys.Generate(context.Background(), filepath.Join(t.TempDir(), "subject.pem"), keys.Ed25519)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	d, err := key.New(k.Public())
	if err != nil {
		t.Fatal(err)
	}
	return d.String()
}
