package vcapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/vc/issuer"
	"github.com/kakunin-dev/kakunin/vc/issuer/issuertest"
	"github.com/kakunin-dev/kakunin/vc/verifier"
)

func credentialBody(subject string, options map[string]any) map[string]any {
	var cred map[string]any
	_ = json.Unmarshal(issuertest.Credential(subject), &cred)
	return map[string]any{"credential": cred, "options": options}
}

func TestIssueVerifyRevoke(t *testing.T) {
	for _, opts := range []map[string]any{{}, {"format": "vc+jwt"}, {"cryptosuite": "eddsa-jcs-2022"}} {
		t.Run(strings.TrimPrefix(strings.ReplaceAll(jsonString(opts), `"`, ""), "{"), func(t *testing.T) {
			e := newEnv(t)
			id := "urn:uuid:0b1e43f6-6a70-4e62-9d59-0d8a7a3a1f01"
			opts["credentialId"] = id
			vc := e.issue(t, "/credentials/issue", credentialBody(e.Agent, opts))
			if r := e.verify(t, vc, map[string]any{"checks": []string{"proof", "status"}}); !r.Verified || len(r.ProblemDetails) != 0 {
				t.Fatalf("fresh credential: %+v", r)
			}
			update := map[string]any{"credentialId": id, "status": true,
				"credentialStatus": map[string]any{"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}}
			if res, out := e.do(t, http.MethodPost, "/credentials/status", tokenAcme, update); res.StatusCode != http.StatusOK {
				t.Fatalf("status update: %d %s", res.StatusCode, out)
			}
			r := e.verify(t, vc, map[string]any{"returnResults": true})
			if r.Verified || len(r.ProblemDetails) != 1 || r.ProblemDetails[0].Type != verifier.ProblemTypeBase+"REVOKED" {
				t.Errorf("revoked credential: %+v", r)
			}
			var status []struct{ Value uint64 }
			if err := json.Unmarshal(r.Results["credentialStatus"], &status); err != nil || len(status) != 2 || status[0].Value != 1 {
				t.Errorf("results.credentialStatus %s", r.Results["credentialStatus"])
			}
		})
	}
}

func TestStatusListEndpoint(t *testing.T) {
	e := newEnv(t)
	vc := e.issue(t, "/credentials/issue", credentialBody(e.Agent, nil))
	var doc struct {
		CredentialStatus []struct {
			StatusListCredential string `json:"statusListCredential"`
		} `json:"credentialStatus"`
	}
	if err := json.Unmarshal(vc, &doc); err != nil || len(doc.CredentialStatus) != 2 {
		t.Fatal(err)
	}
	path := strings.TrimPrefix(doc.CredentialStatus[0].StatusListCredential, issuertest.BaseURL)
	res, out := e.do(t, http.MethodGet, path, "", nil)
	if res.StatusCode != http.StatusOK || res.Header.Get("Cache-Control") != "public, max-age=300" ||
		!strings.Contains(string(out), "BitstringStatusListCredential") {
		t.Errorf("%s: %d %q %.80s", path, res.StatusCode, res.Header.Get("Cache-Control"), out)
	}
	for _, bad := range []string{"/status/main/revocation/nope", "/status/nope/revocation/x", "/status/main/refresh/x"} {
		if res, _ := e.do(t, http.MethodGet, bad, "", nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d", bad, res.StatusCode)
		}
	}
}

func TestInstancesAndDIDWeb(t *testing.T) {
	e := newEnv(t)
	vc := e.issue(t, "/instances/web/credentials/issue", credentialBody(e.Agent, nil))
	var doc struct {
		Issuer string         `json:"issuer"`
		Proof  map[string]any `json:"proof"`
	}
	if err := json.Unmarshal(vc, &doc); err != nil || doc.Issuer != issuertest.WebDID || doc.Proof["cryptosuite"] != "ecdsa-rdfc-2019" {
		t.Errorf("web instance credential: %v %+v", err, doc)
	}
	if r := e.verify(t, vc, nil); !r.Verified {
		t.Errorf("web credential: %+v", r)
	}
	res, out := e.do(t, http.MethodGet, "/.well-known/did.json", "", nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("did.json: %d", res.StatusCode)
	}
	d, err := did.ParseDocument(out)
	if err != nil || d.ID != issuertest.WebDID || len(d.AssertionMethod) != 1 {
		t.Errorf("did.json: %v %+v", err, d)
	}
	if res, _ := e.do(t, http.MethodPost, "/instances/nope/credentials/issue", tokenAcme, credentialBody(e.Agent, nil)); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown instance: %d", res.StatusCode)
	}
}

func TestConvenienceEndpoints(t *testing.T) {
	e := newEnv(t)
	agent := e.KakuninAgent(t, "agent-x", false)
	scopeBody := map[string]any{
		"agent": agent, "validitySeconds": 86400,
		"delegator": map[string]any{"id": "did:web:acme.example", "name": "Acme"},
		"grants":    []any{map[string]any{"actions": []string{"payments:create"}}},
	}
	vc := e.issue(t, "/credentials/issue/scope", scopeBody)
	if r := e.verify(t, vc, nil); !r.Verified {
		t.Errorf("scope credential: %+v", r)
	}
	scopeBody["grants"] = []any{map[string]any{"actions": []string{"payments:refund", "crm.contacts:delete"}}}
	res, out := e.do(t, http.MethodPost, "/credentials/issue/scope", tokenAcme, scopeBody)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(out), issuer.ProblemTypeBase+"SCOPE_EXCEEDED") {
		t.Errorf("scope beyond the instance: %d %s", res.StatusCode, out)
	}
	res, out = e.do(t, http.MethodPost, "/credentials/issue/scope", tokenGlobex, scopeBody)
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("other tenant's agent: %d %s", res.StatusCode, out)
	}
	compliance := map[string]any{"agent": agent, "claims": json.RawMessage(`{
	  "frameworks": {"euAiAct": {"riskClass": "limited", "article12Logging": true}},
	  "modelProvenance": {"modelDigest": "` + strings.Split(agent, ":")[2] + `", "promptDigest": "` + strings.Split(agent, ":")[3] + `"},
	  "assessor": {"id": "did:web:assessor.example"},
	  "assessmentDate": "2026-01-10T09:00:00Z",
	  "evidence": [{"type": ["KakuninAuditLogEvidence"], "log": "https://kakunin.example.com/log",
	    "checkpoint": {"origin": "kakunin.example.com/log", "treeSize": 8, "rootHash": "RzIJh/mknVsAEZuWDyR6lWdz9XVDmCuL/LbaW7Ov2e8="},
	    "inclusionProof": {"leafIndex": 7, "leafHash": "n5EWH0NDPkmm3m22gNefYBWfLkrJFyYhoShGQoFYRAs="}}]}`)}
	vc = e.issue(t, "/credentials/issue/compliance", compliance)
	if r := e.verify(t, vc, nil); !r.Verified {
		t.Errorf("compliance credential: %+v", r)
	}
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
