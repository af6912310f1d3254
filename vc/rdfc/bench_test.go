package rdfc

import "testing"

// credentialNQuads is what toRDF gives for a ~25-quad scope credential without its proof:
// the credential, its subject, its status entry, its schema and a constraints object are
// blank nodes; the issuer is an IRI with a name.
const credentialNQuads = `_:b0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/2018/credentials#VerifiableCredential> .
_:b0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://kakunin.dev/ns#ScopeCredential> .
_:b0 <https://www.w3.org/2018/credentials#issuer> <did:kakunin:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme> .
_:b0 <https://www.w3.org/2018/credentials#validFrom> "2026-11-26T08:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .
_:b0 <https://www.w3.org/2018/credentials#validUntil> "2027-11-26T08:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .
_:b0 <https://schema.org/name> "Payments scope"@en .
_:b0 <https://schema.org/description> "Lets the agent pay invoices up to a limit.\nReviewed by the owner."@en .
_:b0 <https://www.w3.org/2018/credentials#credentialSubject> _:b1 .
_:b0 <https://www.w3.org/2018/credentials#credentialStatus> _:b2 .
_:b0 <https://www.w3.org/2018/credentials#credentialSchema> _:b3 .
<did:kakunin:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme> <https://schema.org/name> "Example Owner Ltd" .
<did:kakunin:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme> <https://schema.org/url> <https://owner.example> .
_:b1 <https://kakunin.dev/ns#agent> <did:kakunin:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169> .
_:b1 <https://kakunin.dev/ns#scope> "invoices:read" .
_:b1 <https://kakunin.dev/ns#scope> "invoices:pay" .
_:b1 <https://kakunin.dev/ns#scope> "vendors:read" .
_:b1 <https://kakunin.dev/ns#constraints> _:b4 .
_:b4 <https://kakunin.dev/ns#maxAmount> "5000"^^<http://www.w3.org/2001/XMLSchema#integer> .
_:b4 <https://kakunin.dev/ns#currency> "EUR" .
_:b2 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/ns/credentials/status#BitstringStatusListEntry> .
_:b2 <https://www.w3.org/ns/credentials/status#statusPurpose> "revocation" .
_:b2 <https://www.w3.org/ns/credentials/status#statusListIndex> "94567" .
_:b2 <https://www.w3.org/ns/credentials/status#statusListCredential> <https://issuer.example/status/3> .
_:b3 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/2018/credentials#JsonSchema> .
_:b3 <https://www.w3.org/2018/credentials#jsonSchema> <https://kakunin.dev/schemas/scope.json> .
`

// BenchmarkCanonicalize measures RDFC-1.0 of a 25-quad credential dataset, the work of
// every Data Integrity rdfc proof creation and verification after toRDF.
func BenchmarkCanonicalize(b *testing.B) {
	ds, err := ParseNQuads([]byte(credentialNQuads), ParseOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Canonicalize(ds, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCanonicalizeNQuads adds N-Quads parsing to BenchmarkCanonicalize.
func BenchmarkCanonicalizeNQuads(b *testing.B) {
	doc := []byte(credentialNQuads)
	b.ReportAllocs()
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		if _, err := CanonicalizeNQuads(doc, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPoison measures how long the poison dataset of the suite takes to be rejected.
func BenchmarkPoison(b *testing.B) {
	ds := cliqueDataset(10)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Canonicalize(ds, Options{}); err == nil {
			b.Fatal("poison dataset canonicalized")
		}
	}
}
