package jsonld_test

import (
	"encoding/json"
	"testing"

	"github.com/kakunin-dev/kakunin/vc/jsonld"
	"github.com/kakunin-dev/kakunin/vc/rdfc"
)

// TestPresentationCredentialGraph: under the VC 2.0 context, each credential of a
// presentation is a named graph of its own ("@container": "@graph" with
// "@context": null), which json-gold alone loses. The expected N-Quads are those
// jsonld.js (the JSON-LD reference implementation) and RDFC-1.0 give for this
// presentation.
func TestPresentationCredentialGraph(t *testing.T) {
	const vp = `{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"],
	"verifiableCredential": [{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
	"issuer": "did:key:z6MkpJySvETLnxhQG9DzEdmKJtysBDjuuTeDfUj1uNNCUqcj", "credentialSubject": {"id": "did:example:subject"},
	"proof": {"type": "DataIntegrityProof", "created": "2026-11-26T12:58:48Z",
	"verificationMethod": "did:key:z6MkpJySvETLnxhQG9DzEdmKJtysBDjuuTeDfUj1uNNCUqcj#z6MkpJySvETLnxhQG9DzEdmKJtysBDjuuTeDfUj1uNNCUqcj",
	"cryptosuite": "eddsa-rdfc-2022", "proofPurpose": "assertionMethod",
	"proofValue": "z4fyWYvB23ee1i2vzPk455XDs6NEYqZH5GS7Tg4r8HTxfA2iGUFrTKifjFxQhnX5gs7yMa2ryq1ALwwEF58Z6mm52"}}]}`
	const want = `_:c14n1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/2018/credentials#VerifiablePresentation> .
_:c14n1 <https://www.w3.org/2018/credentials#verifiableCredential> _:c14n2 .
_:c14n3 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/2018/credentials#VerifiableCredential> _:c14n2 .
_:c14n3 <https://w3id.org/security#proof> _:c14n0 _:c14n2 .
_:c14n3 <https://www.w3.org/2018/credentials#credentialSubject> <did:example:subject> _:c14n2 .
_:c14n3 <https://www.w3.org/2018/credentials#issuer> <did:key:z6MkpJySvETLnxhQG9DzEdmKJtysBDjuuTeDfUj1uNNCUqcj> _:c14n2 .
_:c14n4 <http://purl.org/dc/terms/created> "2026-11-26T12:58:48Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> _:c14n0 .
_:c14n4 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/security#DataIntegrityProof> _:c14n0 .
_:c14n4 <https://w3id.org/security#cryptosuite> "eddsa-rdfc-2022"^^<https://w3id.org/security#cryptosuiteString> _:c14n0 .
_:c14n4 <https://w3id.org/security#proofPurpose> <https://w3id.org/security#assertionMethod> _:c14n0 .
_:c14n4 <https://w3id.org/security#proofValue> "z4fyWYvB23ee1i2vzPk455XDs6NEYqZH5GS7Tg4r8HTxfA2iGUFrTKifjFxQhnX5gs7yMa2ryq1ALwwEF58Z6mm52"^^<https://w3id.org/security#multibase> _:c14n0 .
_:c14n4 <https://w3id.org/security#verificationMethod> <did:key:z6MkpJySvETLnxhQG9DzEdmKJtysBDjuuTeDfUj1uNNCUqcj#z6MkpJySvETLnxhQG9DzEdmKJtysBDjuuTeDfUj1uNNCUqcj> _:c14n0 .
`
	for name, doc := range map[string]string{"array": vp, "single object": singleCredential(t, vp)} {
		var v any
		if err := json.Unmarshal([]byte(doc), &v); err != nil {
			t.Fatal(err)
		}
		if got := canonicalNQuads(t, v); got != want {
			t.Errorf("%s: canonical N-Quads\n%s\nwant\n%s", name, got, want)
		}
	}
}

func singleCredential(t *testing.T, vp string) string {
	var m map[string]any
	if err := json.Unmarshal([]byte(vp), &m); err != nil {
		t.Fatal(err)
	}
	m["verifiableCredential"] = m["verifiableCredential"].([]any)[0]
	b, _ := json.Marshal(m)
	return string(b)
}

func canonicalNQuads(t *testing.T, doc any) string {
	t.Helper()
	ds, err := jsonld.NewProcessor(nil, jsonld.Options{}).ToRDF(doc)
	if err != nil {
		t.Fatal(err)
	}
	cds, err := rdfc.FromJSONGold(ds)
	if err != nil {
		t.Fatal(err)
	}
	res, err := rdfc.Canonicalize(cds, rdfc.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return string(res.NQuads)
}
