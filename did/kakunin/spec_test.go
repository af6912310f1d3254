package kakunin

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/did"
)

// The specification's examples are real values: these tests recompute each one
// from the generated corpus.

type specExample struct {
	DID, ModelDigest, PromptDigest, OwnerMultikey, HexOwnerDID, UpperCaseDID string
	ModelManifest, PromptManifest                                            string
}

func readSpec(t *testing.T) (string, specExample) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "spec", "did-kakunin.md"))
	if err != nil {
		t.Fatal(err)
	}
	var ex specExample
	readJSON(t, "testdata/corpus/example.json", &ex)
	return string(b), ex
}

var specDID = regexp.MustCompile(`did:kakunin:[0-9A-Za-z]+:[0-9A-Za-z]+:[0-9A-Za-z]+`)

func TestSpecExampleDIDs(t *testing.T) {
	spec, ex := readSpec(t)
	found := specDID.FindAllString(spec, -1)
	if len(found) < 10 {
		t.Fatalf("only %d example DIDs found in the spec", len(found))
	}
	for _, s := range slices.Compact(slices.Sorted(slices.Values(found))) {
		id, err := Parse(s)
		if err != nil {
			t.Errorf("spec example %s: %v", s, err)
			continue
		}
		if id.String() != ex.DID {
			t.Errorf("spec example %s is not the corpus DID %s", s, ex.DID)
		}
	}
	for _, s := range []string{ex.DID, ex.UpperCaseDID, ex.HexOwnerDID} {
		if !strings.Contains(spec, s) {
			t.Errorf("spec lacks %s", s)
		}
	}
}

var specHex64 = regexp.MustCompile("`([0-9a-f]{64})`")

func TestSpecExampleDigests(t *testing.T) {
	spec, ex := readSpec(t)
	for _, s := range []string{ex.ModelManifest, ex.PromptManifest} {
		if !strings.Contains(spec, "\n"+s+"\n") {
			t.Errorf("spec lacks the manifest %s", s)
		}
	}
	known := map[string]bool{ex.ModelDigest: true, ex.PromptDigest: true}
	for _, m := range specHex64.FindAllStringSubmatch(spec, -1) {
		if !known[m[1]] {
			t.Errorf("spec shows digest %s, which the corpus does not produce", m[1])
		}
	}
	// The first publication's prompt hash, quoted abridged.
	if e := PromptTextDigest("").String(); !strings.Contains(spec, "`"+e[:8]+"…"+e[60:]+"`") {
		t.Errorf("spec lacks the abridged empty-string digest")
	}
}

func TestSpecOIDArc(t *testing.T) {
	spec, _ := readSpec(t)
	u, ok := new(big.Int).SetString(strings.ReplaceAll("e0f8df10-b322-45b1-887a-6f86808e925a", "-", ""), 16)
	if !ok || "2.25."+u.String() != Arc {
		t.Fatalf("Arc %s is not 2.25.<UUID as integer>", Arc)
	}
	for _, s := range []string{"id-kakunin ::= " + Arc, "e0f8df10-b322-45b1-887a-6f86808e925a", "{ 2 25 " + strings.TrimPrefix(Arc, "2.25.") + " 0 }"} {
		if !strings.Contains(spec, s) {
			t.Errorf("spec lacks %q", s)
		}
	}
	if AgentPolicy.String() != Arc+".1" || AgentDigestsAttribute.String() != Arc+".2" {
		t.Errorf("OID assignments differ from the spec table")
	}
}

func TestSpecDigestsExtensionDER(t *testing.T) {
	spec, ex := readSpec(t)
	start := strings.Index(spec, "```text\n30 61")
	if start < 0 {
		t.Fatal("DER example not found")
	}
	block := spec[start+len("```text\n"):]
	block = block[:strings.Index(block, "```")]
	der, err := hex.DecodeString(strings.Join(strings.Fields(block), ""))
	if err != nil {
		t.Fatal(err)
	}
	id, _ := Parse(ex.DID)
	if !bytes.Equal(der, DigestsExtension(id).Value) {
		t.Errorf("DER example differs from DigestsExtension:\n%x", DigestsExtension(id).Value)
	}
}

