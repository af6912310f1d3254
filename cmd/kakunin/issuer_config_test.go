package main

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/keys"
)

// issuerKeys creates key files in dir: ed.pem (Ed25519), p256.pem (ECDSA P-256) and
// junk.pem (not a key), and returns dir.
func issuerKeys(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, alg := range map[string]keys.Algorithm{"ed.pem": keys.Ed25519, "ed2.pem": keys.Ed25519, "p256.pem": keys.ECDSAP256} {
		k, err := keys.Generate(context.Background(), filepath.Join(dir, name), alg)
		if err != nil {
			t.Fatal(err)
		}
		if err := k.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "junk.pem"), []byte("not a key\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

// loadIssuerYAML loads a serve configuration file whose text has $K replaced by the key
// directory, and returns it with the error text less the "config <file>: " prefix.
func loadIssuerYAML(t *testing.T, keyDir, text string, args ...string) (serveConfig, string) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "kakunin.yaml")
	if err := os.WriteFile(file, []byte(strings.ReplaceAll(text, "$K", keyDir)), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := loadServeConfig(testEnv(nil), append([]string{"--config", file}, args...))
	if err == nil {
		return cfg, ""
	}
	var ue usageError
	if !errors.As(err, &ue) {
		t.Fatalf("%v: not a usage error", err)
	}
	return cfg, strings.TrimPrefix(err.Error(), "config "+file+": ")
}

const twoIssuers = `baseURL: https://id.example.com/kk
issuers:
  - name: default
    did: web
    key: $K/ed.pem
    cryptosuite: eddsa-jcs-2022
    allowedScopes: ["payments:*", "mcp:*/*"]
    maxValidity: 720h
    tenants: [acme, beta]
    retired: [$K/ed2.pem, z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK]
  - name: pay-2
    did: key
    key: file:$K/p256.pem
    allowUnresolvedSubjects: true
`

func TestIssuerConfig(t *testing.T) {
	dir := issuerKeys(t)
	cfg, msg := loadIssuerYAML(t, dir, twoIssuers)
	if msg != "" {
		t.Fatal(msg)
	}
	specs := cfg.Issuers.list()
	if len(specs) != 2 || cfg.Issuers.String() != "default,pay-2" {
		t.Fatalf("specs %+v", specs)
	}
	d := specs[0]
	if d.DID != "web" || d.Cryptosuite != "eddsa-jcs-2022" || d.MaxValidity != 720*time.Hour ||
		strings.Join(d.Scopes, " ") != "payments:* mcp:*/*" || strings.Join(d.Tenants, " ") != "acme beta" || len(d.Retired) != 2 || d.AnySubject {
		t.Errorf("default %+v", d)
	}
	if !specs[1].AnySubject {
		t.Errorf("pay-2: allowUnresolvedSubjects not read")
	}
	id, err := webDID(cfg.BaseURL, "pay-2")
	if err != nil || id != "did:web:id.example.com:kk:instances:pay-2" {
		t.Errorf("webDID %q %v", id, err)
	}
	if id, _ := webDID("https://id.example.com:8443", issuerInstance); id != "did:web:id.example.com%3A8443" {
		t.Errorf("webDID with port %q", id)
	}
	// The same list from the environment, in flow style, and an unset list.
	env := testEnv(map[string]string{"KAKUNIN_ISSUERS": "[{name: default, did: key, key: " + dir + "/p256.pem, cryptosuite: ecdsa-jcs-2019}]"})
	cfg, err = loadServeConfig(env, nil)
	if err != nil || len(cfg.Issuers.list()) != 1 || cfg.Issuers.list()[0].Cryptosuite != "ecdsa-jcs-2019" {
		t.Fatalf("env: %v %+v", err, cfg.Issuers.list())
	}
	if cfg, err := loadServeConfig(testEnv(nil), nil); err != nil || cfg.Issuers.list() != nil {
		t.Errorf("no issuers: %v %v", err, cfg.Issuers.list())
	}
}

func TestIssuerConfigRejects(t *testing.T) {
	dir := issuerKeys(t)
	head := "issuers:\n  - name: default\n    did: key\n    key: $K/ed.pem\n"
	cases := []struct {
		name, yaml, want string
	}{
		{"not a list", "issuers: {name: default}\n", `issuers: line 1: want a list of instances`},
		{"unknown field", head + "    cryptosuit: eddsa-rdfc-2022\n",
			`issuers[0]: line 5: unknown field "cryptosuit" (known: agent, allowUnresolvedSubjects, allowedScopes, cryptosuite, did, key, maxValidity, name, retired, tenants)`},
		{"bad name", head + "  - name: Pay_1\n    did: key\n    key: $K/p256.pem\n",
			`issuers[1].name: line 5: "Pay_1": want 1 to 64 of a-z, 0-9 and - ("default" is served at the root)`},
		{"duplicate names", head + "  - name: default\n    did: key\n    key: $K/p256.pem\n",
			`issuers[1].name: line 5: "default" is also the name of issuers[0]`},
		{"no default", "issuers:\n  - name: pay\n    did: key\n    key: $K/ed.pem\n",
			`issuers: line 2: no instance is named "default" (the one served at the root)`},
		{"unknown method", "issuers:\n  - name: default\n    did: ion\n    key: $K/ed.pem\n",
			`issuers[0].did: line 3: "ion": want key, web or kakunin`},
		{"agent without kakunin", head + "    agent: did:kakunin:x\n", `issuers[0].agent: line 5: only a did:kakunin instance names an agent`},
		{"kakunin without agent", "issuers:\n  - name: default\n    did: kakunin\n    key: $K/ed.pem\n",
			`issuers[0].agent: line 2: required for a did:kakunin instance: the agent DID it issues as`},
		{"missing key file", "issuers:\n  - name: default\n    did: key\n    key: $K/none.pem\n",
			`issuers[0].key: line 4: no such key file`},
		{"inline key, not echoed", "issuers:\n  - name: default\n    did: key\n    key: \"-----BEGIN PRIVATE KEY-----\\nMC4CAQAwBQYDK2VwBCIEI\"\n",
			`issuers[0].key: line 4: a key is not written inline: give a key file path or a pkcs11: URI`},
		{"no key", "issuers:\n  - name: default\n    did: key\n",
			`issuers[0].key: line 2: required: a key file path or a pkcs11: URI`},
		{"bad pkcs11 URI", "issuers:\n  - name: default\n    did: key\n    key: \"pkcs11:token=t\"\n",
			`issuers[0].key: line 4: keys: key URI pkcs11:token=t: needs module-path, an absolute path of the PKCS#11 library`},
		{"unknown cryptosuite", head + "    cryptosuite: bbs-2023\n",
			`issuers[0].cryptosuite: line 5: unknown cryptosuite "bbs-2023"; want one of eddsa-rdfc-2022, eddsa-jcs-2022, ecdsa-rdfc-2019, ecdsa-jcs-2019`},
		{"bad scope", head + "    allowedScopes: [\"payments:*\", \"Pay ments\"]\n",
			`issuers[0].allowedScopes[1]: line 5: scope: invalid pattern "Pay ments": want resource ":" verb, "mcp:…" or "http:…"`},
		{"duration type", head + "    maxValidity: soon\n",
			"issuers[0].maxValidity: line 5: cannot unmarshal !!str `soon` into time.Duration"},
		{"negative validity", head + "    maxValidity: -1h\n",
			`issuers[0].maxValidity: line 5: -1h0m0s: want between 0 (the default, 8784h) and 87600h0m0s`},
		{"duplicate tenant", head + "    tenants: [acme, acme]\n",
			`issuers[0].tenants[1]: line 5: "acme": want distinct, non-empty tenant ids`},
		{"retired on did:key", head + "    retired: [$K/ed2.pem]\n",
			`issuers[0].retired: line 5: only a did:web instance lists retired keys (a did:key or did:kakunin credential names the key it was signed with)`},
		{"retired current key", "issuers:\n  - name: default\n    did: web\n    key: $K/ed.pem\n    retired: [\"$K/ed.pem\"]\n",
			`issuers[0].retired[0]: line 5: is the current key`},
		{"retired junk", "issuers:\n  - name: default\n    did: web\n    key: $K/ed.pem\n    retired:\n      - zzz\n",
			`issuers[0].retired[0]: line 6: neither a Multikey nor a usable key URI: no such key file`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, msg := loadIssuerYAML(t, dir, c.yaml, "--base-url", "https://id.example.com")
			if msg != c.want {
				t.Errorf("got  %s\nwant %s", msg, c.want)
			}
		})
	}
	t.Run("did:web from an IP base URL", func(t *testing.T) {
		_, msg := loadIssuerYAML(t, dir, "issuers:\n  - name: default\n    did: web\n    key: $K/ed.pem\n", "--base-url", "https://127.0.0.1:8443")
		want := `issuers[0].did: line 3: no did:web from the base URL https://127.0.0.1:8443: did: invalid DID: web: host is not a domain name with an optional port: "127.0.0.1%3A8443": IP addresses are not allowed`
		if msg != want {
			t.Errorf("got  %s\nwant %s", msg, want)
		}
	})
	t.Run("flag", func(t *testing.T) {
		_, err := loadServeConfig(testEnv(nil), []string{"--issuers", "[{name: default, did: key, key: " + dir + "/ed.pem, tenants: 3}]"})
		if err == nil || !strings.Contains(err.Error(), "issuers[0].tenants: line 1: cannot unmarshal !!int `3` into []string") {
			t.Errorf("got %v", err)
		}
	})
}

