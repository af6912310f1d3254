package spec_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/spec"
	"github.com/kakunin-dev/kakunin/vc/jsonld"
	"github.com/piprate/json-gold/ld"
)

// contextSHA256 pins the published context. Changing the context changes its meaning for every
// credential that cites it: publish a new version (kakunin-v2) instead.
const contextSHA256 = "b6aca9d1a10846e206b9198f9578decbb3f18bdd223c23fa4d7723de456bc1a4"

func TestContextDigest(t *testing.T) {
	served, ok := spec.Document(spec.ContextURL)
	if !ok {
		t.Fatal("context not published")
	}
	sum := sha256.Sum256(served)
	if got := hex.EncodeToString(sum[:]); got != contextSHA256 {
		t.Errorf("SHA-256 of the context = %s, want %s", got, contextSHA256)
	}
	if doc, err := os.ReadFile("credentials.md"); err != nil || !strings.Contains(string(doc), contextSHA256) {
		t.Errorf("credentials.md does not state the context's SHA-256 (%v)", err)
	}
	onDisk, err := os.ReadFile("contexts/kakunin-v1.jsonld")
	if err != nil {
		t.Fatal(err)
	}
	if string(onDisk) != string(served) || string(spec.Contexts()[spec.ContextURL]) != string(served) {
		t.Error("the embedded, registered and published copies of the context differ")
	}
}

func TestFiles(t *testing.T) {
	want := []spec.File{
		{Path: "/contexts/kakunin-v1.jsonld", MediaType: "application/ld+json"},
		{Path: "/schemas/compliance-credential.json", MediaType: "application/schema+json"},
		{Path: "/schemas/scope-credential.json", MediaType: "application/schema+json"},
	}
	files := spec.Files()
	if len(files) != len(want) {
		t.Fatalf("Files() has %d entries, want %d", len(files), len(want))
	}
	for i, w := range want {
		f := files[i]
		b, err := os.ReadFile(strings.TrimPrefix(w.Path, "/"))
		if err != nil {
			t.Fatal(err)
		}
		if f.Path != w.Path || f.MediaType != w.MediaType || string(f.Body) != string(b) {
			t.Errorf("Files()[%d] = %s %s (%d bytes), want %s %s (%d bytes)", i, f.Path, f.MediaType, len(f.Body), w.Path, w.MediaType, len(b))
		}
	}
	if _, ok := spec.Document("https://kakunin.dev/ns/v2"); ok {
		t.Error("Document serves an unpublished URL")
	}
}

func TestSchemasNameTheirURL(t *testing.T) {
	for url, name := range map[string]string{spec.ScopeSchemaURL: "scope", spec.ComplianceSchemaURL: "compliance"} {
		b, _ := spec.Document(url)
		var s struct {
			Schema string `json:"$schema"`
			ID     string `json:"$id"`
		}
		if err := json.Unmarshal(b, &s); err != nil {
			t.Fatal(err)
		}
		if s.ID != url || s.Schema != "https://json-schema.org/draft/2020-12/schema" {
			t.Errorf("%s schema: $id %q, $schema %q", name, s.ID, s.Schema)
		}
	}
}

func processor(t testing.TB) *jsonld.Processor {
	t.Helper()
	l, err := jsonld.NewLoader(spec.Contexts())
	if err != nil {
		t.Fatal(err)
	}
	return jsonld.NewProcessor(l, jsonld.Options{})
}

// toRDFLossless converts doc strictly and checks that every scalar value of doc (outside
// @context) appears in the dataset as an IRI or a literal: no claim was dropped.
func toRDFLossless(t testing.TB, p *jsonld.Processor, doc map[string]any) {
	t.Helper()
	ds, err := p.ToRDF(doc)
	if err != nil {
		t.Fatalf("ToRDF: %v", err)
	}
	out, err := (&ld.NQuadRDFSerializer{}).Serialize(ds)
	if err != nil {
		t.Fatal(err)
	}
	nquads := out.(string)
	values := scalars(doc, "")
	if len(values) == 0 {
		t.Fatal("no values to check")
	}
	for _, forms := range values {
		if !slices.ContainsFunc(forms, func(f string) bool { return strings.Contains(nquads, f) }) {
			t.Errorf("value %s is not in the RDF dataset", forms[0])
		}
	}
}

// scalars lists, for each scalar value of v outside @context, the forms it may take in
// N-Quads: a type as an IRI ending in "#" and the term, a string as an IRI, a literal or a
// vocabulary IRI (proofPurpose), a number or boolean as a literal.
func scalars(v any, key string) [][]string {
	switch v := v.(type) {
	case map[string]any:
		var out [][]string
		for k, x := range v {
			if k != "@context" {
				out = append(out, scalars(x, k)...)
			}
		}
		return out
	case []any:
		var out [][]string
		for _, x := range v {
			out = append(out, scalars(x, key)...)
		}
		return out
	case string:
		if key == "type" {
			return [][]string{{"#" + v + ">"}}
		}
		return [][]string{{"<" + v + ">", `"` + v + `"`, "#" + v + ">"}} // IRI, literal, or a term @vocab expands
	case json.Number:
		return [][]string{{`"` + string(v) + `"`}}
	case bool:
		return [][]string{{fmt.Sprintf(`"%t"`, v)}}
	}
	return nil
}

