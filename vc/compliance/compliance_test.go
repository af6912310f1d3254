package compliance_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/vc"
	"github.com/kakunin-dev/kakunin/vc/compliance"
)

func TestParseCompliance(t *testing.T) {
	c := parse(t, credential())
	f := c.Frameworks
	if c.Agent != agent || f.EUAIAct.RiskClass != "high" || f.EUAIAct.AnnexIIIArea != "5(b)" || !f.EUAIAct.Article12Logging {
		t.Errorf("AI Act %+v", f.EUAIAct)
	}
	if len(f.MiCA.Controls) != 3 || f.GDPR.LegalBasis != "contract" || !f.DORA.IncidentLogging {
		t.Errorf("frameworks %+v %+v %+v", f.MiCA, f.GDPR, f.DORA)
	}
	if c.Provenance.ModelDigest != modelDigest || c.Assessor.Name != "Example Conformity Assessment GmbH" {
		t.Errorf("provenance %+v assessor %+v", c.Provenance, c.Assessor)
	}
	if !c.AssessmentDate.Equal(time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("assessmentDate %v", c.AssessmentDate)
	}
	e := c.Evidence[0]
	if e.TreeSize != 1024 || e.LeafIndex != 1017 || e.Origin != "kakunin.example.com/log" || e.RootHash[0] != 0x47 {
		t.Errorf("evidence %+v", e)
	}
}

