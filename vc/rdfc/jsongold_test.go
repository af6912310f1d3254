package rdfc

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/piprate/json-gold/ld"
)

// offlineLoader refuses every remote document: the tests use inline contexts only.
type offlineLoader struct{}

var errOffline = errors.New("remote documents are not loaded in tests")

func (offlineLoader) LoadDocument(string) (*ld.RemoteDocument, error) { return nil, errOffline }

const agentDoc = `{
  "@context": {
    "ex": "https://example.org/vocab#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "Agent": "ex:Agent",
    "name": "ex:name",
    "scope": "ex:scope",
    "owner": {"@id": "ex:owner", "@type": "@id"},
    "created": {"@id": "ex:created", "@type": "xsd:dateTime"},
    "label": {"@id": "ex:label", "@language": "en"},
    "limits": "ex:limits",
    "max": {"@id": "ex:max", "@type": "xsd:integer"}
  },
  "@type": "Agent",
  "name": "Billing \"bot\"",
  "owner": "did:example:owner",
  "created": "2026-01-02T03:04:05Z",
  "label": "bot",
  "scope": ["read", "write"],
  "limits": {"max": 10}
}`

const agentCanonical = `_:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://example.org/vocab#Agent> .
_:c14n0 <https://example.org/vocab#created> "2026-01-02T03:04:05Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .
_:c14n0 <https://example.org/vocab#label> "bot"@en .
_:c14n0 <https://example.org/vocab#limits> _:c14n1 .
_:c14n0 <https://example.org/vocab#name> "Billing \"bot\"" .
_:c14n0 <https://example.org/vocab#owner> <did:example:owner> .
_:c14n0 <https://example.org/vocab#scope> "read" .
_:c14n0 <https://example.org/vocab#scope> "write" .
_:c14n1 <https://example.org/vocab#max> "10"^^<http://www.w3.org/2001/XMLSchema#integer> .
`

func jsonGoldToRDF(t testing.TB, doc string) *ld.RDFDataset {
	t.Helper()
	var input any
	if err := json.Unmarshal([]byte(doc), &input); err != nil {
		t.Fatal(err)
	}
	opts := ld.NewJsonLdOptions("")
	opts.DocumentLoader = offlineLoader{}
	out, err := ld.NewJsonLdProcessor().ToRDF(input, opts)
	if err != nil {
		t.Fatalf("json-gold ToRDF: %v", err)
	}
	return out.(*ld.RDFDataset)
}

// TestFromJSONGold converts json-gold's toRDF output and checks the canonical form against
// a golden document and against json-gold's own URDNA2015 normalizer, which agrees with
// RDFC-1.0 on data without control characters.
func TestFromJSONGold(t *testing.T) {
	ds, err := FromJSONGold(jsonGoldToRDF(t, agentDoc))
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 9 {
		t.Fatalf("got %d quads, want 9", len(ds))
	}
	res, err := Canonicalize(ds, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if string(res.NQuads) != agentCanonical {
		t.Errorf("canonical form:\n%s\nwant:\n%s", res.NQuads, agentCanonical)
	}
	var input any
	if err := json.Unmarshal([]byte(agentDoc), &input); err != nil {
		t.Fatal(err)
	}
	opts := ld.NewJsonLdOptions("")
	opts.DocumentLoader = offlineLoader{}
	opts.Format = "application/n-quads"
	opts.Algorithm = ld.AlgorithmURDNA2015
	peer, err := ld.NewJsonLdProcessor().Normalize(input, opts)
	if err != nil {
		t.Fatalf("json-gold Normalize: %v", err)
	}
	if peer != string(res.NQuads) {
		t.Errorf("json-gold URDNA2015 gives:\n%s\nRDFC-1.0 here gives:\n%s", peer, res.NQuads)
	}
}

func TestFromJSONGoldGraphsAndPointers(t *testing.T) {
	in := &ld.RDFDataset{Graphs: map[string][]*ld.Quad{
		"@default": {ld.NewQuad(ld.NewIRI("urn:s"), ld.NewIRI("urn:p"), ld.NewBlankNode("_:b0"), "@default")},
		"_:g": {{Subject: &ld.BlankNode{Attribute: "_:b0"}, Predicate: &ld.IRI{Value: "urn:p"},
			Object: &ld.Literal{Value: "x", Datatype: ld.XSDString}}},
		"urn:g": {ld.NewQuad(ld.NewIRI("urn:s"), ld.NewIRI("urn:p"),
			ld.NewLiteral("chat", "", "fr"), "urn:g")},
	}}
	ds, err := FromJSONGold(in)
	if err != nil {
		t.Fatal(err)
	}
	want := Dataset{
		{IRI("urn:s"), IRI("urn:p"), Blank("b0"), Term{}},
		{Blank("b0"), IRI("urn:p"), Literal("x", XSDString), Blank("g")},
		{IRI("urn:s"), IRI("urn:p"), Term{Kind: LiteralKind, Value: "chat", Datatype: RDFLangString, Language: "fr"}, IRI("urn:g")},
	}
	if len(ds) != len(want) {
		t.Fatalf("got %d quads, want %d", len(ds), len(want))
	}
	for i := range want {
		if ds[i] != want[i] {
			t.Errorf("quad %d = %+v, want %+v", i, ds[i], want[i])
		}
	}
	if _, err := Canonicalize(ds, Options{}); err != nil {
		t.Fatalf("Canonicalize: %v", err)
	}
}

func TestFromJSONGoldRejects(t *testing.T) {
	tests := []struct {
		name string
		in   *ld.RDFDataset
	}{
		{"blank node without prefix", &ld.RDFDataset{Graphs: map[string][]*ld.Quad{
			"@default": {{Subject: ld.NewBlankNode("b0"), Predicate: ld.NewIRI("urn:p"), Object: ld.NewIRI("urn:o")}},
		}}},
		{"nil node", &ld.RDFDataset{Graphs: map[string][]*ld.Quad{
			"@default": {{Subject: ld.NewIRI("urn:s"), Predicate: ld.NewIRI("urn:p")}},
		}}},
		{"nil quad", &ld.RDFDataset{Graphs: map[string][]*ld.Quad{"@default": {nil}}}},
		{"empty graph name", &ld.RDFDataset{Graphs: map[string][]*ld.Quad{"": {}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := FromJSONGold(tt.in); !errors.Is(err, ErrInvalidTerm) {
				t.Fatalf("err = %v, want ErrInvalidTerm", err)
			}
		})
	}
}
