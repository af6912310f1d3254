package main

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/keys"
)

// hsmIssuerKeys are the issuer keys TestIssuerHSM* generate on the token, by object label.
var hsmIssuerKeys = map[string]keys.Algorithm{"issuer-ed": keys.Ed25519, "issuer-p256": keys.ECDSAP256}

// newHSMIssuerKeys makes a fresh token holding the issuer keys, generated through the keys
// package as sensitive and non-extractable, and returns it with their public keys.
func newHSMIssuerKeys(t *testing.T) (*hsmToken, map[string]crypto.PublicKey) {
	t.Helper()
	tok := newHSMToken(t)
	pubs := map[string]crypto.PublicKey{}
	for object, alg := range hsmIssuerKeys {
		k, err := keys.Generate(context.Background(), tok.uri(object), alg)
		if err != nil {
			t.Fatalf("generate %s on the token: %v", object, err)
		}
		pubs[object] = k.Public()
		if err := k.Close(); err != nil {
			t.Fatal(err)
		}
		tok.assertNonExtractable(t, object)
	}
	return tok, pubs
}

// hsmIssuerConfig writes a serve configuration with the issuers given as YAML list items.
func hsmIssuerConfig(t *testing.T, baseURL string, issuers ...string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "kakunin.yaml")
	writeFile(t, file, "baseURL: "+baseURL+"\nissuers:\n"+strings.Join(issuers, ""))
	return file
}

// hsmInstance is one issuer instance of TestIssuerHSM and what its credentials must show.
type hsmInstance struct {
	name, did, method string // the instance, its DID and the verification method it signs with
	suite, alg        string // its default Data Integrity cryptosuite and its JOSE algorithm
	pub               crypto.PublicKey
}

// TestIssuerHSM runs serve with two issuer instances whose keys are on a SoftHSM2 token:
// a did:web default (ECDSA P-256) and a did:key instance "hsm" (Ed25519). Through
// /instances/<name>/credentials/issue each issues a Data Integrity credential and a vc+jwt;
// both verify through /credentials/verify, the JWS verifies against the token's public key,
// a tampered credential does not, and each DID document, as the service serves or resolves
// it, lists the token's public key for assertionMethod. The keys stay non-extractable, and
// serve releases the module when it stops.
func TestIssuerHSM(t *testing.T) {
	tok, pubs := newHSMIssuerKeys(t)
	addr := freeAddr(t)
	_, port, _ := net.SplitHostPort(addr)
	webID := "did:web:kakunin.test%3A" + port
	edMK, p256MK := mustMultikey(t, pubs["issuer-ed"]), mustMultikey(t, pubs["issuer-p256"])
	config := hsmIssuerConfig(t, "http://kakunin.test:"+port,
		"  - {name: default, did: web, key: '"+tok.uri("issuer-p256")+"'}\n",
		"  - {name: hsm, did: key, key: '"+tok.uri("issuer-ed")+"'}\n")
	in := startServeAt(t, addr, "--data-dir", t.TempDir(), "--demo=false", "--config", config)
	stopped := false
	defer func() {
		if !stopped {
			in.stop()
		}
	}()
	m := tokenRE.FindStringSubmatch(in.out.String())
	if m == nil {
		t.Fatalf("no admin token in:\n%s", in.out)
	}
	admin, subject := m[1], mustDIDKey(t)
	instances := []hsmInstance{
		{"default", webID, webID + "#" + p256MK, "ecdsa-rdfc-2019", "ES256", pubs["issuer-p256"]},
		{"hsm", "did:key:" + edMK, "did:key:" + edMK + "#" + edMK, "eddsa-rdfc-2022", "EdDSA", pubs["issuer-ed"]},
	}
	for _, want := range instances {
		t.Run(want.name, func(t *testing.T) {
			path := "/instances/" + want.name + "/credentials/issue"
			vc := issueAt(t, in, path, admin, subject)
			if vc.Issuer != want.did || vc.Proof.VerificationMethod != want.method || vc.Proof.Cryptosuite != want.suite {
				t.Errorf("Data Integrity credential: issuer %s, proof %+v; want %s, %s, %s", vc.Issuer, vc.Proof, want.did, want.method, want.suite)
			}
			if r := verifyVC(t, in, vc.Raw); !r.Verified || len(r.Results.Proof) != 1 || !r.Results.Proof[0].Verified {
				t.Errorf("Data Integrity credential does not verify: %+v", r)
			}
			tampered := bytes.Replace(vc.Raw, []byte(subject), []byte(mustDIDKey(t)), 1)
			if r := verifyVC(t, in, tampered); r.Verified || bytes.Equal(tampered, vc.Raw) {
				t.Errorf("a credential whose subject was changed after signing verifies: %+v", r)
			}
			envelope := issueHSMJWT(t, in, path, admin, subject, want)
			if r := verifyVC(t, in, envelope); !r.Verified {
				t.Errorf("vc+jwt does not verify: %+v", r)
			}
			checkHSMDocument(t, in, want)
		})
	}
	if err := in.stop(); err != nil {
		t.Fatalf("serve: %v", err)
	}
	stopped = true
	for object := range hsmIssuerKeys { // also fails if serve left the module initialised
		tok.assertNonExtractable(t, object)
	}
}