// TestIssuerConfigOpen checks what is known only once the keys are open: the cryptosuite
// against the key type, a key that is no key, a retired key that is the current one, and
// two instances with one DID.
func TestIssuerConfigOpen(t *testing.T) {
	dir := issuerKeys(t)
	cases := []struct {
		name, yaml, want string
	}{
		{"suite for another key type", "  - name: default\n    did: key\n    key: $K/ed.pem\n    cryptosuite: ecdsa-rdfc-2019\n",
			`issuers[0].cryptosuite: line 5: ecdsa-rdfc-2019 does not take the instance's Ed25519 key; it takes eddsa-rdfc-2022 or eddsa-jcs-2022`},
		{"not a key", "  - name: default\n    did: key\n    key: $K/junk.pem\n",
			`issuers[0].key: line 4: keys: invalid private key file: ` + dir + `/junk.pem: no PKCS#8 "PRIVATE KEY" PEM block`},
		{"one DID twice", "  - name: default\n    did: key\n    key: $K/ed.pem\n  - name: other\n    did: key\n    key: file:$K/ed.pem\n",
			`issuers[1].key: line 7: gives issuers[1] the DID of issuers[0] (did:key:`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, msg := loadIssuerYAML(t, dir, "issuers:\n"+c.yaml, "--base-url", "https://id.example.com")
			if msg != "" {
				t.Fatal(msg)
			}
			_, signers, err := openIssuers(context.Background(), cfg.Issuers.list(), cfg.BaseURL, nil)
			if err == nil || !strings.HasPrefix(err.Error(), c.want) || signers != nil {
				t.Errorf("got  %v\nwant %s", err, c.want)
			}
		})
	}
	t.Run("retired current key by its Multikey", func(t *testing.T) {
		cfg, msg := loadIssuerYAML(t, dir, "issuers:\n  - name: default\n    did: web\n    key: $K/ed.pem\n", "--base-url", "https://id.example.com")
		if msg != "" {
			t.Fatal(msg)
		}
		k, err := keys.Open(context.Background(), filepath.Join(dir, "ed.pem"))
		if err != nil {
			t.Fatal(err)
		}
		mk, _ := did.EncodeMultikey(k.Public())
		k.Close()
		specs := cfg.Issuers.list()
		specs[0].Retired = []string{mk}
		_, _, err = openIssuers(context.Background(), specs, cfg.BaseURL, nil)
		if err == nil || err.Error() != "issuers[0].retired[0]: line 2: is the current key" {
			t.Errorf("got %v", err)
		}
	})
}

