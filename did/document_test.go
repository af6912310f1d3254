package did

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

const exampleDoc = `{
  "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
  "id": "did:example:123",
  "controller": ["did:example:123", "did:example:456"],
  "alsoKnownAs": ["https://example.com/alice"],
  "verificationMethod": [{
    "id": "#key-1", "type": "Multikey", "controller": "did:example:123",
    "publicKeyMultibase": "z6MkmM42vxfqZQsv4ehtTjFFxQ4sQKS2w6WR7emozFAn5cxu",
    "revoked": "2026-01-01T00:00:00Z"
  }],
  "authentication": ["did:example:123#key-1"],
  "assertionMethod": ["#key-1", {
    "id": "did:example:123#key-2", "type": "JsonWebKey", "controller": "did:example:123",
    "publicKeyJwk": {"kty": "OKP", "crv": "Ed25519", "x": "VCpo2LMLhn6iWku8MKvSLg2ZAoC-nlOyPVQaO3FxVeQ", "kid": "k2", "key_ops": ["verify"]}
  }],
  "service": [{"id": "#files", "type": ["FileStore", "Other"], "serviceEndpoint": [{"origins": ["https://a.example"]}, "https://b.example/"]}],
  "ext": {"z": 1, "a": [true, null]}
}`

func TestParseDocument(t *testing.T) {
	d, err := ParseDocument([]byte(exampleDoc))
	if err != nil {
		t.Fatal(err)
	}
	if d.ID != "did:example:123" || len(d.Controller) != 2 || len(d.VerificationMethod) != 1 ||
		len(d.AssertionMethod) != 2 || d.AssertionMethod[1].Embedded == nil || d.AssertionMethod[0].Ref != "#key-1" ||
		len(d.Service) != 1 || len(d.Service[0].ServiceEndpoint) != 2 || d.Service[0].ServiceEndpoint[1].URI != "https://b.example/" {
		t.Fatalf("parsed %+v", d)
	}
	if string(d.Extra["ext"]) != `{"z":1,"a":[true,null]}` || string(d.VerificationMethod[0].Extra["revoked"]) != `"2026-01-01T00:00:00Z"` {
		t.Fatalf("extensions not kept: %s %s", d.Extra["ext"], d.VerificationMethod[0].Extra["revoked"])
	}
	if jwk := d.AssertionMethod[1].Embedded.PublicKeyJwk; jwk.Kid != "k2" || string(jwk.Extra["key_ops"]) != `["verify"]` {
		t.Fatalf("JWK members not kept: %+v", jwk)
	}
}