func TestParseComplianceRejects(t *testing.T) {
	base := credential()
	swap := func(old, new string) string {
		if !strings.Contains(base, old) {
			panic("test edit does not apply: " + old)
		}
		return strings.Replace(base, old, new, 1)
	}
	tests := []struct{ name, doc, path string }{
		{"wrong type", swap(`"KakuninComplianceCredential"`, `"KakuninScopeCredential"`), "/type"},
		{"no evidence", swap(`"evidence": `+evidenceJSON, `"name": "x"`), "/evidence"},
		{"no frameworks", swap(`"frameworks": {`, `"frameworkz": {`), "/credentialSubject/frameworkz"},
		{"empty frameworks", swap(`"frameworks": {`, `"frameworks": {}, "x": {`), "/credentialSubject/x"},
		{"unknown framework", swap(`"dora": {`, `"sox": {`), "/credentialSubject/frameworks/sox"},
		{"bad risk class", swap(`"riskClass": "high"`, `"riskClass": "unacceptable"`), "/credentialSubject/frameworks/euAiAct/riskClass"},
		{"annex area for a minimal-risk system", swap(`"riskClass": "high"`, `"riskClass": "minimal"`), "/credentialSubject/frameworks/euAiAct/annexIIIArea"},
		{"annex area 9", swap(`"5(b)"`, `"9"`), "/credentialSubject/frameworks/euAiAct/annexIIIArea"},
		{"high risk without oversight", swap(`"humanOversight": "human-on-the-loop", `, ``), "/credentialSubject/frameworks/euAiAct/humanOversight"},
		{"logging not boolean", swap(`"article12Logging": true`, `"article12Logging": "yes"`), "/credentialSubject/frameworks/euAiAct/article12Logging"},
		{"bad article", swap(`"articles": ["22"]`, `"articles": ["Art. 22"]`), "/credentialSubject/frameworks/gdpr/articles/0"},
		{"unknown MiCA control", swap(`"trading-halt"`, `"vibes"`), "/credentialSubject/frameworks/mica/controls/2"},
		{"no MiCA controls", swap(`, "controls": ["conflicts-of-interest", "order-thresholds", "trading-halt"]`, ``), "/credentialSubject/frameworks/mica/controls"},
		{"automated decisions without basis", swap(`, "legalBasis": "contract"`, ``), "/credentialSubject/frameworks/gdpr/legalBasis"},
		{"basis without automated decisions", swap(`"automatedDecisions": true`, `"automatedDecisions": false`), "/credentialSubject/frameworks/gdpr/legalBasis"},
		{"DORA flag missing", swap(`, "incidentLogging": true`, ``), "/credentialSubject/frameworks/dora/incidentLogging"},
		{"model digest upper case", swap(`"modelDigest": "`+modelDigest, `"modelDigest": "`+strings.ToUpper(modelDigest)), "/credentialSubject/modelProvenance/modelDigest"},
		{"model digest not the DID's", swap(`"modelDigest": "c474`, `"modelDigest": "d474`), "/credentialSubject/modelProvenance/modelDigest"},
		{"prompt digest not the DID's", swap(`"promptDigest": "5a12`, `"promptDigest": "6a12`), "/credentialSubject/modelProvenance/promptDigest"},
		{"model card not http", swap(`"https://models.acme.example/credit-7b"`, `"ftp://models.acme.example/x"`), "/credentialSubject/modelProvenance/modelCard"},
		{"assessor without id", swap(`"assessor": {"id": "did:web:assessor.example", `, `"assessor": {`), "/credentialSubject/assessor/id"},
		{"assessment date without zone", swap(`"2026-01-10T09:00:00Z"`, `"2026-01-10T09:00:00"`), "/credentialSubject/assessmentDate"},
		{"assessment date 30 February", swap(`"2026-01-10T09:00:00Z"`, `"2026-02-30T09:00:00Z"`), "/credentialSubject/assessmentDate"},
		{"evidence not an array", swap(`"evidence": `+evidenceJSON, `"evidence": {"type": ["KakuninAuditLogEvidence"]}`), "/evidence"},
		{"evidence of another type", swap(`["KakuninAuditLogEvidence"]`, `["DocumentVerification"]`), "/evidence/0/type"},
		{"evidence type as string", swap(`["KakuninAuditLogEvidence"]`, `"KakuninAuditLogEvidence"`), "/evidence/0/type"},
		{"log not a URL", swap(`"log": "https://kakunin.example.com/log"`, `"log": "kakunin.example.com/log"`), "/evidence/0/log"},
		{"origin with a space", swap(`"origin": "kakunin.example.com/log"`, `"origin": "kakunin log"`), "/evidence/0/checkpoint/origin"},
		{"tree size zero", swap(`"treeSize": 1024`, `"treeSize": 0`), "/evidence/0/checkpoint/treeSize"},
		{"root hash short", swap(`"RzIJh/mknVsAEZuWDyR6lWdz9XVDmCuL/LbaW7Ov2e8="`, `"RzIJh/mknVsAEZuWDyR6lWdz9XVDmCuL/LbaW7Ov2e=="`), "/evidence/0/checkpoint/rootHash"},
		{"root hash non-canonical padding bits", swap(`"RzIJh/mknVsAEZuWDyR6lWdz9XVDmCuL/LbaW7Ov2e8="`, `"RzIJh/mknVsAEZuWDyR6lWdz9XVDmCuL/LbaW7Ov2e9="`), "/evidence/0/checkpoint/rootHash"},
		{"leaf index at tree size", swap(`"leafIndex": 1017`, `"leafIndex": 1024`), "/evidence/0/inclusionProof/leafIndex"},
		{"inclusion proof missing", swap(`,
    "inclusionProof": {"leafIndex": 1017, "leafHash": "n5EWH0NDPkmm3m22gNefYBWfLkrJFyYhoShGQoFYRAs="}`, ``), "/evidence/0/inclusionProof"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := parseErr(tt.doc)
			var e *vc.Error
			if !errors.Is(err, vc.ErrMalformedValue) || !errors.As(err, &e) || e.Path != tt.path {
				t.Fatalf("error = %v, want a malformed value at %s", err, tt.path)
			}
		})
	}
}

func TestNewCredential(t *testing.T) {
	claims, err := compliance.ParseClaims([]byte(`{` + claimsJSON + `, "evidence": ` + evidenceJSON + `}`))
	if err != nil {
		t.Fatal(err)
	}
	from, until := time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC)
	doc, err := compliance.NewCredential(agent, claims, from, until)
	if err != nil {
		t.Fatal(err)
	}
	doc["issuer"] = "did:web:issuer.example"
	b, _ := json.Marshal(doc)
	got, want := parse(t, string(b)), parse(t, credential())
	gj, _ := json.Marshal(got)
	wj, _ := json.Marshal(want)
	if string(gj) != string(wj) {
		t.Errorf("round trip:\n%s\nwant\n%s", gj, wj)
	}
	if s := doc["credentialSchema"].(map[string]any); s["id"] != "https://kakunin.dev/schemas/compliance-credential.json" {
		t.Errorf("credentialSchema %v", s)
	}
	other := "did:kakunin:" + strings.Repeat("0", 64) + ":" + promptDigest + ":z6Mkm2RmB3S2H1pN9gbndBPKu9LdBGkvRbS59KDJBBQFsdDg"
	if _, err := compliance.NewCredential(other, claims, from, until); !errors.Is(err, vc.ErrMalformedValue) {
		t.Errorf("DID of another model: error = %v", err)
	}
	if _, err := compliance.ParseClaims([]byte(`{` + claimsJSON + `}`)); !errors.Is(err, vc.ErrMalformedValue) {
		t.Errorf("claims without evidence: error = %v", err)
	}
	if _, err := compliance.ParseClaims([]byte(`{`)); !errors.Is(err, vc.ErrParsing) {
		t.Errorf("not JSON: error = %v", err)
	}
}

