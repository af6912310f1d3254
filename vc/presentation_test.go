package vc

import (
	"testing"
)

func TestParsePresentation(t *testing.T) {
	p, err := ParsePresentation([]byte(basePresentation), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	creds := p.Credentials()
	if p.Version() != Version20 || p.ID() != "urn:uuid:3978344f-8596-4c3a-a978-8fcaba3903c5" ||
		p.Holder().ID != "did:example:holder" || len(creds) != 2 || len(p.TermsOfUse()) != 1 {
		t.Fatalf("presentation views: %v %q %q %d", p.Version(), p.ID(), p.Holder().ID, len(creds))
	}
	if c := creds[0].Credential; c == nil || creds[0].Enveloped != nil || c.Issuer().ID != "did:example:issuer" {
		t.Fatalf("embedded credential: %+v", creds[0])
	}
	env := creds[1].Enveloped
	if env == nil || creds[1].Credential != nil || env.MediaType != "application/vc+jwt" ||
		string(env.Data) != "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJkaWQ6ZXhhbXBsZSJ9.c2ln" {
		t.Fatalf("enveloped credential: %+v", creds[1])
	}
}

func TestParsePresentationValid(t *testing.T) {
	tests := []struct {
		name string
		doc  string
	}{
		{"no credentials", `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"VerifiablePresentation"}`},
		{"holder object", `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],
			"holder":{"id":"did:example:h","name":"H"}}`},
		{"single credential object", `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"VerifiablePresentation",
			"verifiableCredential":{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"VerifiableCredential",
			"issuer":"did:e:i","credentialSubject":{"a":1}}}`},
		{"base64 enveloped", `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"VerifiablePresentation",
			"verifiableCredential":[{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"EnvelopedVerifiableCredential",
			"id":"data:application/vc+cose;base64,2EmhAA=="}]}`},
		{"1.1 presentation with 1.1 credential", `{"@context":["https://www.w3.org/2018/credentials/v1"],"type":["VerifiablePresentation"],
			"holder":"did:example:h","verifiableCredential":[{"@context":["https://www.w3.org/2018/credentials/v1"],
			"type":["VerifiableCredential"],"issuer":"did:e:i","issuanceDate":"2020-01-01T00:00:00Z","credentialSubject":{"a":1}}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ParsePresentation([]byte(tt.doc), ParseOptions{}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestPresentationViolations(t *testing.T) {
	set := func(k, v string) func(m map[string]any) {
		return func(m map[string]any) { m[k] = decodeJSON(t, v) }
	}
	tests := []struct {
		name  string
		patch func(m map[string]any)
		path  string
	}{
		{"@context missing", func(m map[string]any) { delete(m, "@context") }, "/@context"},
		{"@context base not first", set("@context", `["https://www.w3.org/ns/credentials/examples/v2","https://www.w3.org/ns/credentials/v2"]`), "/@context/0"},
		{"type missing", func(m map[string]any) { delete(m, "type") }, "/type"},
		{"type without VerifiablePresentation", set("type", `["ExamplePresentation"]`), "/type"},
		{"id not a URL", set("id", `"p1"`), "/id"},
		{"holder not a URL", set("holder", `"z6MkpJySvETLnxhQG9DzEdmKJtysBDjuuTeDfUj1uNNCUqcj"`), "/holder"},
		{"holder object without id", set("holder", `{"name":"Acme"}`), "/holder/id"},
		{"holder object id not a URL", set("holder", `{"id":"z6MkpJyS"}`), "/holder/id"},
		{"credential as a string", set("verifiableCredential", `["eyJhbGciOiJFUzI1NiJ9.e30.c2ln"]`), "/verifiableCredential/0"},
		{"credential as a URL", set("verifiableCredential", `"https://ex.example/vc/1"`), "/verifiableCredential"},
		{"credential empty list", set("verifiableCredential", `[]`), "/verifiableCredential"},
		{"credential without type", set("verifiableCredential", `[{"@context":["https://www.w3.org/ns/credentials/v2"],"issuer":"did:e:i","credentialSubject":{"a":1}}]`), "/verifiableCredential/0/type"},
		{"credential without VerifiableCredential type", set("verifiableCredential", `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"Other","issuer":"did:e:i","credentialSubject":{"a":1}}`), "/verifiableCredential/type"},
		{"credential without issuer", set("verifiableCredential", `[{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"VerifiableCredential","credentialSubject":{"a":1}}]`), "/verifiableCredential/0/issuer"},
		{"enveloped without type", set("verifiableCredential", `[{"@context":"https://www.w3.org/ns/credentials/v2","id":"data:application/vc+jwt,e30"}]`), "/verifiableCredential/0/type"},
		{"enveloped without @context", set("verifiableCredential", `[{"type":"EnvelopedVerifiableCredential","id":"data:application/vc+jwt,e30"}]`), "/verifiableCredential/0/@context"},
		{"enveloped id not a data URL", set("verifiableCredential", `[{"@context":"https://www.w3.org/ns/credentials/v2","type":"EnvelopedVerifiableCredential","id":"https://ex.example/vc"}]`), "/verifiableCredential/0/id"},
		{"enveloped id missing", set("verifiableCredential", `[{"@context":"https://www.w3.org/ns/credentials/v2","type":"EnvelopedVerifiableCredential"}]`), "/verifiableCredential/0/id"},
		{"enveloped bad base64", set("verifiableCredential", `[{"@context":"https://www.w3.org/ns/credentials/v2","type":"EnvelopedVerifiableCredential","id":"data:application/vc+cose;base64,@@"}]`), "/verifiableCredential/0/id"},
		{"termsOfUse without type", set("termsOfUse", `{"id":"https://ex.example/t"}`), "/termsOfUse/type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParsePresentation(patch(t, basePresentation, tt.patch), ParseOptions{})
			wantProblem(t, err, ErrMalformedValue, tt.path)
		})
	}
	t.Run("1.1 credential refused by option", func(t *testing.T) {
		doc := patch(t, basePresentation, set("verifiableCredential", `{"@context":["https://www.w3.org/2018/credentials/v1"],
			"type":"VerifiableCredential","issuer":"did:e:i","issuanceDate":"2020-01-01T00:00:00Z","credentialSubject":{"a":1}}`))
		_, err := ParsePresentation(doc, ParseOptions{RejectV1: true})
		wantProblem(t, err, ErrMalformedValue, "/verifiableCredential/@context/0")
	})
	t.Run("duplicate member", func(t *testing.T) {
		_, err := ParsePresentation([]byte(`{"type":"VerifiablePresentation","type":"X"}`), ParseOptions{})
		wantProblem(t, err, ErrParsing, "/type")
	})
}

func TestParseDataURL(t *testing.T) {
	tests := []struct {
		in, mediaType, data string
		ok                  bool
	}{
		{"data:application/vc+jwt,a.b.c", "application/vc+jwt", "a.b.c", true},
		{"data:application/vc+sd-jwt;charset=utf-8,a~b~", "application/vc+sd-jwt", "a~b~", true},
		{"data:,hello%20world", "text/plain", "hello world", true},
		{"DATA:;base64,aGk=", "text/plain", "hi", true},
		{"data:application/vc+cose;base64,2EmhAA==", "application/vc+cose", "\xd8\x49\xa1\x00", true},
		{"data:application/vc+jwt", "", "", false},
		{"https://ex.example/,x", "", "", false},
		{"data:application/vc+jwt,%zz", "", "", false},
		{"data:a b,x", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			mt, data, err := parseDataURL(tt.in)
			if (err == nil) != tt.ok || mt != tt.mediaType || string(data) != tt.data {
				t.Fatalf("got %q, %q, %v", mt, data, err)
			}
		})
	}
}
