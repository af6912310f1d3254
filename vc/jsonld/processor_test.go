package jsonld

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/kakunin-dev/kakunin/internal/vectors"
	"github.com/piprate/json-gold/ld"
)

// TestToRDFDataIntegrityVectors converts the W3C vc-di-eddsa and vc-di-ecdsa
// documents to RDF and compares them with the published canonical N-Quads.
// These documents have at most one blank node, so relabelling _:b0 as
// _:c14n0 and sorting is their canonical form.
func TestToRDFDataIntegrityVectors(t *testing.T) {
	eddsa := filepath.Join(vectors.Dir(t, "vc-di-eddsa"), "TestVectors")
	ecdsa := filepath.Join(vectors.Dir(t, "vc-di-ecdsa"), "TestVectors")
	tests := []struct{ name, doc, want string }{
		{"eddsa-rdfc-2022 document", filepath.Join(eddsa, "unsigned.json"), filepath.Join(eddsa, "eddsa-rdfc-2022/canonDocDataInt.txt")},
		{"eddsa-rdfc-2022 proof config", filepath.Join(eddsa, "eddsa-rdfc-2022/proofConfigDataInt.json"), filepath.Join(eddsa, "eddsa-rdfc-2022/proofCanonDataInt.txt")},
		{"Ed25519Signature2020 proof config", filepath.Join(eddsa, "Ed25519Signature2020/proofConfigEdSig.json"), filepath.Join(eddsa, "Ed25519Signature2020/proofCanonEdSig.txt")},
		{"ecdsa-rdfc-2019 document", filepath.Join(ecdsa, "unsigned.json"), filepath.Join(ecdsa, "ecdsa-rdfc-2019-p256/canonDocECDSAP256.txt")},
		{"ecdsa-rdfc-2019 P-256 proof config", filepath.Join(ecdsa, "ecdsa-rdfc-2019-p256/proofConfigECDSAP256.json"), filepath.Join(ecdsa, "ecdsa-rdfc-2019-p256/proofCanonECDSAP256.txt")},
		{"ecdsa-rdfc-2019 P-384 proof config", filepath.Join(ecdsa, "ecdsa-rdfc-2019-p384/proofConfigECDSAP384.json"), filepath.Join(ecdsa, "ecdsa-rdfc-2019-p384/proofCanonECDSAP384.txt")},
	}
	p := NewProcessor(testLoader(t), Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, err := os.ReadFile(tt.want)
			if err != nil {
				t.Fatal(err)
			}
			for range 2 { // the second pass takes the cached context
				ds, err := p.ToRDF(readJSON(t, tt.doc))
				if err != nil {
					t.Fatalf("ToRDF: %v", err)
				}
				got := strings.Join(nquads(t, ds), "\n")
				got = strings.ReplaceAll(got, "_:b0 ", "_:c14n0 ")
				if got != strings.TrimSpace(string(want)) {
					t.Errorf("N-Quads =\n%s\nwant\n%s", got, want)
				}
			}
		})
	}
}

// TestToRDFMatchesJSONGold proves the cached path equal to json-gold's own
// ToRDF (same loader, same options) on documents that exercise type-scoped
// and property-scoped contexts, nested nodes, lists and literals.
// TestToRDFUnregisteredVectorContext: the employment authorization vector
// uses https://w3id.org/citizenship/v4rc1, which is neither embedded nor
// registered, so it must fail rather than be fetched.
func TestToRDFUnregisteredVectorContext(t *testing.T) {
	doc := readJSON(t, filepath.Join(vectors.Dir(t, "vc-di-eddsa"), "TestVectors", "employmentAuth.json"))
	if _, err := NewProcessor(testLoader(t), Options{}).ToRDF(doc); !errors.Is(err, ErrUnknownContext) {
		t.Fatalf("ToRDF error = %v, want ErrUnknownContext", err)
	}
}

