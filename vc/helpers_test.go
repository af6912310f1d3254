package vc

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
)

// baseCredential is a conforming VC 2.0 credential modeled on the Recommendation's examples
// (§4.3, §4.7, §4.9, §4.10, §4.11, §5.3), which the violation tests break one member at a time.
const baseCredential = `{
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
  "id": "http://university.example/credentials/3732",
  "type": ["VerifiableCredential", "ExampleDegreeCredential"],
  "name": "Example Degree",
  "description": {"@value": "A degree", "@language": "en"},
  "issuer": {"id": "https://university.example/issuers/565049", "name": "Example University"},
  "validFrom": "2010-01-01T19:23:24Z",
  "validUntil": "2030-01-01T19:23:24+02:00",
  "credentialSubject": {
    "id": "did:example:ebfeb1f712ebc6f1c276e12ec21",
    "degree": {"type": "ExampleBachelorDegree", "name": "Bachelor of Science and Arts"}
  },
  "credentialStatus": {
    "id": "https://university.example/credentials/status/3#94567",
    "type": "BitstringStatusListEntry",
    "statusPurpose": "revocation",
    "statusListIndex": "94567",
    "statusListCredential": "https://university.example/credentials/status/3"
  },
  "credentialSchema": [{"id": "https://example.org/examples/degree.json", "type": "JsonSchema"}],
  "relatedResource": [{
    "id": "https://www.w3.org/ns/credentials/v2",
    "digestSRI": "sha384-Ml/HrjlBCNWyAX91hr6LFV2Y3heB5Tcr6IeE4/Tje8YyzYBM8IhqjHWiWpr8+ZbYU"
  }, {
    "id": "https://www.w3.org/ns/credentials/examples/v2",
    "digestMultibase": "uEiBXOT-8adbvubm13Jy2uYgLCUQ2Cr_i6vRZyeWM8iedfA"
  }],
  "evidence": [{"id": "https://university.example/evidence/f2aeec97", "type": ["Evidence"]}],
  "termsOfUse": {"type": "TrustFrameworkPolicy", "trustFramework": "Employment&Life"},
  "refreshService": {"type": "VerifiableCredentialRefreshService2021", "url": "https://university.example/refresh"},
  "extension": {"kept": [1.50, "x", null, true]}
}`

// basePresentation holds an embedded and an enveloped credential (VC 2.0 §4.13, Example 18).
const basePresentation = `{
  "@context": ["https://www.w3.org/ns/credentials/v2"],
  "id": "urn:uuid:3978344f-8596-4c3a-a978-8fcaba3903c5",
  "type": ["VerifiablePresentation", "ExamplePresentation"],
  "holder": "did:example:holder",
  "verifiableCredential": [{
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "type": ["VerifiableCredential"],
    "issuer": "did:example:issuer",
    "credentialSubject": {"id": "did:example:subject"}
  }, {
    "@context": "https://www.w3.org/ns/credentials/v2",
    "id": "data:application/vc+jwt,eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJkaWQ6ZXhhbXBsZSJ9.c2ln",
    "type": "EnvelopedVerifiableCredential"
  }],
  "termsOfUse": [{"type": "HolderPolicy"}]
}`

// patch decodes doc, lets f change it and encodes it again.
func patch(t testing.TB, doc string, f func(m map[string]any)) []byte {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader([]byte(doc)))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("test document: %v", err)
	}
	f(m)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// decodeJSON decodes a JSON literal for use inside a patch.
func decodeJSON(t testing.TB, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("test literal %s: %v", s, err)
	}
	return v
}

// wantProblem asserts that err is an *Error of problem type sentinel at path.
func wantProblem(t *testing.T, err, sentinel error, path string) {
	t.Helper()
	if !errors.Is(err, sentinel) {
		t.Fatalf("err = %v, want %v", err, sentinel)
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("err %T is not *Error", err)
	}
	if e.Path != path {
		t.Fatalf("path = %q, want %q (%v)", e.Path, path, err)
	}
}