type specVM struct {
	ID, Type, Controller, PublicKeyMultibase string
	PublicKeyJwk                             map[string]any
}

type specDocument struct {
	ID                                                    string
	VerificationMethod                                    []specVM
	Authentication, AssertionMethod, CapabilityInvocation []string
	Service                                               []struct {
		ID, Type        string
		ServiceEndpoint json.RawMessage
	}
}

func TestSpecExampleDocument(t *testing.T) {
	spec, ex := readSpec(t)
	start := strings.Index(spec, "```json\n{\n  \"id\"")
	if start < 0 {
		t.Fatal("document example not found")
	}
	text := spec[start+len("```json\n"):]
	var doc specDocument
	if err := json.Unmarshal([]byte(text[:strings.Index(text, "```")]), &doc); err != nil {
		t.Fatal(err)
	}
	chain := loadPEM(t, "good.pem")
	sum := sha256.Sum256(chain[0].Raw)
	d, x5t := ex.DID, base64.RawURLEncoding.EncodeToString(sum[:])
	leafMK, _ := did.EncodeMultikey(chain[0].PublicKey)
	if doc.ID != d || len(doc.VerificationMethod) != 3 {
		t.Fatalf("document id %s with %d methods", doc.ID, len(doc.VerificationMethod))
	}
	jwk, mk, owner := doc.VerificationMethod[0], doc.VerificationMethod[1], doc.VerificationMethod[2]
	checkJWK(t, jwk, chain, d+"#cert-"+x5t, x5t)
	if mk.ID != d+"#cert-"+x5t+"-multikey" || mk.Type != "Multikey" || mk.PublicKeyMultibase != leafMK {
		t.Errorf("multikey method %+v", mk)
	}
	if owner.ID != d+"#owner" || owner.PublicKeyMultibase != ex.OwnerMultikey {
		t.Errorf("owner method %+v", owner)
	}
	for _, vm := range doc.VerificationMethod {
		if vm.Controller != d {
			t.Errorf("%s: controller %s", vm.ID, vm.Controller)
		}
	}
	want := []string{jwk.ID, mk.ID}
	if !slices.Equal(doc.Authentication, want) || !slices.Equal(doc.AssertionMethod, want) || !slices.Equal(doc.CapabilityInvocation, []string{owner.ID}) {
		t.Errorf("relationships %v %v %v", doc.Authentication, doc.AssertionMethod, doc.CapabilityInvocation)
	}
	var status struct{ OCSP, CRL []string }
	if len(doc.Service) == 0 || json.Unmarshal(doc.Service[0].ServiceEndpoint, &status) != nil ||
		!slices.Equal(status.OCSP, chain[0].OCSPServer) || !slices.Equal(status.CRL, chain[0].CRLDistributionPoints) {
		t.Errorf("certificate status service %s", doc.Service[0].ServiceEndpoint)
	}
}

func checkJWK(t *testing.T, vm specVM, chain []*x509.Certificate, id, x5t string) {
	t.Helper()
	if vm.ID != id || vm.Type != "JsonWebKey" {
		t.Errorf("JWK method id %s type %s", vm.ID, vm.Type)
	}
	raw, _ := chain[0].PublicKey.(*ecdsa.PublicKey).Bytes()
	want := map[string]string{"kty": "EC", "crv": "P-256", "x": b64url(raw[1:33]), "y": b64url(raw[33:]), "x5t#S256": x5t}
	for k, v := range want {
		if vm.PublicKeyJwk[k] != v {
			t.Errorf("publicKeyJwk.%s = %v, want %s", k, vm.PublicKeyJwk[k], v)
		}
	}
	x5c, _ := vm.PublicKeyJwk["x5c"].([]any)
	if len(x5c) != len(chain) {
		t.Fatalf("x5c has %d certificates", len(x5c))
	}
	for i, c := range chain {
		if x5c[i] != base64.StdEncoding.EncodeToString(c.Raw) {
			t.Errorf("x5c[%d] is not certificate %d of good.pem", i, i)
		}
	}
}

func b64url(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