func TestParseDocumentRejects(t *testing.T) {
	vm := func(extra string) string {
		return `{"id":"did:example:1","verificationMethod":[{"id":"#k","type":"JsonWebKey","controller":"did:example:1",` + extra + `}]}`
	}
	const jwk = `"publicKeyJwk":{"kty":"OKP","crv":"Ed25519","x":"VCpo2LMLhn6iWku8MKvSLg2ZAoC-nlOyPVQaO3FxVeQ"`
	cases := []struct{ name, doc, path string }{
		{"not an object", `[]`, ""},
		{"trailing data", `{"id":"did:example:1"} {}`, ""},
		{"duplicate member", `{"id":"did:example:1","id":"did:example:2"}`, "id"},
		{"nested duplicate member", vm(jwk + `,"x":"a"}`), "verificationMethod[0].publicKeyJwk.x"},
		{"missing id", `{}`, ""},
		{"id not a string", `{"id":1}`, "id"},
		{"id a DID URL", `{"id":"did:example:1#a"}`, "id"},
		{"bad context", `{"@context":"https://www.w3.org/2018/credentials/v1","id":"did:example:1"}`, "@context"},
		{"context number", `{"@context":["https://www.w3.org/ns/did/v1",3],"id":"did:example:1"}`, "@context[1]"},
		{"controller not a DID", `{"id":"did:example:1","controller":"https://x"}`, "controller[0]"},
		{"alsoKnownAs a string", `{"id":"did:example:1","alsoKnownAs":"https://x"}`, "alsoKnownAs"},
		{"alsoKnownAs duplicate", `{"id":"did:example:1","alsoKnownAs":["https://x","https://x"]}`, "alsoKnownAs[1]"},
		{"verificationMethod object", `{"id":"did:example:1","verificationMethod":{}}`, "verificationMethod"},
		{"private d", vm(jwk + `,"d":"AAAA"}`), "verificationMethod[0].publicKeyJwk"},
		{"private k", vm(`"publicKeyJwk":{"kty":"oct","k":"AAAA"}`), "verificationMethod[0].publicKeyJwk"},
		{"private qi", vm(`"publicKeyJwk":{"kty":"RSA","n":"AQAB","e":"AQAB","qi":"AA"}`), "verificationMethod[0].publicKeyJwk"},
		{"jwk without kty", vm(`"publicKeyJwk":{"crv":"Ed25519"}`), "verificationMethod[0].publicKeyJwk"},
		{"jwk crv number", vm(`"publicKeyJwk":{"kty":"OKP","crv":1}`), "verificationMethod[0].publicKeyJwk.crv"},
		{"two key materials", vm(jwk + `},"publicKeyMultibase":"z6MkmM42vxfqZQsv4ehtTjFFxQ4sQKS2w6WR7emozFAn5cxu"`), "verificationMethod[0]"},
		{"legacy key material too", vm(jwk + `},"publicKeyBase58":"abc"`), "verificationMethod[0]"},
		{"bad multibase", `{"id":"did:example:1","verificationMethod":[{"id":"#k","type":"Multikey","controller":"did:example:1","publicKeyMultibase":"!x"}]}`, "verificationMethod[0].publicKeyMultibase"},
		{"method without type", `{"id":"did:example:1","verificationMethod":[{"id":"#k","controller":"did:example:1"}]}`, "verificationMethod[0]"},
		{"method controller URL", `{"id":"did:example:1","verificationMethod":[{"id":"#k","type":"X","controller":"did:example:1#a"}]}`, "verificationMethod[0].controller"},
		{"method id not a DID URL", `{"id":"did:example:1","verificationMethod":[{"id":"k","type":"X","controller":"did:example:1"}]}`, "verificationMethod[0].id"},
		{"duplicate method id", `{"id":"did:example:1","verificationMethod":[{"id":"#k","type":"X","controller":"did:example:1"}],"authentication":[{"id":"did:example:1#k","type":"X","controller":"did:example:1"}]}`, "authentication[0].id"},
		{"duplicate service id", `{"id":"did:example:1","service":[{"id":"#s","type":"T","serviceEndpoint":"https://a"},{"id":"#s","type":"T","serviceEndpoint":"https://b"}]}`, "service[1].id"},
		{"relationship number", `{"id":"did:example:1","assertionMethod":[1]}`, "assertionMethod[0]"},
		{"relationship string", `{"id":"did:example:1","assertionMethod":"#k"}`, "assertionMethod"},
		{"service without endpoint", `{"id":"did:example:1","service":[{"id":"#s","type":"T"}]}`, "service[0].serviceEndpoint"},
		{"service endpoint number", `{"id":"did:example:1","service":[{"id":"#s","type":"T","serviceEndpoint":[1]}]}`, "service[0].serviceEndpoint[0]"},
		{"service endpoint empty set", `{"id":"did:example:1","service":[{"id":"#s","type":"T","serviceEndpoint":[]}]}`, "service[0].serviceEndpoint"},
		{"service endpoint not a URI", `{"id":"did:example:1","service":[{"id":"#s","type":"T","serviceEndpoint":"no scheme"}]}`, "service[0].serviceEndpoint"},
		{"service type empty", `{"id":"did:example:1","service":[{"id":"#s","type":[],"serviceEndpoint":"https://a"}]}`, "service[0].type"},
		{"invalid UTF-8", "{\"id\":\"did:example:1\",\"x\":\"\xff\"}", "x"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseDocument([]byte(c.doc))
			var de *DocumentError
			if !errors.Is(err, ErrInvalidDocument) || !errors.As(err, &de) {
				t.Fatalf("ParseDocument = %v, want a DocumentError", err)
			}
			if de.Path != c.path {
				t.Fatalf("path %q, want %q (%v)", de.Path, c.path, err)
			}
		})
	}
	big := []byte(`{"id":"did:example:1","x":"` + strings.Repeat("a", MaxDocumentSize) + `"}`)
	if _, err := ParseDocument(big); !errors.Is(err, ErrInvalidDocument) {
		t.Fatalf("oversized document: %v", err)
	}
}

func TestMarshalRepresentations(t *testing.T) {
	d, err := ParseDocument([]byte(exampleDoc))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		mediaType, context string
	}{
		{MediaTypeDIDLDJSON, `"@context":["https://www.w3.org/ns/did/v1","https://w3id.org/security/multikey/v1","https://w3id.org/security/jwk/v1"],"id"`},
		{MediaTypeDID, `"@context":"https://www.w3.org/ns/did/v1.1","id"`},
		{MediaTypeDIDJSON, `{"id"`},
	}
	for _, c := range cases {
		t.Run(c.mediaType, func(t *testing.T) {
			b, err := d.Marshal(c.mediaType)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(b, []byte(c.context)) {
				t.Fatalf("%s lacks %s", b, c.context)
			}
			again, err := ParseDocument(b)
			if err != nil {
				t.Fatalf("output does not parse: %v\n%s", err, b)
			}
			b2, _ := again.Marshal(c.mediaType)
			if !bytes.Equal(b, b2) {
				t.Fatalf("not deterministic:\n%s\n%s", b, b2)
			}
		})
	}
	if !bytes.HasSuffix(mustMarshal(t, d, MediaTypeDIDJSON), []byte(`"ext":{"z":1,"a":[true,null]}}`)) {
		t.Fatal("extension property not written last")
	}
	if _, err := d.Marshal("application/json"); !errors.Is(err, ErrRepresentationNotSupported) {
		t.Fatalf("Marshal(application/json) = %v", err)
	}
}

