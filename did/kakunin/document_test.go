package kakunin

import (
	"bytes"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/spec"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// specDocumentOptions are the endpoints of the spec's §9.3 example resolver.
var specDocumentOptions = DocumentOptions{AuditLogURL: "https://kakunin.example.com/log", CredentialsURL: "https://kakunin.example.com/credentials"}

func corpusID(t testing.TB) ID {
	t.Helper()
	var ex specExample
	readJSON(t, "testdata/corpus/example.json", &ex)
	id, err := Parse(ex.DID)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestSpecDocumentExampleExact: the §9.3 example is byte for byte (up to
// indentation) what DeriveDocument makes of the corpus chain good.pem.
func TestSpecDocumentExampleExact(t *testing.T) {
	spec, _ := readSpec(t)
	start := strings.Index(spec, "```json\n{\n  \"id\"")
	if start < 0 {
		t.Fatal("document example not found")
	}
	text := spec[start+len("```json\n"):]
	text = text[:strings.Index(text, "```")]
	doc, err := DeriveDocument(corpusID(t), [][]*x509.Certificate{loadPEM(t, "good.pem")}, specDocumentOptions)
	if err != nil {
		t.Fatal(err)
	}
	got, err := doc.Marshal(did.MediaTypeDIDJSON)
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := json.Compact(&want, []byte(text)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Errorf("spec §9.3 example differs from the derived document:\n%s", indent(t, got))
	}
}

func TestDeriveDocument(t *testing.T) {
	id := corpusID(t)
	chains := map[string][]*x509.Certificate{}
	for _, name := range []string{"good", "good-direct", "good-ed25519", "good-p384", "good-rsa2048"} {
		chains[name] = loadPEM(t, name+".pem")
	}
	tests := []struct {
		name    string
		chains  []string
		methods int // verification methods, #owner included
	}{
		{"none", nil, 1},
		{"P-256", []string{"good"}, 3},
		{"Ed25519", []string{"good-ed25519"}, 3},
		{"P-384", []string{"good-p384"}, 3},
		{"RSA has no Multikey twin", []string{"good-rsa2048"}, 2},
		{"all, any order", []string{"good-rsa2048", "good", "good-p384", "good-direct", "good-ed25519"}, 10},
		{"duplicates collapse", []string{"good", "good"}, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var in [][]*x509.Certificate
			for _, n := range tc.chains {
				in = append(in, chains[n])
			}
			doc, err := DeriveDocument(id, in, DocumentOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(doc.VerificationMethod) != tc.methods {
				t.Fatalf("%d verification methods, want %d", len(doc.VerificationMethod), tc.methods)
			}
			checkDocument(t, doc, id)
			slices.Reverse(in)
			again, _ := DeriveDocument(id, in, DocumentOptions{})
			a, _ := doc.Marshal(did.MediaTypeDIDLDJSON)
			b, _ := again.Marshal(did.MediaTypeDIDLDJSON)
			if !bytes.Equal(a, b) {
				t.Error("document depends on the order of the chains")
			}
		})
	}
}

// checkDocument checks the invariants of spec §9.1 on any derived document: it
// parses strictly, every id and reference is absolute, each key is authorized for
// its relationships, and the JWK's x5c starts with the certificate of its key.
func checkDocument(t *testing.T, doc *did.Document, id ID) {
	t.Helper()
	b, err := doc.Marshal(did.MediaTypeDIDLDJSON)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := did.ParseDocument(b)
	if err != nil {
		t.Fatalf("derived document does not parse: %v", err)
	}
	for _, vm := range parsed.VerificationMethod {
		if !strings.HasPrefix(vm.ID, id.String()+"#") || vm.Controller != id.String() {
			t.Errorf("method %s controller %s", vm.ID, vm.Controller)
		}
		if _, err := vm.PublicKey(); err != nil {
			t.Errorf("%s: %v", vm.ID, err)
		}
		rels := []did.Relationship{did.Authentication, did.AssertionMethod}
		if strings.HasSuffix(vm.ID, "#owner") {
			rels = []did.Relationship{did.CapabilityInvocation}
		}
		for _, rel := range rels {
			if _, err := parsed.Authorized(vm.ID, rel); err != nil {
				t.Error(err)
			}
		}
	}
	if _, err := parsed.Authorized(id.String()+"#owner", did.Authentication); !errors.Is(err, did.ErrInvalidRelationship) {
		t.Errorf("owner key usable for authentication: %v", err)
	}
}

func TestDocumentContexts(t *testing.T) {
	doc, err := DeriveDocument(corpusID(t), [][]*x509.Certificate{loadPEM(t, "good.pem")}, DocumentOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for mt, want := range map[string][]any{
		did.MediaTypeDIDLDJSON: {did.ContextV1, "https://w3id.org/security/multikey/v1", "https://w3id.org/security/jwk/v1", ContextURL},
		did.MediaTypeDID:       {did.ContextV1_1, ContextURL},
		did.MediaTypeDIDJSON:   nil,
	} {
		got, err := doc.ContextFor(mt)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("%s: @context %v, %v", mt, got, err)
		}
	}
}

func TestDeriveDocumentErrors(t *testing.T) {
	id := corpusID(t)
	if _, err := DeriveDocument(id, [][]*x509.Certificate{nil}, DocumentOptions{}); !errors.Is(err, ErrDocument) {
		t.Errorf("empty chain: %v", err)
	}
	p224 := loadPEM(t, "p224.pem")
	if _, err := DeriveDocument(id, [][]*x509.Certificate{p224}, DocumentOptions{}); !errors.Is(err, ErrDocument) || !errors.Is(err, did.ErrUnsupportedKey) {
		t.Errorf("P-224 key: %v", err)
	}
}

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	got = indent(t, got)
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (rerun with -update if the change is intended):\n%s", path, got)
	}
}

func indent(t testing.TB, b []byte) []byte {
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		t.Fatal(err)
	}
	return append(out.Bytes(), '\n')
}

// TestContextMatchesSpecPackage: the context URL and service types are those that
// package spec publishes and whose context document defines the service types.
func TestContextMatchesSpecPackage(t *testing.T) {
	for got, want := range map[string]string{
		ContextURL:               spec.ContextURL,
		ServiceCertificateStatus: spec.CertificateStatusService,
		ServiceAuditLog:          spec.AuditLogService,
		ServiceCredentials:       spec.CredentialsService,
	} {
		if got != want {
			t.Errorf("%s, spec package says %s", got, want)
		}
	}
}