// TestIssuerConfigDocumented loads the issuer example of docs/configuration.md, with its
// key files created, and opens its instances.
func TestIssuerConfigDocumented(t *testing.T) {
	b, err := os.ReadFile(configurationDoc)
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(b), "## Issuer instances")
	_, example, ok := strings.Cut(section, "```yaml\n")
	example, _, ok2 := strings.Cut(example, "```")
	if !ok || !ok2 {
		t.Fatal("no ```yaml example in the issuer section")
	}
	dir := t.TempDir()
	for name, alg := range map[string]keys.Algorithm{"issuer-2026.pem": keys.Ed25519, "issuer-2025.pem": keys.Ed25519, "pay.pem": keys.ECDSAP256} {
		k, err := keys.Generate(context.Background(), filepath.Join(dir, name), alg)
		if err != nil {
			t.Fatal(err)
		}
		k.Close()
	}
	cfg, msg := loadIssuerYAML(t, dir, strings.ReplaceAll(example, "/etc/kakunin/keys", "$K"))
	if msg != "" {
		t.Fatal(msg)
	}
	ins, signers, err := openIssuers(context.Background(), cfg.Issuers.list(), cfg.BaseURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range signers {
		defer k.Close()
	}
	if len(ins) != 2 || ins[0].DID != "did:web:id.example.com" || len(ins[0].Retired) != 1 ||
		!strings.HasPrefix(ins[1].DID, "did:key:zDn") || ins[1].Cryptosuite != "ecdsa-rdfc-2019" || ins[1].Tenant != "acme" {
		t.Errorf("instances %+v", ins)
	}
}