func mustMultikey(t *testing.T, pub crypto.PublicKey) string {
	t.Helper()
	mk, err := did.EncodeMultikey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return mk
}

// issueHSMJWT issues a vc+jwt about subject through path, checks its JOSE header and
// issuer and its signature against the instance's public key, and returns the enveloped
// credential.
func issueHSMJWT(t *testing.T, in *instance, path, token, subject string, want hsmInstance) json.RawMessage {
	t.Helper()
	body := fmt.Appendf(nil, `{"credential":{"@context":["https://www.w3.org/ns/credentials/v2"],
		"type":["VerifiableCredential"],"credentialSubject":{"id":%q}},"options":{"format":"vc+jwt"}}`, subject)
	code, _, out := fetch(t, http.MethodPost, in.base+path, "application/json", token, body)
	var r struct {
		VerifiableCredential json.RawMessage `json:"verifiableCredential"`
	}
	var env struct{ ID, Type string }
	if err := json.Unmarshal(out, &r); code != http.StatusCreated || err != nil || json.Unmarshal(r.VerifiableCredential, &env) != nil {
		t.Fatalf("issue vc+jwt at %s: %d %s", path, code, out)
	}
	jws, ok := strings.CutPrefix(env.ID, "data:application/vc+jwt,")
	parts := strings.Split(jws, ".")
	if env.Type != "EnvelopedVerifiableCredential" || !ok || len(parts) != 3 {
		t.Fatalf("vc+jwt envelope: %s", r.VerifiableCredential)
	}
	var header struct{ Alg, Kid, Typ string }
	var payload struct{ Issuer string }
	decodeSegment(t, parts[0], &header)
	decodeSegment(t, parts[1], &payload)
	if header.Alg != want.alg || header.Kid != want.method || header.Typ != "vc+jwt" || payload.Issuer != want.did {
		t.Errorf("vc+jwt header %+v, issuer %s; want alg %s, kid %s, issuer %s", header, payload.Issuer, want.alg, want.method, want.did)
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || !verifyJWS(want.pub, []byte(parts[0]+"."+parts[1]), sig) {
		t.Errorf("the vc+jwt signature does not verify with the token's public key (%v)", err)
	}
	return r.VerifiableCredential
}

func decodeSegment(t *testing.T, seg string, v any) {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil || json.Unmarshal(b, v) != nil {
		t.Fatalf("JWS segment %q: %v", seg, err)
	}
}

// verifyJWS checks a JWS signature (RFC 7518 §3.4 for ECDSA: R || S) over input.
func verifyJWS(pub crypto.PublicKey, input, sig []byte) bool {
	switch pub := pub.(type) {
	case ed25519.PublicKey:
		return ed25519.Verify(pub, input, sig)
	case *ecdsa.PublicKey:
		digest := sha256.Sum256(input)
		return len(sig) == 64 && ecdsa.Verify(pub, digest[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:]))
	}
	return false
}

// checkHSMDocument reads the instance's DID document as the service gives it (did:web:
// served at /.well-known/did.json; did:key: resolved through /1.0/identifiers/) and checks
// that its signing method holds the token's public key for assertionMethod.
func checkHSMDocument(t *testing.T, in *instance, want hsmInstance) {
	t.Helper()
	var raw []byte
	if strings.HasPrefix(want.did, "did:web:") {
		code, _, body := fetch(t, http.MethodGet, in.base+"/.well-known/did.json", "", "", nil)
		if code != http.StatusOK {
			t.Fatalf("did.json: %d %s", code, body)
		}
		raw = body
	} else {
		code, _, body := fetch(t, http.MethodGet, in.base+"/1.0/identifiers/"+url.PathEscape(want.did), "application/did-resolution", "", nil)
		var r struct {
			DIDDocument json.RawMessage `json:"didDocument"`
		}
		if err := json.Unmarshal(body, &r); code != http.StatusOK || err != nil {
			t.Fatalf("resolve %s: %d %s", want.did, code, body)
		}
		raw = r.DIDDocument
	}
	doc, err := did.ParseDocument(raw)
	if err != nil || doc.ID != want.did {
		t.Fatalf("DID document of %s: %v\n%s", want.did, err, raw)
	}
	vm, err := doc.Authorized(want.method, did.AssertionMethod)
	if err != nil {
		t.Fatalf("DID document of %s: %v\n%s", want.did, err, raw)
	}
	pub, err := vm.PublicKey()
	if eq, ok := pub.(interface{ Equal(crypto.PublicKey) bool }); err != nil || !ok || !eq.Equal(want.pub) {
		t.Errorf("DID document of %s: method %s holds %v (%v), not the token's key", want.did, want.method, pub, err)
	}
}