func TestToRDFMatchesJSONGold(t *testing.T) {
	docs := map[string]string{
		"credential": credential,
		"proof": `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"VerifiableCredential",
			"issuer":"did:example:1","credentialSubject":{"id":"did:example:2"},
			"proof":{"type":"DataIntegrityProof","cryptosuite":"eddsa-rdfc-2022","created":"2026-01-01T00:00:00Z",
			"verificationMethod":"did:example:1#k","proofPurpose":"assertionMethod","proofValue":"z58DAdFfa9SkqZMVPxAQpic7ndSayn1PzZs6ZjWp1CktyGesjuTSwRdoWhAfGFCF5bppETSTojQCrfFPP2oumHKtz"}}`,
		"v1 with list and language": `{"@context":["https://www.w3.org/2018/credentials/v1",{"ex":"https://example.org/#","items":{"@id":"ex:items","@container":"@list"},"label":{"@id":"ex:label","@language":"fr"}}],
			"type":["VerifiableCredential"],"issuer":"did:example:1","issuanceDate":"2026-01-01T00:00:00Z",
			"credentialSubject":{"id":"did:example:2","items":[1,2.5,true,"x"],"label":"étiquette"}}`,
		"literals, lists, graphs": `{"@context":{"@vocab":"https://example.org/v#","xsd":"http://www.w3.org/2001/XMLSchema#",
			"data":{"@type":"@json"},"seq":{"@container":"@list"},"dbl":{"@type":"xsd:double"},"dec":{"@type":"xsd:decimal"},
			"tag":{"@language":"en"},"parent":{"@reverse":"https://example.org/v#child"},"claims":{"@container":"@graph"}},
			"@id":"https://example.org/s","@type":"Thing",
			"data":{"b":[1,2.5,"x"],"a":{"z":null,"y":true}},"flag":false,"count":7,"ratio":0.125,"big":1e21,"dbl":3,"dec":2.50,
			"tag":"hello","nested":{"name":"blank node"},"seq":[1,"two",{"@id":"https://example.org/o"},[],["inner"]],
			"parent":{"@id":"https://example.org/p"},
			"claims":{"@id":"https://example.org/c","name":"in a named graph"},
			"@included":[{"@id":"https://example.org/i","name":"included"}]}`,
		"status context beside v2": `{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/status/v1"],"type":"VerifiableCredential","issuer":"did:example:1","credentialSubject":{"id":"did:example:2"},
			"credentialStatus":{"id":"https://issuer.example/s#1","type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"1","statusListCredential":"https://issuer.example/s"}}`,
		"non-propagated context": `{"@context":{"@propagate":false,"@vocab":"https://example.org/v#"},"@id":"https://example.org/s","name":"x"}`,
		"did document": `{"@context":["https://www.w3.org/ns/did/v1","https://w3id.org/security/multikey/v1"],"id":"did:example:1",
			"verificationMethod":[{"id":"did:example:1#k","type":"Multikey","controller":"did:example:1","publicKeyMultibase":"z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH"}],
			"assertionMethod":["did:example:1#k"]}`,
	}
	loader := testLoader(t)
	p := NewProcessor(loader, Options{})
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			opts := ld.NewJsonLdOptions("")
			opts.DocumentLoader = loader
			opts.SafeMode = true
			ref, err := ld.NewJsonLdProcessor().ToRDF(decode(t, doc), opts)
			if err != nil {
				t.Fatalf("json-gold ToRDF: %v", err)
			}
			want := nquads(t, ref.(*ld.RDFDataset))
			for range 2 {
				ds, err := p.ToRDF(decode(t, doc))
				if err != nil {
					t.Fatalf("ToRDF: %v", err)
				}
				if got := nquads(t, ds); !slices.Equal(got, want) {
					t.Errorf("ToRDF =\n%s\njson-gold =\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
			}
		})
	}
}