func TestNewCredentialTakesDigestsFromTheDID(t *testing.T) {
	without := func(members ...string) string {
		s := claimsJSON
		for _, m := range members {
			old := `"` + m + `": "` + map[string]string{"modelDigest": modelDigest, "promptDigest": promptDigest}[m] + `",`
			if !strings.Contains(s, old) {
				panic("test edit does not apply: " + old)
			}
			s = strings.Replace(s, old, "", 1)
		}
		return s
	}
	noProvenance := strings.Replace(claimsJSON, `"modelProvenance": {"modelDigest": "`+modelDigest+`", "promptDigest": "`+promptDigest+`",
                      "modelName": "acme-credit-7b", "modelVersion": "2026.01", "modelCard": "https://models.acme.example/credit-7b"},`, "", 1)
	if noProvenance == claimsJSON {
		t.Fatal("test edit does not apply")
	}
	otherModel := "did:kakunin:" + strings.Repeat("0", 64) + ":" + promptDigest + ":z6Mkm2RmB3S2H1pN9gbndBPKu9LdBGkvRbS59KDJBBQFsdDg"
	tests := []struct {
		name, claims, agent string
		wantErr             string // JSON Pointer of the error, "" for none
	}{
		{"both digests omitted", without("modelDigest", "promptDigest"), agent, ""},
		{"model digest omitted", without("modelDigest"), agent, ""},
		{"prompt digest omitted", without("promptDigest"), agent, ""},
		{"modelProvenance omitted", noProvenance, agent, ""},
		{"malformed did:kakunin subject", without("modelDigest"), agent + ":x", "/credentialSubject/id"},
		{"given prompt digest checked", strings.Replace(without("modelDigest"), promptDigest, strings.Repeat("1", 64), 1), agent, "/credentialSubject/modelProvenance/promptDigest"},
		{"given model digest checked", without("promptDigest"), otherModel, "/credentialSubject/modelProvenance/modelDigest"},
		{"not a did:kakunin subject", without("modelDigest", "promptDigest"), "did:web:agent.example", "/credentialSubject/modelProvenance/modelDigest"},
		{"no provenance, not a did:kakunin subject", noProvenance, "did:web:agent.example", "/credentialSubject/modelProvenance"},
		{"DID components not digests", without("modelDigest"), "did:kakunin:" + strings.Repeat("A", 64) + ":" + promptDigest + ":z6Mk", "/credentialSubject/modelProvenance/modelDigest"},
	}
	from, until := time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			claims, err := compliance.ParseClaims([]byte(`{` + tt.claims + `, "evidence": ` + evidenceJSON + `}`))
			if err != nil {
				t.Fatal(err)
			}
			doc, err := compliance.NewCredential(tt.agent, claims, from, until)
			if tt.wantErr != "" {
				var e *vc.Error
				if !errors.As(err, &e) || !errors.Is(err, vc.ErrMalformedValue) || e.Path != tt.wantErr {
					t.Fatalf("error = %v, want a malformed value at %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			doc["issuer"] = "did:web:issuer.example"
			b, _ := json.Marshal(doc)
			got := parse(t, string(b)).Provenance
			if got.ModelDigest != modelDigest || got.PromptDigest != promptDigest {
				t.Errorf("provenance %+v, want the DID's digests", got)
			}
			// Filling in must not change the claims: built again for another model, the
			// digest comes from that DID, unless the claims gave one.
			_, again := compliance.NewCredential(otherModel, claims, from, until)
			if gave := strings.Contains(tt.claims, modelDigest); (again == nil) == gave {
				t.Errorf("claims reused for another model's DID: error = %v", again)
			}
		})
	}
}

func TestParseComplianceStillRequiresDigests(t *testing.T) {
	doc := strings.Replace(credential(), `"modelDigest": "`+modelDigest+`", `, "", 1)
	var e *vc.Error
	if err := parseErr(doc); !errors.As(err, &e) || e.Path != "/credentialSubject/modelProvenance/modelDigest" {
		t.Fatalf("credential without modelDigest: error = %v", err)
	}
}