// TestIssuerHSMStartFails checks that serve refuses to start, with an error naming the
// instance's key, when an instance's key on the token cannot be used: a wrong PIN (alone,
// or beside an instance already logged in to the same token), an object the token does not
// hold, a cryptosuite the key type does not take. The PIN never appears in the error or
// the output, and every key opened before the failure is closed again.
func TestIssuerHSMStartFails(t *testing.T) {
	tok, _ := newHSMIssuerKeys(t)
	const wrongPIN = "wrong-PIN-55810"
	wrong := func(object string) string {
		return "pkcs11:token=" + tok.label + ";object=" + object + "?module-path=" + tok.module + "&pin-value=" + wrongPIN
	}
	good := "  - {name: default, did: key, key: '" + tok.uri("issuer-ed") + "'}\n"
	tests := []struct {
		name    string
		issuers []string
		want    []string // in the error, in order
	}{
		{"wrong PIN", []string{"  - {name: default, did: key, key: '" + wrong("issuer-ed") + "'}\n"},
			[]string{"issuers[0].key: line 3: ", keys.ErrHSMUnavailable.Error(), "CKR_PIN_INCORRECT"}},
		{"wrong PIN beside a logged-in key", []string{good, "  - {name: pay, did: key, key: '" + wrong("issuer-p256") + "'}\n"},
			[]string{"issuers[1].key: line 4: ", keys.ErrHSMUnavailable.Error(), "CKR_PIN_INCORRECT"}},
		{"missing object", []string{good, "  - {name: pay, did: key, key: '" + tok.uri("absent") + "'}\n"},
			[]string{"issuers[1].key: line 4: ", keys.ErrKeyNotFound.Error(), "object=absent", "0 private keys match"}},
		{"cryptosuite of another key type", []string{"  - {name: default, did: key, key: '" + tok.uri("issuer-ed") + "', cryptosuite: ecdsa-rdfc-2019}\n"},
			[]string{"issuers[0].cryptosuite: line 3: ", "ecdsa-rdfc-2019 does not take the instance's Ed25519 key"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			config := hsmIssuerConfig(t, "http://kakunin.test", tt.issuers...)
			out, err := serveStartError(t, "--addr", "127.0.0.1:0", "--data-dir", t.TempDir(), "--demo=false", "--config", config)
			if err == nil {
				t.Fatalf("serve started:\n%s", out)
			}
			msg := err.Error()
			t.Logf("start error: %s", msg)
			rest := msg
			for _, w := range tt.want {
				var ok bool
				if _, rest, ok = strings.Cut(rest, w); !ok {
					t.Errorf("start error %q: want %q (after the earlier parts)", msg, w)
					break
				}
			}
			if strings.Contains(msg+out, wrongPIN) || strings.Contains(msg+out, hsmPIN) {
				t.Errorf("the PIN appears in the error or output:\n%s\n%s", msg, out)
			}
		})
	}
	for object := range hsmIssuerKeys { // also fails if a failed start left the module initialised
		tok.assertNonExtractable(t, object)
	}
}

// serveStartError runs serve until it returns or serves; it returns serve's error, nil
// when it came to serve, and its output. A panic fails the test.
func serveStartError(t *testing.T, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &syncBuffer{}
	env := &cliEnv{stdout: out, stderr: out, getenv: func(string) string { return "" }}
	done := make(chan error, 1)
	panicked := make(chan any, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				panicked <- p
			}
		}()
		done <- runServe(ctx, env, args)
	}()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		select {
		case err := <-done:
			return out.String(), err
		case p := <-panicked:
			t.Fatalf("serve panicked: %v\n%s", p, out)
		case <-time.After(20 * time.Millisecond):
		}
		if strings.Contains(out.String(), "kakunin: serving") {
			cancel()
			<-done
			return out.String(), nil
		}
	}
	t.Fatalf("serve neither failed nor served within 10 s:\n%s", out)
	return "", nil
}
