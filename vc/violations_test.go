package vc

import (
	"strings"
	"testing"
)

// TestCredentialViolations breaks one MUST of VC Data Model 2.0 (or 1.1 for 1.1 input) per row
// and checks the problem type and the JSON Pointer of the error.
func TestCredentialViolations(t *testing.T) {
	set := func(k, v string) func(m map[string]any) {
		return func(m map[string]any) { m[k] = decodeJSON(t, v) }
	}
	del := func(k string) func(m map[string]any) {
		return func(m map[string]any) { delete(m, k) }
	}
	v1 := func(f func(m map[string]any)) func(m map[string]any) {
		return func(m map[string]any) {
			m["@context"] = []any{ContextV1}
			delete(m, "validFrom")
			delete(m, "validUntil")
			m["issuanceDate"] = "2010-01-01T00:00:00Z"
			f(m)
		}
	}
	tests := []struct {
		name  string
		patch func(m map[string]any)
		path  string
	}{
		{"@context missing", del("@context"), "/@context"},
		{"@context empty", set("@context", `[]`), "/@context"},
		{"@context base not first", set("@context", `["https://www.w3.org/ns/credentials/examples/v2","https://www.w3.org/ns/credentials/v2"]`), "/@context/0"},
		{"@context unknown base", set("@context", `"https://example.org/v2"`), "/@context"},
		{"@context item a number", set("@context", `["https://www.w3.org/ns/credentials/v2",3]`), "/@context/1"},
		{"@context item not a URL", set("@context", `["https://www.w3.org/ns/credentials/v2","examples"]`), "/@context/1"},
		{"id not a URL", set("id", `"3732"`), "/id"},
		{"id null", set("id", `null`), "/id"},
		{"id several", set("id", `["urn:a:1","urn:a:2"]`), "/id"},
		{"type missing", del("type"), "/type"},
		{"type without VerifiableCredential", set("type", `["ExampleDegreeCredential"]`), "/type"},
		{"type empty array", set("type", `[]`), "/type"},
		{"type value not a string", set("type", `["VerifiableCredential",7]`), "/type/1"},
		{"name a number", set("name", `1`), "/name"},
		{"name language object with extra key", set("name", `{"@value":"x","@language":"en","url":"did:e:1"}`), "/name/url"},
		{"description language object without @value", set("description", `{"@language":"en"}`), "/description/@value"},
		{"description bad direction", set("description", `{"@value":"x","@direction":"up"}`), "/description/@direction"},
		{"name array of strings", set("name", `["a"]`), "/name/0"},
		{"issuer missing", del("issuer"), "/issuer"},
		{"issuer null", set("issuer", `null`), "/issuer"},
		{"issuer not a URL", set("issuer", `"Example University"`), "/issuer"},
		{"issuer object without id", set("issuer", `{"name":"U"}`), "/issuer/id"},
		{"issuer object id not a URL", set("issuer", `{"id":"u565049"}`), "/issuer/id"},
		{"issuer object id null", set("issuer", `{"id":null}`), "/issuer/id"},
		{"issuer name malformed", set("issuer", `{"id":"did:e:1","name":{"@value":1}}`), "/issuer/name/@value"},
		{"credentialSubject missing", del("credentialSubject"), "/credentialSubject"},
		{"credentialSubject a string", set("credentialSubject", `"did:example:s"`), "/credentialSubject"},
		{"credentialSubject empty object", set("credentialSubject", `{}`), "/credentialSubject"},
		{"credentialSubject empty array", set("credentialSubject", `[]`), "/credentialSubject"},
		{"credentialSubject with an empty object", set("credentialSubject", `[{"id":"did:e:s"},{}]`), "/credentialSubject/1"},
		{"credentialSubject id several", set("credentialSubject", `{"id":["did:e:1","did:e:2"]}`), "/credentialSubject/id"},
		{"validFrom not a date", set("validFrom", `"Sat 25 Feb 2023 07:16:31 PM CST"`), "/validFrom"},
		{"validFrom without zone", set("validFrom", `"2010-01-01T19:23:24"`), "/validFrom"},
		{"validFrom a number", set("validFrom", `1262373804`), "/validFrom"},
		{"validUntil impossible day", set("validUntil", `"2023-02-29T00:00:00Z"`), "/validUntil"},
		{"validUntil before validFrom", set("validUntil", `"2009-12-31T23:59:59Z"`), "/validUntil"},
		{"credentialStatus a string", set("credentialStatus", `"https://ex.example/status"`), "/credentialStatus"},
		{"credentialStatus without type", set("credentialStatus", `{"id":"https://ex.example/s#1"}`), "/credentialStatus/type"},
		{"credentialStatus type a number", set("credentialStatus", `{"type":2}`), "/credentialStatus/type"},
		{"credentialStatus id not a URL", set("credentialStatus", `[{"type":"T"},{"type":"T","id":"status 1"}]`), "/credentialStatus/1/id"},
		{"credentialStatus id several", set("credentialStatus", `{"type":"T","id":["urn:a:1","urn:a:2"]}`), "/credentialStatus/id"},
		{"credentialSchema without id", set("credentialSchema", `{"type":"JsonSchema"}`), "/credentialSchema/id"},
		{"credentialSchema without type", set("credentialSchema", `[{"id":"https://ex.example/s.json"}]`), "/credentialSchema/0/type"},
		{"credentialSchema id not a URL", set("credentialSchema", `{"id":"schema.json","type":"JsonSchema"}`), "/credentialSchema/id"},
		{"evidence without type", set("evidence", `[{"id":"https://ex.example/e/1"}]`), "/evidence/0/type"},
		{"evidence a string", set("evidence", `"https://ex.example/e/1"`), "/evidence"},
		{"termsOfUse without type", set("termsOfUse", `{"id":"https://ex.example/t"}`), "/termsOfUse/type"},
		{"termsOfUse empty", set("termsOfUse", `[]`), "/termsOfUse"},
		{"refreshService without type", set("refreshService", `{"url":"https://ex.example/r"}`), "/refreshService/type"},
		{"relatedResource without id", set("relatedResource", `{"digestSRI":"sha256-AAAA"}`), "/relatedResource/id"},
		{"relatedResource id not a URL", set("relatedResource", `{"id":"logo.png","digestSRI":"sha256-AAAA"}`), "/relatedResource/id"},
		{"relatedResource without digest", set("relatedResource", `[{"id":"https://ex.example/a"}]`), "/relatedResource/0"},
		{"relatedResource duplicate id", set("relatedResource", `[{"id":"https://ex.example/a","digestSRI":"sha256-AAAA"},{"id":"https://ex.example/a","digestSRI":"sha512-BBBB"}]`), "/relatedResource/1/id"},
		{"relatedResource SRI unknown algorithm", set("relatedResource", `{"id":"https://ex.example/a","digestSRI":"md5-AAAA"}`), "/relatedResource/digestSRI"},
		{"relatedResource SRI not base64", set("relatedResource", `{"id":"https://ex.example/a","digestSRI":["sha256-AA$A"]}`), "/relatedResource/digestSRI/0"},
		{"relatedResource multibase not multibase", set("relatedResource", `{"id":"https://ex.example/a","digestMultibase":"!abc"}`), "/relatedResource/digestMultibase"},
		{"relatedResource multihash truncated", set("relatedResource", `{"id":"https://ex.example/a","digestMultibase":"uEiBZlVzt"}`), "/relatedResource/digestMultibase"},
		{"relatedResource bad media type", set("relatedResource", `{"id":"https://ex.example/a","mediaType":"png","digestSRI":"sha256-AAAA"}`), "/relatedResource/mediaType"},
		{"1.1 issuanceDate missing", v1(del("issuanceDate")), "/issuanceDate"},
		{"1.1 issuanceDate malformed", v1(set("issuanceDate", `"2010-01-01"`)), "/issuanceDate"},
		{"1.1 expirationDate malformed", v1(set("expirationDate", `"never"`)), "/expirationDate"},
		{"1.1 credentialStatus without id", v1(set("credentialStatus", `{"type":"CredentialStatusList2017"}`)), "/credentialStatus/id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseCredential(patch(t, baseCredential, tt.patch), ParseOptions{})
			wantProblem(t, err, ErrMalformedValue, tt.path)
		})
	}
}

