package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/did/kakunin"
)

// TestIssuerInstanceRenew runs serve with a did:kakunin issuer instance whose key is the
// demo agent's. Its credentials are signed with the Multikey method of the agent's
// certificate, its vc+jwt with the JsonWebKey one. After `kakunin agent renew` (same key)
// credentials issued before and after verify; once the former certificate is revoked, new
// credentials and the status lists name the renewed certificate, and verify, status
// included. (Both certificates are valid between renewal and revocation, and, issued within
// the same second here, either may sign.)
func TestIssuerInstanceRenew(t *testing.T) {
	dir := t.TempDir()
	args := []string{"--addr", "127.0.0.1:0", "--data-dir", dir}
	in := startServe(t, args...) // creates the demo owner and agent
	m := tokenRE.FindStringSubmatch(in.out.String())
	if in.did == "" || m == nil {
		t.Fatalf("no demo DID or admin token in:\n%s", in.out)
	}
	agent, admin := in.did, m[1]
	if err := in.stop(); err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(dir, "kakunin.yaml")
	text := fmt.Sprintf("issuers:\n  - name: default\n    did: kakunin\n    agent: %s\n    key: %s\n",
		agent, filepath.Join(dir, demoDir, "agent.key"))
	if err := os.WriteFile(config, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	in = startServe(t, append(args, "--config", config)...)
	defer func() { in.stop() }()
	subject := mustDIDKey(t)
	method := func() string { // the Multikey method of the agent's current certificate
		cert, _ := demoChain(t, dir)
		return agent + "#cert-" + kakunin.Thumbprint(cert)
	}

	first, firstMethod := issueAt(t, in, "/credentials/issue", admin, subject), method()
	if first.Issuer != agent || first.Proof.VerificationMethod != firstMethod+"-multikey" {
		t.Fatalf("credential: issuer %s, proof %+v; want %s, %s-multikey", first.Issuer, first.Proof, agent, firstMethod)
	}
	if kid := issuedJWTKeyID(t, in, admin, subject); kid != firstMethod {
		t.Errorf("vc+jwt kid %s, want the JsonWebKey method %s", kid, firstMethod)
	}
	if types := cascadeProblems(t, in, first.Raw); len(types) != 0 { // and signs the status lists
		t.Fatalf("credential before renewal: problems %q", types)
	}
	firstCert, _ := demoChain(t, dir)
	if out, err := cli(t, runAgent, map[string]string{"KAKUNIN_TOKEN": admin}, "renew", "--server", in.base,
		"--owner", demoOwner, "--dir", filepath.Join(dir, demoDir)); err != nil {
		t.Fatalf("agent renew: %v\n%s", err, out)
	}
	second, secondMethod := issueAt(t, in, "/credentials/issue", admin, subject), method()
	if secondMethod == firstMethod {
		t.Fatal("agent renew kept the certificate")
	}
	if vm := second.Proof.VerificationMethod; vm != firstMethod+"-multikey" && vm != secondMethod+"-multikey" {
		t.Errorf("credential after renewal signed with %s", vm)
	}
	for name, vc := range map[string]issuedVC{"before renewal": first, "after renewal": second} {
		if types := cascadeProblems(t, in, vc.Raw); len(types) != 0 {
			t.Errorf("credential %s: problems %q", name, types)
		}
	}

	revoke := []byte(fmt.Sprintf(`{"serialNumber":%q,"reason":"superseded"}`, firstCert.SerialNumber.Text(16)))
	if code, _, body := fetch(t, http.MethodPost, in.base+"/ca/owners/demo/revoke", "application/json", admin, revoke); code/100 != 2 {
		t.Fatalf("revoke the former certificate: %d %s", code, body)
	}
	third := issueAt(t, in, "/credentials/issue", admin, subject)
	if third.Proof.VerificationMethod != secondMethod+"-multikey" {
		t.Errorf("credential after the revocation signed with %s, want %s-multikey", third.Proof.VerificationMethod, secondMethod)
	}
	if types := cascadeProblems(t, in, third.Raw); len(types) != 0 {
		t.Errorf("credential after the former certificate's revocation: problems %q", types)
	}
	if kid := issuedJWTKeyID(t, in, admin, subject); kid != secondMethod {
		t.Errorf("vc+jwt after the revocation: kid %s, want %s", kid, secondMethod)
	}
}

// issuedJWTKeyID issues a vc+jwt about subject and returns the kid of its JOSE header.
func issuedJWTKeyID(t *testing.T, in *instance, token, subject string) string {
	t.Helper()
	body := []byte(fmt.Sprintf(`{"credential":{"@context":["https://www.w3.org/ns/credentials/v2"],
		"type":["VerifiableCredential"],"credentialSubject":{"id":%q}},"options":{"format":"vc+jwt"}}`, subject))
	code, _, out := fetch(t, http.MethodPost, in.base+"/credentials/issue", "application/json", token, body)
	var r struct {
		VerifiableCredential struct {
			ID string `json:"id"`
		} `json:"verifiableCredential"`
	}
	if err := json.Unmarshal(out, &r); code != http.StatusCreated || err != nil {
		t.Fatalf("issue vc+jwt: %d %s", code, out)
	}
	_, jws, _ := strings.Cut(r.VerifiableCredential.ID, ",")
	header, _, _ := strings.Cut(jws, ".")
	b, err := base64.RawURLEncoding.DecodeString(header)
	var h struct {
		KeyID string `json:"kid"`
	}
	if err != nil || json.Unmarshal(b, &h) != nil {
		t.Fatalf("vc+jwt header %q", header)
	}
	return h.KeyID
}
