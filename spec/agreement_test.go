package spec_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/spec"
	"github.com/kakunin-dev/kakunin/vc"
	"github.com/kakunin-dev/kakunin/vc/scope"
)

// verdict is what the JSON Schema and the Go validator say about a document.
type verdict int

const (
	valid   verdict = iota // both accept
	invalid                // both reject
	goOnly                 // the schema accepts, Go rejects: a rule JSON Schema cannot express
)

// edit replaces (or, with del, removes) the member at an RFC 6901 pointer of an example.
type edit struct {
	pointer string
	value   string // JSON
	del     bool
}

// TestSchemaAndGoAgree runs edits of the doc examples through the JSON Schema of their type
// and through vc/scope or vc/compliance, and checks that both reach the expected verdict. The
// goOnly rows are the complete list of rules only Go checks (credentials.md §7).
func TestSchemaAndGoAgree(t *testing.T) {
	examples := docExamples(t)
	scopeDoc, complianceDoc := examples[0].json, examples[2].json
	const g0 = "/credentialSubject/scope/0"
	const lim = g0 + "/limits"
	const win = lim + "/timeWindows/0"
	const fw = "/credentialSubject/frameworks"
	const ev = "/evidence/0"
	tests := []struct {
		name  string
		doc   string
		edits []edit
		want  verdict
	}{
		{"scope example", scopeDoc, nil, valid},
		{"second scope example", examples[1].json, nil, valid},
		{"scope: no delegator", scopeDoc, []edit{{pointer: "/credentialSubject/delegator", del: true}}, invalid},
		{"scope: delegator without name", scopeDoc, []edit{{pointer: "/credentialSubject/delegator/name", del: true}}, valid},
		{"scope: delegator name empty", scopeDoc, []edit{{"/credentialSubject/delegator/name", `""`, false}}, invalid},
		{"scope: delegator name of 256 characters", scopeDoc, []edit{{"/credentialSubject/delegator/name", strconv.Quote(strings.Repeat("é", 256)), false}}, valid},
		{"scope: delegator name of 257 characters", scopeDoc, []edit{{"/credentialSubject/delegator/name", strconv.Quote(strings.Repeat("é", 257)), false}}, invalid},
		{"scope: subject not a DID", scopeDoc, []edit{{"/credentialSubject/id", `"https://agent.example"`, false}}, invalid},
		{"scope: subject in an array", examples[1].json, []edit{{"/credentialSubject", `[{"id": "did:web:agents.example.com:trader-7", "delegator": {"id": "did:web:x"}, "scope": [{"actions": ["a:b"]}]}]`, false}}, invalid},
		{"scope: extra subject member", scopeDoc, []edit{{"/credentialSubject/note", `"x"`, false}}, invalid},
		{"scope: no validUntil", scopeDoc, []edit{{pointer: "/validUntil", del: true}}, invalid},
		{"scope: wrong type", scopeDoc, []edit{{"/type", `["VerifiableCredential", "KakuninComplianceCredential"]`, false}}, invalid},
		{"scope: no kakunin context", scopeDoc, []edit{{"/@context", `["https://www.w3.org/ns/credentials/v2"]`, false}}, invalid},
		{"scope: empty scope", scopeDoc, []edit{{"/credentialSubject/scope", `[]`, false}}, invalid},
		{"scope: 65 grants", scopeDoc, []edit{{"/credentialSubject/scope", "[" + strings.Repeat(`{"actions":["a:b"]},`, 64) + `{"actions":["a:b"]}]`, false}}, invalid},
		{"scope: 64 grants", scopeDoc, []edit{{"/credentialSubject/scope", "[" + strings.Repeat(`{"actions":["a:b"]},`, 63) + `{"actions":["a:b"]}]`, false}}, valid},
		{"scope: duplicate actions", scopeDoc, []edit{{g0 + "/actions", `["a:b", "a:b"]`, false}}, invalid},
		{"scope: reserved resource", scopeDoc, []edit{{g0 + "/actions", `["http:read"]`, false}}, invalid},
		{"scope: extra grant member", scopeDoc, []edit{{g0 + "/limit", `{}`, false}}, invalid},
		{"scope: empty limits", scopeDoc, []edit{{lim, `{}`, false}}, invalid},
		{"scope: unknown limit", scopeDoc, []edit{{lim + "/maxAmmount", `{"value": "1", "currency": "EUR"}`, false}}, invalid},
		{"scope: amount without currency", scopeDoc, []edit{{pointer: lim + "/maxAmount/currency", del: true}}, invalid},
		{"scope: amount as a number", scopeDoc, []edit{{lim + "/maxAmount/value", `250`, false}}, invalid},
		{"scope: amount negative", scopeDoc, []edit{{lim + "/maxAmount/value", `"-1"`, false}}, invalid},
		{"scope: amount 18+18 digits", scopeDoc, []edit{{lim + "/maxAmount/value", `"999999999999999999.999999999999999999"`, false}}, valid},
		{"scope: amount 19 integer digits", scopeDoc, []edit{{lim + "/maxAmount/value", `"1000000000000000000"`, false}}, invalid},
		{"scope: amount trailing dot", scopeDoc, []edit{{lim + "/maxAmount/value", `"1."`, false}}, invalid},
		{"scope: currency of 4 letters", scopeDoc, []edit{{lim + "/dailyVolume/currency", `"EURO"`, false}}, invalid},
		{"scope: rate count 1e1", scopeDoc, []edit{{lim + "/rate/count", `1e1`, false}}, valid},
		{"scope: rate count 10.0", scopeDoc, []edit{{lim + "/rate/count", `10.0`, false}}, valid},
		{"scope: rate count 10.5", scopeDoc, []edit{{lim + "/rate/count", `10.5`, false}}, invalid},
		{"scope: rate count above a million", scopeDoc, []edit{{lim + "/rate/count", `1000001`, false}}, invalid},
		{"scope: rate count as a string", scopeDoc, []edit{{lim + "/rate/count", `"10"`, false}}, invalid},
		{"scope: period P1DT12H30M5S", scopeDoc, []edit{{lim + "/rate/period", `"P1DT12H30M5S"`, false}}, valid},
		{"scope: period PT9999S", scopeDoc, []edit{{lim + "/rate/period", `"PT9999S"`, false}}, valid},
		{"scope: period PT10000S", scopeDoc, []edit{{lim + "/rate/period", `"PT10000S"`, false}}, invalid},
		{"scope: period in weeks", scopeDoc, []edit{{lim + "/rate/period", `"P1W"`, false}}, invalid},
		{"scope: period with fraction", scopeDoc, []edit{{lim + "/rate/period", `"PT0.5S"`, false}}, invalid},
		{"scope: period PT01M", scopeDoc, []edit{{lim + "/rate/period", `"PT01M"`, false}}, invalid},
		{"scope: period minutes before hours", scopeDoc, []edit{{lim + "/rate/period", `"PT1M1H"`, false}}, invalid},
		{"scope: duplicate instruments", scopeDoc, []edit{{lim + "/instruments", `["card", "card"]`, false}}, invalid},
		{"scope: venue empty string", scopeDoc, []edit{{lim + "/instruments", `[""]`, false}}, invalid},
		{"scope: window without days", scopeDoc, []edit{{pointer: win + "/days", del: true}}, valid},
		{"scope: duplicate day", scopeDoc, []edit{{win + "/days", `["mon", "mon"]`, false}}, invalid},
		{"scope: day in capitals", scopeDoc, []edit{{win + "/days", `["Mon"]`, false}}, invalid},
		{"scope: end 24:00", scopeDoc, []edit{{win + "/end", `"24:00"`, false}}, valid},
		{"scope: start 24:00", scopeDoc, []edit{{win + "/start", `"24:00"`, false}}, goOnly},
		{"scope: end before start", scopeDoc, []edit{{win + "/end", `"08:00"`, false}}, goOnly},
		{"scope: time with seconds", scopeDoc, []edit{{win + "/start", `"09:00:00"`, false}}, invalid},
		{"scope: zone UTC", scopeDoc, []edit{{win + "/timezone", `"UTC"`, false}}, valid},
		{"scope: zone America/Argentina/Buenos_Aires", scopeDoc, []edit{{win + "/timezone", `"America/Argentina/Buenos_Aires"`, false}}, valid},
		{"scope: zone Local", scopeDoc, []edit{{win + "/timezone", `"Local"`, false}}, invalid},
		{"scope: zone that does not exist", scopeDoc, []edit{{win + "/timezone", `"Europe/Atlantis"`, false}}, goOnly},
		{"scope: zone path", scopeDoc, []edit{{win + "/timezone", `"../etc/passwd"`, false}}, invalid},
		{"scope: 17 windows", scopeDoc, []edit{{lim + "/timeWindows", "[" + strings.Repeat(`{"start":"01:00","end":"02:00","timezone":"UTC"},`, 16) + `{"start":"01:00","end":"02:00","timezone":"UTC"}]`, false}}, invalid},

		{"compliance example", complianceDoc, nil, valid},
		{"compliance: evidence id not a URL", complianceDoc, []edit{{ev + "/id", `"entry 1017"`, false}}, invalid},
		{"compliance: no evidence", complianceDoc, []edit{{pointer: "/evidence", del: true}}, invalid},
		{"compliance: evidence as an object", complianceDoc, []edit{{"/evidence", `{"type": "KakuninAuditLogEvidence"}`, false}}, invalid},
		{"compliance: no frameworks", complianceDoc, []edit{{fw, `{}`, false}}, invalid},
		{"compliance: AI Act only", complianceDoc, []edit{{pointer: fw + "/mica", del: true}, {pointer: fw + "/gdpr", del: true}, {pointer: fw + "/dora", del: true}}, valid},
		{"compliance: unknown framework", complianceDoc, []edit{{fw + "/sox", `{}`, false}}, invalid},
		{"compliance: risk class unacceptable", complianceDoc, []edit{{fw + "/euAiAct/riskClass", `"unacceptable"`, false}}, invalid},
		{"compliance: limited risk with Annex III area", complianceDoc, []edit{{fw + "/euAiAct/riskClass", `"limited"`, false}}, invalid},
		{"compliance: limited risk without area or oversight", complianceDoc, []edit{{fw + "/euAiAct/riskClass", `"limited"`, false}, {pointer: fw + "/euAiAct/annexIIIArea", del: true}, {pointer: fw + "/euAiAct/humanOversight", del: true}}, valid},
		{"compliance: high risk without oversight", complianceDoc, []edit{{pointer: fw + "/euAiAct/humanOversight", del: true}}, invalid},
		{"compliance: high risk without Annex III area", complianceDoc, []edit{{pointer: fw + "/euAiAct/annexIIIArea", del: true}}, valid},
		{"compliance: Annex III area 8(e)", complianceDoc, []edit{{fw + "/euAiAct/annexIIIArea", `"8(e)"`, false}}, valid},
		{"compliance: Annex III area 9", complianceDoc, []edit{{fw + "/euAiAct/annexIIIArea", `"9"`, false}}, invalid},
		{"compliance: logging missing", complianceDoc, []edit{{pointer: fw + "/euAiAct/article12Logging", del: true}}, invalid},
		{"compliance: article 6(2)(a)", complianceDoc, []edit{{fw + "/euAiAct/articles", `["6(2)(a)"]`, false}}, valid},
		{"compliance: article 0", complianceDoc, []edit{{fw + "/euAiAct/articles", `["0"]`, false}}, invalid},
		{"compliance: article Art. 12", complianceDoc, []edit{{fw + "/euAiAct/articles", `["Art. 12"]`, false}}, invalid},
		{"compliance: MiCA without controls", complianceDoc, []edit{{pointer: fw + "/mica/controls", del: true}}, invalid},
		{"compliance: unknown MiCA control", complianceDoc, []edit{{fw + "/mica/controls", `["best-effort"]`, false}}, invalid},
		{"compliance: GDPR basis without automated decisions", complianceDoc, []edit{{fw + "/gdpr/automatedDecisions", `false`, false}}, invalid},
		{"compliance: GDPR no automated decisions", complianceDoc, []edit{{fw + "/gdpr/automatedDecisions", `false`, false}, {pointer: fw + "/gdpr/legalBasis", del: true}}, valid},
		{"compliance: GDPR automated decisions without basis", complianceDoc, []edit{{pointer: fw + "/gdpr/legalBasis", del: true}}, invalid},
		{"compliance: DORA flag as a string", complianceDoc, []edit{{fw + "/dora/incidentLogging", `"true"`, false}}, invalid},
		{"compliance: digest upper case", complianceDoc, []edit{{"/credentialSubject/modelProvenance/modelDigest", `"C474D4C68C78B998F6D840B1D3F5B3605DAAB90AB9C230D859FE89FC1C4CFC38"`, false}}, invalid},
		{"compliance: digest not the DID's", complianceDoc, []edit{{"/credentialSubject/modelProvenance/promptDigest", strconv.Quote(strings.Repeat("ab", 32)), false}}, goOnly},
		{"compliance: other DID, other digests", complianceDoc, []edit{{"/credentialSubject/id", `"did:web:agents.example.com:x"`, false}, {"/credentialSubject/modelProvenance/promptDigest", strconv.Quote(strings.Repeat("ab", 32)), false}}, valid},
		{"compliance: no prompt digest", complianceDoc, []edit{{pointer: "/credentialSubject/modelProvenance/promptDigest", del: true}}, invalid},
		{"compliance: model card not http", complianceDoc, []edit{{"/credentialSubject/modelProvenance/modelCard", `"urn:x:card"`, false}}, invalid},
		{"compliance: model card http://x", complianceDoc, []edit{{"/credentialSubject/modelProvenance/modelCard", `"http://x"`, false}}, valid},
		{"compliance: assessor id not a URL", complianceDoc, []edit{{"/credentialSubject/assessor/id", `"Example GmbH"`, false}}, invalid},
		{"compliance: date with offset and fraction", complianceDoc, []edit{{"/credentialSubject/assessmentDate", `"2026-01-10T09:00:00.125+01:00"`, false}}, valid},
		{"compliance: date without zone", complianceDoc, []edit{{"/credentialSubject/assessmentDate", `"2026-01-10T09:00:00"`, false}}, invalid},
		{"compliance: date 30 February", complianceDoc, []edit{{"/credentialSubject/assessmentDate", `"2026-02-30T09:00:00Z"`, false}}, goOnly},
		{"compliance: evidence of another type", complianceDoc, []edit{{ev + "/type", `["DocumentVerification"]`, false}}, invalid},
		{"compliance: evidence with id", complianceDoc, []edit{{ev + "/id", `"https://kakunin.example.com/log/entries/1017"`, false}}, valid},
		{"compliance: origin with +", complianceDoc, []edit{{ev + "/checkpoint/origin", `"log+1"`, false}}, invalid},
		{"compliance: tree size 0", complianceDoc, []edit{{ev + "/checkpoint/treeSize", `0`, false}}, invalid},
		{"compliance: tree size 2^53", complianceDoc, []edit{{ev + "/checkpoint/treeSize", `9007199254740992`, false}}, invalid},
		{"compliance: leaf index equal to tree size", complianceDoc, []edit{{ev + "/inclusionProof/leafIndex", `1024`, false}}, goOnly},
		{"compliance: leaf index negative", complianceDoc, []edit{{ev + "/inclusionProof/leafIndex", `-1`, false}}, invalid},
		{"compliance: root hash in base64url", complianceDoc, []edit{{ev + "/checkpoint/rootHash", `"RzIJh_mknVsAEZuWDyR6lWdz9XVDmCuL_LbaW7Ov2e8="`, false}}, invalid},
		{"compliance: hash without padding", complianceDoc, []edit{{ev + "/inclusionProof/leafHash", `"n5EWH0NDPkmm3m22gNefYBWfLkrJFyYhoShGQoFYRAs"`, false}}, invalid},
		{"compliance: hash with padding bits set", complianceDoc, []edit{{ev + "/inclusionProof/leafHash", `"n5EWH0NDPkmm3m22gNefYBWfLkrJFyYhoShGQoFYRAt="`, false}}, invalid},
	}
	schemas := map[bool]*schemaValidator{}
	for isCompliance, url := range map[bool]string{false: spec.ScopeSchemaURL, true: spec.ComplianceSchemaURL} {
		b, _ := spec.Document(url)
		schemas[isCompliance] = newSchemaValidator(t, b)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := apply(t, tt.doc, tt.edits)
			isCompliance := strings.Contains(tt.doc, spec.ComplianceCredentialType)
			schemaErr := schemas[isCompliance].validate("", decodeNumbers(t, doc))
			goErr := validateGo(doc, isCompliance)
			wantSchema, wantGo := tt.want != invalid, tt.want == valid
			if (schemaErr == nil) != wantSchema || (goErr == nil) != wantGo {
				t.Errorf("schema: %v; Go: %v; want valid: schema %v, Go %v", schemaErr, goErr, wantSchema, wantGo)
			}
		})
	}
}

