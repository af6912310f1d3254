package main

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/miekg/pkcs11"
	"golang.org/x/crypto/ocsp"

	"github.com/kakunin-dev/kakunin/ca"
)

// hsmModules are where Debian, Fedora and source builds put the SoftHSM2 module.
var hsmModules = []string{
	"/usr/lib/softhsm/libsofthsm2.so",
	"/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
	"/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
	"/usr/lib64/pkcs11/libsofthsm2.so",
	"/usr/local/lib/softhsm/libsofthsm2.so",
}

const hsmPIN = "cli-PIN-40417"

// hsmToken is a SoftHSM2 token in a temporary directory (SOFTHSM2_CONF).
type hsmToken struct{ module, label, pinFile string }

// newHSMToken makes a fresh token; it skips t only when libsofthsm2.so is absent.
func newHSMToken(t *testing.T) *hsmToken {
	t.Helper()
	tok := &hsmToken{label: "kakunin-cli"}
	for _, m := range hsmModules {
		if _, err := os.Stat(m); err == nil {
			tok.module = m
			break
		}
	}
	if tok.module == "" {
		t.Skip("SoftHSM2 module libsofthsm2.so not found; install softhsm2 (apt-get install softhsm2) to run the HSM lifecycle test")
	}
	dir := t.TempDir()
	tokens := filepath.Join(dir, "tokens")
	conf := filepath.Join(dir, "softhsm2.conf")
	tok.pinFile = filepath.Join(dir, "pin")
	if err := os.Mkdir(tokens, 0o700); err != nil {
		t.Fatal(err)
	}
	cfg := "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n"
	if err := errors.Join(os.WriteFile(conf, []byte(cfg), 0o600), os.WriteFile(tok.pinFile, []byte(hsmPIN+"\n"), 0o600)); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SOFTHSM2_CONF", conf)
	out, err := exec.Command("softhsm2-util", "--init-token", "--free", "--label", tok.label,
		"--pin", hsmPIN, "--so-pin", "so-"+hsmPIN).CombinedOutput()
	if err != nil {
		t.Fatalf("softhsm2-util --init-token: %v\n%s", err, out)
	}
	return tok
}

// uri names the key object on the token, its PIN read from a file.
func (tok *hsmToken) uri(object string) string {
	return "pkcs11:token=" + tok.label + ";object=" + object + "?module-path=" + tok.module + "&pin-source=file:" + tok.pinFile
}

// assertNonExtractable checks, through the module itself, that the token holds
// exactly one private key labelled object and that it is sensitive and not
// extractable.
func (tok *hsmToken) assertNonExtractable(t *testing.T, object string) {
	t.Helper()
	p := pkcs11.New(tok.module)
	if p == nil {
		t.Fatal("cannot load the PKCS#11 module")
	}
	defer p.Destroy()
	if err := p.Initialize(); err != nil {
		t.Fatal(err)
	}
	defer p.Finalize()
	slots, err := p.GetSlotList(true)
	if err != nil || len(slots) == 0 {
		t.Fatalf("slots: %v %v", slots, err)
	}
	sh, err := p.OpenSession(slots[0], pkcs11.CKF_SERIAL_SESSION)
	if err != nil {
		t.Fatal(err)
	}
	defer p.CloseSession(sh)
	if err := p.Login(sh, pkcs11.CKU_USER, hsmPIN); err != nil {
		t.Fatal(err)
	}
	defer p.Logout(sh)
	tmpl := []*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_PRIVATE_KEY), pkcs11.NewAttribute(pkcs11.CKA_LABEL, object)}
	if err := p.FindObjectsInit(sh, tmpl); err != nil {
		t.Fatal(err)
	}
	handles, _, err := p.FindObjects(sh, 4)
	if ferr := p.FindObjectsFinal(sh); err != nil || ferr != nil || len(handles) != 1 {
		t.Fatalf("private key %q: %d handles, %v %v", object, len(handles), err, ferr)
	}
	attrs, err := p.GetAttributeValue(sh, handles[0], []*pkcs11.Attribute{
		pkcs11.NewAttribute(pkcs11.CKA_EXTRACTABLE, nil), pkcs11.NewAttribute(pkcs11.CKA_SENSITIVE, nil), pkcs11.NewAttribute(pkcs11.CKA_TOKEN, nil)})
	if err != nil || len(attrs) != 3 {
		t.Fatal(err)
	}
	for i, want := range []byte{0, 1, 1} {
		if len(attrs[i].Value) != 1 || attrs[i].Value[0] != want {
			t.Errorf("attribute 0x%x of the owner key = %v, want %d", attrs[i].Type, attrs[i].Value, want)
		}
	}
}

