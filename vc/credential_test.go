package vc

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func TestParseCredentialAccessors(t *testing.T) {
	c, err := ParseCredential([]byte(baseCredential), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	from, hasFrom := c.ValidFrom()
	until, hasUntil := c.ValidUntil()
	checks := []struct {
		name      string
		got, want any
	}{
		{"version", c.Version(), Version20},
		{"id", c.ID(), "http://university.example/credentials/3732"},
		{"types", c.Types(), []string{"VerifiableCredential", "ExampleDegreeCredential"}},
		{"has type", c.HasType("ExampleDegreeCredential"), true},
		{"issuer", c.Issuer().ID, "https://university.example/issuers/565049"},
		{"issuer name", c.Issuer().Object["name"], "Example University"},
		{"subjects", len(c.Subjects()), 1},
		{"validFrom", from, time.Date(2010, 1, 1, 19, 23, 24, 0, time.UTC)},
		{"validUntil", until.UTC(), time.Date(2030, 1, 1, 17, 23, 24, 0, time.UTC)},
		{"period present", hasFrom && hasUntil, true},
		{"status", c.Status()[0].Types, []string{"BitstringStatusListEntry"}},
		{"status id", c.Status()[0].ID, "https://university.example/credentials/status/3#94567"},
		{"schema", c.Schemas()[0].ID, "https://example.org/examples/degree.json"},
		{"evidence", c.Evidence()[0].Types, []string{"Evidence"}},
		{"terms", c.TermsOfUse()[0].Types, []string{"TrustFrameworkPolicy"}},
		{"refresh", c.RefreshServices()[0].Types, []string{"VerifiableCredentialRefreshService2021"}},
		{"related", len(c.RelatedResources()), 2},
		{"context", c.Context()[1], "https://www.w3.org/ns/credentials/examples/v2"},
		{"unknown member kept", c.Document()["extension"], map[string]any{
			"kept": []any{json.Number("1.50"), "x", nil, true}}},
	}
	for _, tt := range checks {
		t.Run(tt.name, func(t *testing.T) {
			if !reflect.DeepEqual(tt.got, tt.want) {
				t.Fatalf("got %#v, want %#v", tt.got, tt.want)
			}
		})
	}
	if r, ok := c.RelatedResource("https://www.w3.org/ns/credentials/v2"); !ok || len(r.DigestSRI) != 1 {
		t.Fatalf("RelatedResource lookup: %+v, %v", r, ok)
	}
}

// TestParseCredentialValid parses credentials shaped like the Recommendation's examples.
func TestParseCredentialValid(t *testing.T) {
	tests := []struct {
		name string
		doc  string
	}{
		{"minimal", `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],
			"issuer":"did:example:issuer","credentialSubject":{"id":"did:example:subject"}}`},
		{"context and type as strings", `{"@context":"https://www.w3.org/ns/credentials/v2","type":"VerifiableCredential",
			"issuer":"urn:uuid:0c07c1ce-57cb-41af-bef2-1b932b986873","credentialSubject":{"claim":1}}`},
		{"inline context object", `{"@context":["https://www.w3.org/ns/credentials/v2",{"ex":"https://ex.example/#"}],
			"type":["VerifiableCredential","ex:Thing"],"issuer":"did:example:i","credentialSubject":{"ex:a":1}}`},
		{"several subjects", `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],
			"issuer":"did:example:i","credentialSubject":[{"id":"did:example:a","spouse":"did:example:b"},{"id":"did:example:b"}]}`},
		{"multilingual name", `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],
			"name":[{"@value":"Dog","@language":"en"},{"@value":"كلب","@language":"ar","@direction":"rtl"}],
			"issuer":{"id":"did:example:i","description":{"@value":"Issuer","@language":"en"}},"credentialSubject":{"a":1}}`},
		{"dates with fraction, offset, far future, 24:00", `{"@context":["https://www.w3.org/ns/credentials/v2"],
			"type":["VerifiableCredential"],"issuer":"did:example:i","credentialSubject":{"a":1},
			"validFrom":"2023-02-26T01:02:58.447-06:00","validUntil":"4023-02-26T24:00:00Z"}`},
		{"equal validity bounds", `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],
			"issuer":"did:example:i","credentialSubject":{"a":1},
			"validFrom":"2024-01-01T01:00:00+01:00","validUntil":"2024-01-01T00:00:00Z"}`},
		{"status without id, several", `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],
			"issuer":"did:example:i","credentialSubject":{"a":1},
			"credentialStatus":[{"type":"BitstringStatusListEntry"},{"type":["A","B"],"id":"urn:x:1"}]}`},
		{"related resource with both digests and media type", `{"@context":["https://www.w3.org/ns/credentials/v2"],
			"type":["VerifiableCredential"],"issuer":"did:example:i","credentialSubject":{"a":1},
			"relatedResource":{"id":"https://ex.example/logo.png","mediaType":"image/png",
			"digestSRI":["sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=?ct=image/png"],
			"digestMultibase":["uEiDjsMRCmPwcFJr79MiZb7kkJ65B5GSbk0yklZkbeFK4VQ","zQmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n"]}}`},
		{"data model 1.1", `{"@context":["https://www.w3.org/2018/credentials/v1","https://www.w3.org/2018/credentials/examples/v1"],
			"id":"http://example.edu/credentials/1872","type":["VerifiableCredential","AlumniCredential"],
			"issuer":"https://example.edu/issuers/565049","issuanceDate":"2010-01-01T19:23:24",
			"expirationDate":"2020-01-01T19:23:24Z","credentialSubject":{"id":"did:example:ebfeb1f712ebc6f1c276e12ec21"},
			"credentialStatus":{"id":"https://example.edu/status/24","type":"CredentialStatusList2017"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ParseCredential([]byte(tt.doc), ParseOptions{}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestParseCredentialV11Mapping(t *testing.T) {
	doc := `{"@context":["https://www.w3.org/2018/credentials/v1"],"type":["VerifiableCredential"],
		"issuer":{"id":"did:example:i"},"issuanceDate":"2010-01-01T19:23:24","expirationDate":"2020-01-01T00:00:00-05:00",
		"credentialSubject":{"id":"did:example:s"}}`
	c, err := ParseCredential([]byte(doc), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	from, _ := c.ValidFrom()
	until, _ := c.ValidUntil()
	if c.Version() != Version11 || !from.Equal(time.Date(2010, 1, 1, 19, 23, 24, 0, time.UTC)) ||
		!until.Equal(time.Date(2020, 1, 1, 5, 0, 0, 0, time.UTC)) {
		t.Fatalf("version %v, from %v, until %v", c.Version(), from, until)
	}
	_, err = ParseCredential([]byte(doc), ParseOptions{RejectV1: true})
	wantProblem(t, err, ErrMalformedValue, "/@context/0")
}