func TestToRDFDataLoss(t *testing.T) {
	const v2 = `"@context":["https://www.w3.org/ns/credentials/v2"]`
	const base = `"type":"VerifiableCredential","issuer":"did:example:1"`
	tests := []struct {
		name string
		doc  string
		want error
	}{
		{"undefined term", `{` + v2 + `,` + base + `,"credentialSubject":{"id":"did:example:2","undefinedTerm":1}}`, ErrDataLoss},
		{"undefined top-level term", `{` + v2 + `,` + base + `,"colour":"red"}`, ErrDataLoss},
		{"keyword-like term", `{` + v2 + `,` + base + `,"@foo":"bar"}`, ErrDataLoss},
		{"undefined type", `{` + v2 + `,"type":["VerifiableCredential","UndefinedType"],"issuer":"did:example:1"}`, ErrDataLoss},
		{"relative id", `{` + v2 + `,` + base + `,"id":"credential-1"}`, ErrDataLoss},
		{"relative issuer", `{` + v2 + `,"type":"VerifiableCredential","issuer":"issuers/1"}`, ErrDataLoss},
		{"relative status list", `{` + v2 + `,` + base + `,"credentialStatus":{"id":"https://issuer.example/s#1","type":"BitstringStatusListEntry","statusListCredential":"s/1"}}`, ErrDataLoss},
		{"undefined term under v1", `{"@context":["https://www.w3.org/2018/credentials/v1"],"type":["VerifiableCredential"],"issuer":"did:example:1","issuanceDate":"2026-01-01T00:00:00Z","credentialSubject":{"id":"did:example:2","degree":"BSc"}}`, ErrDataLoss},
		{"invalid language", `{"@context":{"p":"https://example.org/p"},"p":{"@value":"x","@language":"not a tag"}}`, ErrDataLoss},
		{"relative datatype (json-gold rejects it)", `{"@context":{"p":"https://example.org/p"},"p":{"@value":"x","@type":"rel"}}`, ErrProcessing},
		{"blank node predicate", `{"@context":{"p":"_:p"},"@id":"https://example.org/s","p":"x"}`, ErrDataLoss},
		{"invalid http IRI", `{"@context":{"p":{"@id":"https://example.org/p","@type":"@id"}},"@id":"https://example.org/s","p":"https://exa mple.org/"}`, ErrDataLoss},
		{"invalid datatype IRI", `{"@context":{"p":"https://example.org/p"},"p":{"@value":"x","@type":"https://example.org/d t"}}`, ErrDataLoss},
		{"relative graph name", `{"@context":{"p":"https://example.org/p"},"@id":"g","@graph":[{"@id":"https://example.org/s","p":"x"}]}`, ErrDataLoss},
		{"json array literal", `{"@context":{"p":{"@id":"https://example.org/p","@type":"@json"}},"p":[1,2]}`, ErrUnsupported},
		{"unknown context", `{"@context":["https://www.w3.org/ns/credentials/v2","https://example.org/unknown/v1"],` + base + `}`, ErrUnknownContext},
		{"unknown nested context", `{"@context":{"p":{"@id":"https://example.org/p","@context":"https://example.org/scoped"}},"p":{"@id":"https://example.org/o"}}`, ErrUnknownContext},
		{"invalid context", `{"@context":[42]}`, ErrProcessing},
	}
	p := NewProcessor(nil, Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, err := p.ToRDF(decode(t, tt.doc))
			if !errors.Is(err, tt.want) {
				var got []string
				if ds != nil {
					got = nquads(t, ds)
				}
				t.Fatalf("ToRDF = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestToRDFKeepsDefinedData(t *testing.T) {
	p := NewProcessor(testLoader(t), Options{})
	ds, err := p.ToRDF(decode(t, credential))
	if err != nil {
		t.Fatal(err)
	}
	got := nquads(t, ds)
	for _, want := range []string{
		`<https://issuer.example/status/3#94567> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/ns/credentials/status#BitstringStatusListEntry> .`,
		`<urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33> <https://www.w3.org/2018/credentials#validUntil> "2026-02-01T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .`,
		`<did:kakunin:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH> <https://www.w3.org/ns/credentials/examples#maxAmount> "2500"^^<http://www.w3.org/2001/XMLSchema#integer> .`,
	} {
		if !slices.Contains(got, want) {
			t.Errorf("missing %s in\n%s", want, strings.Join(got, "\n"))
		}
	}
	if len(got) != 25 {
		t.Errorf("%d quads, want 25:\n%s", len(got), strings.Join(got, "\n"))
	}
}

func TestExpandDoesNotModifyInput(t *testing.T) {
	p := NewProcessor(testLoader(t), Options{})
	doc := decode(t, credential)
	if _, err := p.Expand(doc); err != nil {
		t.Fatal(err)
	}
	if _, ok := doc["@context"]; !ok {
		t.Error("Expand removed @context from the caller's document")
	}
}

func TestProcessorCacheBound(t *testing.T) {
	p := NewProcessor(testLoader(t), Options{CachedContexts: 2})
	for _, ctx := range []string{CredentialsV2, CredentialsV1, DIDV1, CredentialsV2} {
		doc := map[string]any{"@context": ctx, "@id": "https://example.org/s"}
		if _, err := p.Expand(doc); err != nil {
			t.Fatalf("Expand with %s: %v", ctx, err)
		}
	}
	if n := len(p.contexts.entries); n > 2 {
		t.Errorf("cache holds %d contexts, want at most 2", n)
	}
}

// TestProcessorConcurrent runs ToRDF on several documents from several
// goroutines on one Processor whose cache holds a single context, so entries
// are shared and evicted while in use (run with -race).
func TestProcessorConcurrent(t *testing.T) {
	docs := []string{
		credential,
		`{"@context":["https://www.w3.org/2018/credentials/v1"],"type":["VerifiableCredential"],"issuer":"did:example:1","issuanceDate":"2026-01-01T00:00:00Z","credentialSubject":{"id":"did:example:2"}}`,
		`{"@context":["https://www.w3.org/ns/did/v1","https://w3id.org/security/multikey/v1"],"id":"did:example:1","verificationMethod":[{"id":"did:example:1#k","type":"Multikey","controller":"did:example:1","publicKeyMultibase":"z6Mk"}]}`,
	}
	p := NewProcessor(testLoader(t), Options{CachedContexts: 1})
	want := make([][]string, len(docs))
	for i, d := range docs {
		want[i] = nquads(t, mustToRDF(t, p, d))
	}
	var wg sync.WaitGroup
	for g := range 6 {
		wg.Go(func() {
			for i := range 6 {
				k := (g + i) % len(docs)
				ds, err := p.ToRDF(decode(t, docs[k]))
				if err != nil {
					t.Error(err)
					return
				}
				if got := nquads(t, ds); !slices.Equal(got, want[k]) {
					t.Errorf("concurrent ToRDF of document %d differs", k)
					return
				}
			}
		})
	}
	wg.Wait()
}

func mustToRDF(t testing.TB, p *Processor, doc string) *ld.RDFDataset {
	t.Helper()
	ds, err := p.ToRDF(decode(t, doc))
	if err != nil {
		t.Fatal(err)
	}
	return ds
}