// lifecycle drives `kakunin agent` against one in-process service.
type lifecycle struct {
	t        *testing.T
	in       *instance
	vars     map[string]string // KAKUNIN_TOKEN
	dir      string            // the agent's directory
	issuer   *x509.Certificate // the owner CA
	versions []didState        // the DID after each step
}

// agent runs `kakunin agent args… --json` and decodes its output into v.
func (lc *lifecycle) agent(v any, args ...string) {
	lc.t.Helper()
	out, err := cli(lc.t, runAgent, lc.vars, append(args, "--json")...)
	if err != nil {
		lc.t.Fatalf("agent %s: %v", args[0], err)
	}
	if err := json.Unmarshal([]byte(out), v); err != nil {
		lc.t.Fatalf("agent %s --json: %v\n%s", args[0], err, out)
	}
}

// didState is what a resolution says of a DID.
type didState struct {
	status    int
	versionID int64
	serials   []string // of the certificates in the document (x5c leaves)
	meta      map[string]any
}

// resolve resolves id over HTTP, at versionID when not empty.
func (lc *lifecycle) resolve(id, versionID string) didState {
	lc.t.Helper()
	u := lc.in.base + "/1.0/identifiers/" + url.QueryEscape(id)
	if versionID != "" {
		u += "?versionId=" + versionID
	}
	code, _, body := fetch(lc.t, http.MethodGet, u, "application/did-resolution", "", nil)
	var r struct {
		DIDDocument *struct {
			VerificationMethod []struct {
				PublicKeyJwk struct {
					X5C []string `json:"x5c"`
				} `json:"publicKeyJwk"`
			} `json:"verificationMethod"`
		} `json:"didDocument"`
		Meta map[string]any `json:"didDocumentMetadata"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		lc.t.Fatalf("resolve %s: %d %v\n%s", u, code, err, body)
	}
	st := didState{status: code, meta: r.Meta}
	if v, ok := r.Meta["versionId"].(string); ok {
		st.versionID, _ = strconv.ParseInt(v, 10, 64)
	}
	if r.DIDDocument != nil {
		for _, vm := range r.DIDDocument.VerificationMethod {
			if len(vm.PublicKeyJwk.X5C) == 0 {
				continue
			}
			der, _ := base64.StdEncoding.DecodeString(vm.PublicKeyJwk.X5C[0])
			cert, err := x509.ParseCertificate(der)
			if err != nil {
				lc.t.Fatalf("x5c: %v", err)
			}
			st.serials = append(st.serials, cert.SerialNumber.Text(16))
		}
	}
	return st
}

// step checks the DID after a change: its versionId grew, the document certifies
// exactly the serials want, and every earlier version still resolves through
// ?versionId=N to its own versionId and certificates.
func (lc *lifecycle) step(name, id string, want ...string) {
	lc.t.Helper()
	now := lc.resolve(id, "")
	last := int64(0)
	if n := len(lc.versions); n > 0 {
		last = lc.versions[n-1].versionID
	}
	if now.status != http.StatusOK || now.versionID <= last {
		lc.t.Fatalf("%s: status %d, versionId %d after %d", name, now.status, now.versionID, last)
	}
	if !sameSet(now.serials, want) {
		lc.t.Errorf("%s: document certifies %v, want %v", name, now.serials, want)
	}
	lc.versions = append(lc.versions, now)
	lc.history(name, id)
}

// history resolves every version recorded so far by its versionId.
func (lc *lifecycle) history(name, id string) {
	lc.t.Helper()
	for _, v := range lc.versions {
		old := lc.resolve(id, strconv.FormatInt(v.versionID, 10))
		if old.status != http.StatusOK || old.versionID != v.versionID || !sameSet(old.serials, v.serials) {
			lc.t.Errorf("%s: ?versionId=%d answered %d, versionId %d with %v; want %v", name, v.versionID,
				old.status, old.versionID, old.serials, v.serials)
		}
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]int{}
	for _, s := range a {
		seen[s]++
	}
	for _, s := range b {
		seen[s]--
	}
	for _, n := range seen {
		if n != 0 {
			return false
		}
	}
	return true
}

// revocations returns the CRL's entries (serial → reason code), after checking
// that the owner key in the HSM signed it.
func (lc *lifecycle) revocations() map[string]int {
	lc.t.Helper()
	code, _, body := fetch(lc.t, http.MethodGet, lc.in.base+"/ca/owners/hsm/crl", "", "", nil)
	crl, err := x509.ParseRevocationList(body)
	if code != http.StatusOK || err != nil {
		lc.t.Fatalf("CRL: %d %v", code, err)
	}
	if err := crl.CheckSignatureFrom(lc.issuer); err != nil {
		lc.t.Fatalf("CRL signature: %v", err)
	}
	out := map[string]int{}
	for _, e := range crl.RevokedCertificateEntries {
		out[e.SerialNumber.Text(16)] = e.ReasonCode
	}
	return out
}

// ocspStatus asks the owner's OCSP responder about the certificate serial.
func (lc *lifecycle) ocspStatus(serial string) int {
	lc.t.Helper()
	n, _ := new(big.Int).SetString(serial, 16)
	req, err := ocsp.CreateRequest(&x509.Certificate{SerialNumber: n}, lc.issuer, &ocsp.RequestOptions{})
	if err != nil {
		lc.t.Fatal(err)
	}
	// RFC 6960 Appendix A.1: GET {url}/{url-encoding of base-64 encoding of the
	// DER encoding of the OCSPRequest}; a GET counts against the read budget of
	// the service's rate limits, not the smaller write budget.
	code, _, body := fetch(lc.t, http.MethodGet, lc.in.base+"/ca/owners/hsm/ocsp/"+url.PathEscape(base64.StdEncoding.EncodeToString(req)), "", "", nil)
	resp, err := ocsp.ParseResponse(body, lc.issuer)
	if code != http.StatusOK || err != nil {
		lc.t.Fatalf("OCSP for %s: %d %v", serial, code, err)
	}
	return resp.Status
}

// wantStatus checks the CRL and OCSP together: good serials are on neither,
// revoked ones on both with the reason.
func (lc *lifecycle) wantStatus(name string, good []string, revoked map[string]int) {
	lc.t.Helper()
	crl := lc.revocations()
	for _, s := range good {
		if _, listed := crl[s]; listed || lc.ocspStatus(s) != ocsp.Good {
			lc.t.Errorf("%s: %s should be good (CRL lists it: %v)", name, s, listed)
		}
	}
	for s, reason := range revoked {
		if got, listed := crl[s]; !listed || got != reason {
			lc.t.Errorf("%s: CRL reason for %s = %d (listed %v), want %d", name, s, got, listed, reason)
		}
		if lc.ocspStatus(s) != ocsp.Revoked {
			lc.t.Errorf("%s: OCSP does not say %s is revoked", name, s)
		}
	}
}

// TestAgentLifecycleHSMOwner runs an agent's life through the CLI under an owner
// whose key was generated non-extractable in SoftHSM2: enrol, renew (same key),
// rotate (new key, old certificate superseded), revoke, deactivate. After each step
// the DID's history, the CRL and OCSP are checked over HTTP.
func TestAgentLifecycleHSMOwner(t *testing.T) {
	tok := newHSMToken(t)
	dir := t.TempDir()
	out, err := cli(t, runOwner, nil, "init", "--id", "hsm", "--key", tok.uri("hsm-ca"), "--alg", "ECDSA-P256", "--data-dir", dir)
	if err != nil || !strings.Contains(out, "owner key zDn") {
		t.Fatalf("owner init: %v %q", err, out)
	}
	tok.assertNonExtractable(t, "hsm-ca")
	in := startServe(t, "--addr", "127.0.0.1:0", "--data-dir", dir, "--demo=false")
	defer in.stop()
	m := tokenRE.FindStringSubmatch(in.out.String())
	if m == nil {
		t.Fatalf("no admin token in:\n%s", in.out)
	}
	code, _, der := fetch(t, http.MethodGet, in.base+"/ca/owners/hsm/ca.crt", "", "", nil)
	issuer, err := x509.ParseCertificate(der)
	if code != http.StatusOK || err != nil {
		t.Fatalf("owner certificate: %d %v", code, err)
	}
	agentDir := filepath.Join(dir, "agent")
	lc := &lifecycle{t: t, in: in, vars: map[string]string{"KAKUNIN_TOKEN": m[1]}, dir: agentDir, issuer: issuer}
	conn := []string{"--server", in.base, "--owner", "hsm"}
	model, prompt := filepath.Join(dir, "m.bin"), filepath.Join(dir, "p.json")
	if err := errors.Join(os.WriteFile(model, []byte("weights"), 0o600), os.WriteFile(prompt,
		[]byte(`{"salt":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","systemPrompt":"hi","tools":[],"config":{}}`), 0o600)); err != nil {
		t.Fatal(err)
	}

	var first, renewed, rotated enrolled
	lc.agent(&first, append([]string{"enroll", "--model", model, "--prompt", prompt, "--out", agentDir}, conn...)...)
	lc.step("enroll", first.DID, first.SerialNumber)
	lc.wantStatus("enroll", []string{first.SerialNumber}, nil)

	lc.agent(&renewed, append([]string{"renew", "--dir", agentDir}, conn...)...)
	if renewed.DID != first.DID || renewed.SerialNumber == first.SerialNumber || renewed.VersionID <= first.VersionID {
		t.Fatalf("renew: %+v after %+v", renewed, first)
	}
	if a, b := certKey(t, first.Chain), certKey(t, renewed.Chain); a != b {
		t.Error("renew changed the key")
	}
	lc.step("renew", first.DID, first.SerialNumber, renewed.SerialNumber)
	lc.wantStatus("renew", []string{first.SerialNumber, renewed.SerialNumber}, nil)

	lc.agent(&rotated, append([]string{"rotate", "--dir", agentDir}, conn...)...)
	if rotated.DID != first.DID || certKey(t, rotated.Chain) == certKey(t, renewed.Chain) {
		t.Fatalf("rotate kept the key or changed the DID: %+v", rotated)
	}
	if _, err := os.Stat(filepath.Join(agentDir, "agent.key."+renewed.SerialNumber)); err != nil {
		t.Errorf("old key not kept aside: %v", err)
	}
	if _, err := os.Stat(filepath.Join(agentDir, "agent.key.new")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("agent.key.new left after a rotation: %v", err)
	}
	if !sameSet(rotated.Superseded, []string{first.SerialNumber, renewed.SerialNumber}) {
		t.Errorf("rotate superseded %v, want both certificates of the old key", rotated.Superseded)
	}
	superseded := map[string]int{first.SerialNumber: ocsp.Superseded, renewed.SerialNumber: ocsp.Superseded}
	lc.step("rotate", first.DID, rotated.SerialNumber)
	lc.wantStatus("rotate", []string{rotated.SerialNumber}, superseded)

	var again enrolled
	lc.agent(&again, append([]string{"renew", "--dir", agentDir}, conn...)...)
	lc.step("renew after rotate", first.DID, rotated.SerialNumber, again.SerialNumber)
	lc.wantStatus("renew after rotate", []string{rotated.SerialNumber, again.SerialNumber}, superseded)

	var rev revoked
	lc.agent(&rev, append([]string{"revoke", "--cert", filepath.Join(agentDir, "agent.pem"), "--reason", "privilegeWithdrawn"}, conn...)...)
	if rev.SerialNumber != again.SerialNumber || !rev.Revoked {
		t.Fatalf("revoke --cert: %+v, want serial %s", rev, again.SerialNumber)
	}
	lc.step("revoke", first.DID, rotated.SerialNumber)
	superseded[again.SerialNumber] = ocsp.PrivilegeWithdrawn
	lc.wantStatus("revoke", []string{rotated.SerialNumber}, superseded)

	var pe *problemError
	_, err = cli(t, runAgent, lc.vars, append([]string{"revoke", "--serial", again.SerialNumber}, conn...)...)
	if !errors.As(err, &pe) || pe.Status != http.StatusConflict {
		t.Errorf("revoking twice: %v, want a 409 problem", err)
	}
	_, err = cli(t, runAgent, nil, append([]string{"renew", "--dir", agentDir}, conn...)...)
	if !errors.As(err, &pe) || pe.Status != http.StatusUnauthorized {
		t.Errorf("renew without a token: %v, want a 401 problem", err)
	}

	var deact deactivated
	lc.agent(&deact, "deactivate", "--server", in.base, "--did", first.DID)
	gone := lc.resolve(first.DID, "")
	if gone.status != http.StatusGone || gone.meta["deactivated"] != true || len(gone.serials) != 0 {
		t.Errorf("after deactivate: %d %v %v", gone.status, gone.meta, gone.serials)
	}
	superseded[rotated.SerialNumber] = ocsp.CessationOfOperation
	lc.wantStatus("deactivate", nil, superseded)
	lc.history("deactivate", first.DID)
}

// certKey returns the agent certificate's public key, DER, from a PEM chain.
func certKey(t *testing.T, chain string) string {
	t.Helper()
	certs, err := ca.ParseChainPEM([]byte(chain))
	if err != nil {
		t.Fatal(err)
	}
	return string(certs[0].RawSubjectPublicKeyInfo)
}