func TestMarshalLegacyContexts(t *testing.T) {
	d := &Document{ID: "did:example:1", VerificationMethod: []VerificationMethod{
		{ID: "#a", Type: TypeEd25519VerificationKey2020, Controller: "did:example:1", PublicKeyMultibase: "z6MkmM42vxfqZQsv4ehtTjFFxQ4sQKS2w6WR7emozFAn5cxu"},
		{ID: "#b", Type: TypeMultikey, Controller: "did:example:1", PublicKeyMultibase: "z6MkmM42vxfqZQsv4ehtTjFFxQ4sQKS2w6WR7emozFAn5cxu"},
	}}
	want := `{"@context":["https://www.w3.org/ns/did/v1.1","https://w3id.org/security/suites/ed25519-2020/v1"],"id"`
	if b := mustMarshal(t, d, MediaTypeDID); !bytes.HasPrefix(b, []byte(want)) {
		t.Fatalf("got %s", b)
	}
}

func mustMarshal(t *testing.T, d *Document, mediaType string) []byte {
	t.Helper()
	b, err := d.Marshal(mediaType)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestAuthorized(t *testing.T) {
	d, err := ParseDocument([]byte(exampleDoc))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		ref    string
		rel    Relationship
		wantID string
		err    error
	}{
		{"did:example:123#key-1", AssertionMethod, "#key-1", nil},
		{"#key-1", Authentication, "#key-1", nil},
		{"#key-2", AssertionMethod, "did:example:123#key-2", nil},
		{"did:example:123#key-2", AssertionMethod, "did:example:123#key-2", nil},
		{"#key-2", Authentication, "", ErrInvalidRelationship},
		{"#key-1", KeyAgreement, "", ErrInvalidRelationship},
		{"#key-1", "proofPurpose", "", ErrInvalidRelationship},
		{"#key-3", AssertionMethod, "", ErrInvalidVerificationMethod},
		{"did:example:999#key-1", AssertionMethod, "", ErrInvalidVerificationMethod},
		{"#files", AssertionMethod, "", ErrInvalidVerificationMethod},
	}
	for _, c := range cases {
		t.Run(c.ref+" "+string(c.rel), func(t *testing.T) {
			vm, err := d.Authorized(c.ref, c.rel)
			if c.err != nil {
				if !errors.Is(err, c.err) {
					t.Fatalf("err = %v, want %v", err, c.err)
				}
				return
			}
			if err != nil || vm.ID != c.wantID {
				t.Fatalf("got %v, %v", vm, err)
			}
		})
	}
}

func FuzzParseDocument(f *testing.F) {
	f.Add([]byte(exampleDoc))
	f.Add([]byte(`{"id":"did:example:1","service":[{"id":"#s","type":"T","serviceEndpoint":{"a":1}}]}`))
	f.Add([]byte(`{"@context":"https://www.w3.org/ns/did/v1.1","id":"did:x:1","controller":"did:x:2","keyAgreement":["#k"]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseDocument(data)
		if err != nil {
			if !errors.Is(err, ErrInvalidDocument) {
				t.Fatalf("error %v does not wrap ErrInvalidDocument", err)
			}
			return
		}
		for _, mt := range []string{MediaTypeDID, MediaTypeDIDJSON, MediaTypeDIDLDJSON} {
			b, err := d.Marshal(mt)
			if err != nil {
				t.Fatalf("%s: %v", mt, err)
			}
			d2, err := ParseDocument(b)
			if err != nil {
				t.Fatalf("%s output does not parse: %v\n%s", mt, err, b)
			}
			if b2, _ := d2.Marshal(mt); !bytes.Equal(b, b2) {
				t.Fatalf("%s round trip differs:\n%s\n%s", mt, b, b2)
			}
		}
	})
}

func TestExpandRelativeURLs(t *testing.T) {
	d, err := ParseDocument([]byte(exampleDoc))
	if err != nil {
		t.Fatal(err)
	}
	if err := d.ExpandRelativeURLs(); err != nil {
		t.Fatal(err)
	}
	b := mustMarshal(t, d, MediaTypeDIDJSON)
	for _, rel := range []string{`"#key-1"`, `"#files"`} {
		if bytes.Contains(b, []byte(rel)) {
			t.Fatalf("%s still relative in %s", rel, b)
		}
	}
	if d.VerificationMethod[0].ID != "did:example:123#key-1" || d.AssertionMethod[0].Ref != "did:example:123#key-1" || d.Service[0].ID != "did:example:123#files" {
		t.Fatalf("not expanded: %s", b)
	}
	if _, err := d.Authorized("#key-1", AssertionMethod); err != nil {
		t.Fatal(err)
	}
}
