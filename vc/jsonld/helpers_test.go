package jsonld

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/piprate/json-gold/ld"
)

// examplesV2 is the VC examples context (https://www.w3.org/ns/credentials/examples/v2,
// a single @vocab mapping), which no npm package publishes; tests register it.
const (
	examplesV2URL = "https://www.w3.org/ns/credentials/examples/v2"
	examplesV2    = `{"@context":{"@vocab":"https://www.w3.org/ns/credentials/examples#"}}`
)

func testLoader(t testing.TB) *Loader {
	t.Helper()
	l, err := NewLoader(map[string][]byte{examplesV2URL: []byte(examplesV2)})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func decode(t testing.TB, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func readJSON(t testing.TB, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return decode(t, string(b))
}

// nquads serializes a dataset as sorted N-Quads lines.
func nquads(t testing.TB, ds *ld.RDFDataset) []string {
	t.Helper()
	out, err := (&ld.NQuadRDFSerializer{}).Serialize(ds)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.(string)), "\n")
	slices.Sort(lines)
	return lines
}

// credential is a realistic VC 2.0 credential: issuer object, a subject with
// a few properties, a BitstringStatusListEntry and a validity period.
const credential = `{
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
  "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
  "type": ["VerifiableCredential", "ScopeCredential"],
  "name": "Payments scope",
  "description": "May create payments and read CRM contacts.",
  "issuer": {"id": "did:web:issuer.example", "name": "Example Owner", "description": "Owner CA of the agent fleet"},
  "validFrom": "2026-01-01T00:00:00Z",
  "validUntil": "2026-02-01T00:00:00Z",
  "credentialSubject": {
    "id": "did:kakunin:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH",
    "action": ["payments:create", "crm.contacts:read"],
    "maxAmount": 2500,
    "currency": "EUR",
    "audience": "https://api.example.com/",
    "ratePerMinute": 60,
    "allowedHours": "08:00-18:00",
    "delegatedBy": "did:web:owner.example"
  },
  "credentialSchema": {
    "id": "https://issuer.example/schemas/scope.json",
    "type": "JsonSchema"
  },
  "credentialStatus": {
    "id": "https://issuer.example/status/3#94567",
    "type": "BitstringStatusListEntry",
    "statusPurpose": "revocation",
    "statusListIndex": "94567",
    "statusListCredential": "https://issuer.example/status/3"
  }
}`