func validateGo(doc []byte, isCompliance bool) error {
	c, err := vc.ParseCredential(doc, vc.ParseOptions{})
	if err != nil {
		return err
	}
	typ := spec.ScopeCredentialType
	if isCompliance {
		typ = spec.ComplianceCredentialType
	}
	return goValidate(typ, c)
}

// apply makes the edits to the JSON document doc.
func apply(t testing.TB, doc string, edits []edit) []byte {
	t.Helper()
	root := decodeNumbers(t, []byte(doc))
	for _, e := range edits {
		tokens := strings.Split(e.pointer[1:], "/")
		parent := root
		for _, tok := range tokens[:len(tokens)-1] {
			parent = child(t, parent, tok)
		}
		last := tokens[len(tokens)-1]
		switch p := parent.(type) {
		case map[string]any:
			if e.del {
				delete(p, last)
			} else {
				p[last] = decodeNumbers(t, []byte(e.value))
			}
		case []any:
			i, _ := strconv.Atoi(last)
			p[i] = decodeNumbers(t, []byte(e.value))
		}
	}
	b, err := json.Marshal(root)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func child(t testing.TB, v any, tok string) any {
	switch v := v.(type) {
	case map[string]any:
		return v[tok]
	case []any:
		i, err := strconv.Atoi(tok)
		if err != nil || i >= len(v) {
			t.Fatalf("bad pointer token %q", tok)
		}
		return v[i]
	}
	t.Fatalf("pointer goes through a scalar at %q", tok)
	return nil
}

// grammarSamples are action and URL pattern strings around the edges of the grammar.
var grammarSamples = []string{
	"payments:create", "crm.contacts:read", "crm.*:read", "*:read", "*:*", "a:b", "a-1_b.c_2-d:E-f_3",
	"payments", ":create", "payments:", "1a:b", "a.:b", "a..b:c", "a.*.b:c", "a*:b", "a:b:c", "mcp:read", "http:read",
	"mcp.tools:read", "https:GET", "crm.*:*", "*.crm:read", "*:b*",
	"mcp:github/list_issues", "mcp:github/list_*", "mcp:github/*", "mcp:*/search", "mcp:*/*", "mcp:io.github.acme/tickets/create_issue",
	"mcp:github", "mcp:github/", "mcp:/tool", "mcp:a//b", "mcp:a/b/", "mcp:git hub/x", "mcp:github/li*st", "mcp:github/**", "mcp:*x/y",
	"mcp:" + strings.Repeat("s", 300) + "/" + strings.Repeat("t", 128), "mcp:s/" + strings.Repeat("t", 129), "mcp:s/" + strings.Repeat("t", 128) + "*",
	"http:GET https://api.example.com/v1/orders/*", "http:* https://*.example.net/reports/**", "http:GET https://api.example.com",
	"http:GET https://api.example.com/", "http:GET https://api.example.com:8443/a/", "http:GET http://localhost:65535/x",
	"http:GET http://localhost:65536/x", "http:GET http://localhost:0/x", "http:GET http://localhost:08/x", "http:GET https://a.example/**/x",
	"http:GET https://a.example/x/**/", "http:GET https://a.example/**", "http:GET https://a.example/or*ders", "http:GET https://a*.example/",
	"http:GET https://*.*.example/", "http:GET https://a.example/../x", "http:GET https://a.example/.../x", "http:GET https://a.example/./x",
	"http:GET https://a.example/.x", "http:GET https://a.example//x", "http:GET https://a.example/%2e%2E", "http:GET https://a.example/%2F",
	"http:GET https://a.example/%5c", "http:GET https://a.example/%41", "http:GET https://a.example/%4", "http:GET https://a.example/a%20b",
	"http:GET https://a.example/x?y", "http:GET https://a.example/x#y", "http:GET https://u@a.example/", "http:GET https://A.example/",
	"http:GET https://a_b.example/", "http:get https://a.example/", "http:GETX https://a.example/", "http:GET  https://a.example/",
	"http:GET ftp://a.example/", "http:GET https://", "http:GET https://a.example/~user/(x);y=z:@!$&'+,", "http:" + strings.Repeat("A", 21) + " https://a.example/",
	"http:GET https://a." + strings.Repeat("b", 64) + "/", "http:GET https://a." + strings.Repeat("b", 63) + "/",
	"did:web:bank.example", "urn:isin:US0378331005", "https://api.bank.example/v1/accounts/*/payments", "http:x", "did:web:*", "mailto:", "x:", "1x:y",
	"a+b.c-d:e", "https://a.example/é", "did:web:bank.example/é", "https//a.example",
}

// TestGrammarAgreement checks that the schemas' action and URL pattern definitions accept
// exactly the strings that vc/scope's parsers accept.
func TestGrammarAgreement(t *testing.T) {
	b, _ := spec.Document(spec.ScopeSchemaURL)
	s := newSchemaValidator(t, b)
	for _, sample := range grammarSamples {
		checkGrammarAgreement(t, s, sample)
	}
}

func checkGrammarAgreement(t *testing.T, s *schemaValidator, sample string) {
	t.Helper()
	_, goErr := scope.ParseActionPattern(sample)
	if schemaErr := s.validate("#/$defs/action", sample); (goErr == nil) != (schemaErr == nil) {
		t.Errorf("action %q: Go %v, schema %v", sample, goErr, schemaErr)
	}
	_, goErr = scope.ParseURLPattern(sample)
	if schemaErr := s.validate("#/$defs/urlPattern", sample); (goErr == nil) != (schemaErr == nil) {
		t.Errorf("URL pattern %q: Go %v, schema %v", sample, goErr, schemaErr)
	}
}

// FuzzGrammarAgreement explores the same property beyond the samples.
func FuzzGrammarAgreement(f *testing.F) {
	for _, sample := range grammarSamples {
		f.Add(sample)
	}
	b, _ := spec.Document(spec.ScopeSchemaURL)
	s := newSchemaValidator(f, b)
	f.Fuzz(func(t *testing.T, sample string) {
		checkGrammarAgreement(t, s, sample)
	})
}