func decode(t testing.TB, s string) map[string]any {
	t.Helper()
	var m map[string]any
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	if err := d.Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

// didDocument is a DID document in the DID 1.0 JSON-LD representation with the contexts and
// the three kakunin service types of spec/did-kakunin.md §9 (the JWK context, which no npm
// package of the embedded set publishes, is left out with the JsonWebKey methods).
const didDocument = `{
  "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1", "https://kakunin.dev/ns/v1"],
  "id": "did:example:agent",
  "verificationMethod": [
    {"id": "did:example:agent#owner", "type": "Multikey", "controller": "did:example:agent",
     "publicKeyMultibase": "z6Mkm2RmB3S2H1pN9gbndBPKu9LdBGkvRbS59KDJBBQFsdDg"}
  ],
  "service": [
    {"id": "did:example:agent#certificate-status", "type": "KakuninCertificateStatus",
     "serviceEndpoint": {"ocsp": ["http://ca.example.com/ocsp"], "crl": ["http://ca.example.com/crl/issuing.crl"]}},
    {"id": "did:example:agent#audit-log", "type": "KakuninAuditLog", "serviceEndpoint": "https://kakunin.example.com/log"},
    {"id": "did:example:agent#credentials", "type": "KakuninCredentials", "serviceEndpoint": "https://kakunin.example.com/credentials"}
  ]
}`

func TestContextDIDServices(t *testing.T) {
	p := processor(t)
	doc := decode(t, didDocument)
	toRDFLossless(t, p, doc)
	ds, _ := p.ToRDF(doc)
	out, _ := (&ld.NQuadRDFSerializer{}).Serialize(ds)
	for _, typ := range []string{spec.CertificateStatusService, spec.AuditLogService, spec.CredentialsService} {
		if !strings.Contains(out.(string), "<"+spec.Vocabulary+typ+">") {
			t.Errorf("service type %s does not expand to %s%s", typ, spec.Vocabulary, typ)
		}
	}
}

func TestContextIsStrictAndProtected(t *testing.T) {
	p := processor(t)
	examples := docExamples(t)
	tests := []struct {
		name string
		edit func(map[string]any)
		want error
	}{
		{"undefined term in a grant", func(d map[string]any) {
			grant(d)["limitz"] = map[string]any{}
		}, jsonld.ErrDataLoss},
		{"undefined term in the subject", func(d map[string]any) {
			d["credentialSubject"].(map[string]any)["scopes"] = []any{}
		}, jsonld.ErrDataLoss},
		{"redefining a protected kakunin term", func(d map[string]any) {
			d["@context"] = append(d["@context"].([]any), map[string]any{"scope": "https://attacker.example/scope"})
		}, jsonld.ErrProcessing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := decode(t, examples[0].json)
			tt.edit(doc)
			_, err := p.ToRDF(doc)
			if !errors.Is(err, tt.want) {
				t.Errorf("ToRDF error = %v, want %v", err, tt.want)
			}
			var jerr *ld.JsonLdError
			if tt.want == jsonld.ErrProcessing && (!errors.As(err, &jerr) || jerr.Code != ld.ProtectedTermRedefinition) {
				t.Errorf("ToRDF error = %v, want a protected term redefinition", err)
			}
		})
	}
}

func grant(d map[string]any) map[string]any {
	return d["credentialSubject"].(map[string]any)["scope"].([]any)[0].(map[string]any)
}

// TestContextWithStatusAndProof processes the examples as issued: with a Bitstring Status List
// entry and a Data Integrity proof, whose type-scoped contexts (credentials v2) must not clash
// with the kakunin context's protected terms.
func TestContextWithStatusAndProof(t *testing.T) {
	p := processor(t)
	for _, ex := range docExamples(t) {
		doc := decode(t, ex.json)
		if _, isDID := doc["service"]; isDID {
			continue
		}
		doc["credentialStatus"] = decode(t, `{
		  "id": "https://kakunin.example.com/status/3#94567", "type": "BitstringStatusListEntry",
		  "statusPurpose": "revocation", "statusListIndex": "94567",
		  "statusListCredential": "https://kakunin.example.com/status/3"}`)
		doc["proof"] = decode(t, `{
		  "type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "created": "2026-03-01T00:00:00Z",
		  "verificationMethod": "did:web:kakunin.example.com#key-1", "proofPurpose": "assertionMethod",
		  "proofValue": "z58DAdFfa9SkqZMVPxAQpic7ndSayn1PzZs6ZjWp1CktyGesjuTSwRdoWhAfGFCF5bppETSTojQCrfFPP2oumHKtz"}`)
		toRDFLossless(t, p, doc)
	}
}