// staticResolver answers one DID with one document.
type staticResolver struct {
	id  string
	doc *did.Document
}

func (r staticResolver) Resolve(_ context.Context, id string, _ did.ResolutionOptions) (*did.ResolutionResult, error) {
	if id != r.id {
		return nil, did.ErrNotFound
	}
	return &did.ResolutionResult{DIDDocument: r.doc}, nil
}

// TestIssuerConfigKakuninAgent: a did:kakunin instance signs with the agent method whose key
// is the instance's and is listed for assertionMethod, and is refused when there is none.
func TestIssuerConfigKakuninAgent(t *testing.T) {
	dir := issuerKeys(t)
	m, p := sha256.Sum256([]byte("model")), sha256.Sum256([]byte("prompt"))
	owner, _ := did.EncodeMultikey(ed25519.NewKeyFromSeed(make([]byte, 32)).Public())
	agent := "did:kakunin:" + hex.EncodeToString(m[:]) + ":" + hex.EncodeToString(p[:]) + ":" + owner
	cfg, msg := loadIssuerYAML(t, dir, "issuers:\n  - name: default\n    did: kakunin\n    agent: "+agent+"\n    key: $K/ed.pem\n",
		"--base-url", "https://id.example.com")
	if msg != "" {
		t.Fatal(msg)
	}
	k, err := keys.Open(context.Background(), filepath.Join(dir, "ed.pem"))
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	other := ed25519.NewKeyFromSeed(make([]byte, 32))
	doc := func(pubs ...crypto.PublicKey) *did.Document {
		d := &did.Document{ID: agent}
		for i, pub := range pubs {
			vm, err := did.NewMultikeyMethod(fmt.Sprintf("%s#cert-%d", agent, i), agent, pub)
			if err != nil {
				t.Fatal(err)
			}
			d.VerificationMethod = append(d.VerificationMethod, vm)
			d.AssertionMethod = append(d.AssertionMethod, did.MethodRef{Ref: vm.ID})
		}
		return d
	}
	ins, signers, err := openIssuers(context.Background(), cfg.Issuers.list(), cfg.BaseURL, staticResolver{agent, doc(other.Public(), k.Public())})
	if err != nil {
		t.Fatal(err)
	}
	signers[0].Close()
	if ins[0].DID != agent || ins[0].VerificationMethod != agent+"#cert-1" {
		t.Errorf("instance %s %s", ins[0].DID, ins[0].VerificationMethod)
	}
	_, _, err = openIssuers(context.Background(), cfg.Issuers.list(), cfg.BaseURL, staticResolver{agent, doc(other.Public())})
	want := "issuers[0].key: line 5: the DID document of " + agent + " lists no assertionMethod with this key (no valid certificate of it)"
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
	_, _, err = openIssuers(context.Background(), cfg.Issuers.list(), cfg.BaseURL, staticResolver{"did:other", nil})
	if err == nil || !strings.HasPrefix(err.Error(), "issuers[0].agent: line 4: does not resolve: ") {
		t.Errorf("unresolvable agent: %v", err)
	}
}

// FuzzIssuerList: any text given to --issuers or KAKUNIN_ISSUERS is refused with an error or
// gives a list with a "default" instance of valid names, without panicking.
func FuzzIssuerList(f *testing.F) {
	f.Add("[{name: default, did: key, key: /nonexistent}]")
	f.Add("- name: default\n  did: web\n  key: k\n  retired: [z6Mk]\n")
	f.Add("[{name: default, did: kakunin, agent: did:kakunin:x, key: pkcs11:token=a}]")
	f.Add("{issuers: 1}")
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 4096 {
			return
		}
		var l issuerList
		if err := l.Set(s); err != nil {
			return
		}
		seen := map[string]bool{}
		for _, spec := range l.list() {
			if !validInstanceName(spec.Name) || seen[spec.Name] {
				t.Fatalf("accepted name %q", spec.Name)
			}
			seen[spec.Name] = true
		}
		if !seen[issuerInstance] {
			t.Fatalf("accepted a list without default: %q", s)
		}
	})
}