// TestCredentialParsingErrors checks that input jsonin refuses is a PARSING_ERROR.
func TestCredentialParsingErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		opts ParseOptions
		path string
	}{
		{"duplicate member", `{"@context":["https://www.w3.org/ns/credentials/v2"],"issuer":"did:e:1","issuer":"did:e:2"}`, ParseOptions{}, "/issuer"},
		{"lone surrogate", `{"name":"\udead"}`, ParseOptions{}, "/name"},
		{"invalid UTF-8", "{\"name\":\"\xc3\x28\"}", ParseOptions{}, ""},
		{"trailing data", baseCredential + ` {}`, ParseOptions{}, ""},
		{"too large", baseCredential, ParseOptions{MaxBytes: 512}, ""},
		{"too deep", `{"a":[[[[{}]]]]}`, ParseOptions{MaxDepth: 4}, "/a/0/0/0"},
		{"not JSON", `@context: v2`, ParseOptions{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseCredential([]byte(tt.in), tt.opts)
			wantProblem(t, err, ErrParsing, tt.path)
		})
	}
	t.Run("top level not an object", func(t *testing.T) {
		_, err := ParseCredential([]byte(`[]`), ParseOptions{})
		wantProblem(t, err, ErrMalformedValue, "")
	})
}

func TestPointerEscaping(t *testing.T) {
	doc := strings.Replace(baseCredential, `"extension"`, `"a/b~c": {"x":1,"x":2}, "extension"`, 1)
	_, err := ParseCredential([]byte(doc), ParseOptions{})
	wantProblem(t, err, ErrParsing, "/a~1b~0c/x")
	if got := at("", "a/b~c", 0); got != "/a~1b~0c/0" {
		t.Fatalf("at = %q", got)
	}
}
