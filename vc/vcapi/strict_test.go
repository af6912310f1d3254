package vcapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/vc/vcapi"
)

// problemBody is an RFC 9457 problem as the endpoints write it.
type problemBody struct {
	Type    string `json:"type"`
	Status  int    `json:"status"`
	Detail  string `json:"detail"`
	Pointer string `json:"pointer"`
}

// TestUnknownMembers: VCALM § Options, "Implementations MUST throw an error if an endpoint
// receives data, options, or option values that it does not understand"; a misspelt member
// is a 400 naming it, UNKNOWN_OPTION_PROVIDED inside options, never a silent default.
func TestUnknownMembers(t *testing.T) {
	e := newEnv(t)
	agent := e.KakuninAgent(t, "agent-u", false)
	cred := string(credentialJSON(e.Agent))
	grants := `[{"actions": ["payments:create"]}]`
	entry := `{"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}`
	tests := []struct {
		name, path, body, pointer string
	}{
		{"issue: top level", "/credentials/issue", `{"credential": ` + cred + `, "credentials": {}}`, "/credentials"},
		{"issue: misspelt format", "/credentials/issue", `{"credential": ` + cred + `, "options": {"fromat": "vc+jwt"}}`, "/options/fromat"},
		{"issue: instance route", "/instances/web/credentials/issue", `{"credential": ` + cred + `, "options": {"credentialID": "x"}}`, "/options/credentialID"},
		{"scope: misspelt validity", "/credentials/issue/scope", `{"agent": "` + agent + `", "validitySecond": 60, "grants": ` + grants + `}`, "/validitySecond"},
		{"scope: option", "/credentials/issue/scope", `{"agent": "` + agent + `", "grants": ` + grants + `, "options": {"fromat": "vc+jwt"}}`, "/options/fromat"},
		{"scope: delegator member", "/credentials/issue/scope", `{"agent": "` + agent + `", "grants": ` + grants + `, "delegator": {"id": "did:web:a.example", "nmae": "A"}}`, "/delegator/nmae"},
		{"scope: claims", "/credentials/issue/scope", `{"agent": "` + agent + `", "grants": ` + grants + `, "claims": {}}`, "/claims"},
		{"compliance: grants", "/credentials/issue/compliance", `{"agent": "` + agent + `", "claims": {}, "grants": []}`, "/grants"},
		{"compliance: delegator", "/credentials/issue/compliance", `{"agent": "` + agent + `", "claims": {}, "delegator": {"id": "did:web:a.example"}}`, "/delegator"},
		{"status: indexAllocator", "/credentials/status", `{"credentialId": "x", "status": true, "credentialStatus": ` + entry + `, "indexAllocator": "a"}`, "/indexAllocator"},
		{"status: statusListIndex", "/credentials/status", `{"credentialId": "x", "status": true, "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": "7"}}`, "/credentialStatus/statusListIndex"},
		{"verify: challenge of a presentation", "/credentials/verify", `{"verifiableCredential": ` + cred + `, "options": {"challenge": "c"}}`, "/options/challenge"},
		{"verify: top level", "/credentials/verify", `{"verifiableCredential": ` + cred + `, "credential": {}}`, "/credential"},
		{"verify presentation: option", "/presentations/verify", `{"presentation": {}, "options": {"challange": "c"}}`, "/options/challange"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, out := e.do(t, http.MethodPost, tt.path, tokenAcme, tt.body)
			var p problemBody
			if err := json.Unmarshal(out, &p); err != nil || res.StatusCode != 400 || p.Status != 400 {
				t.Fatalf("%d %s", res.StatusCode, out)
			}
			wantType := "about:blank"
			if strings.HasPrefix(tt.pointer, "/options/") {
				wantType = vcapi.ProblemUnknownOption
			}
			if p.Type != wantType || p.Pointer != tt.pointer || !strings.Contains(p.Detail, tt.pointer) {
				t.Errorf("type %q pointer %q detail %q; want %s at %s", p.Type, p.Pointer, p.Detail, wantType, tt.pointer)
			}
		})
	}
}

// TestKnownMembersAccepted: every member the endpoints define is accepted, and the
// credential keeps members of its own.
func TestKnownMembersAccepted(t *testing.T) {
	e := newEnv(t)
	agent := e.KakuninAgent(t, "agent-k", false)
	body := credentialBody(e.Agent, map[string]any{"credentialId": "urn:uuid:5b0e3c1e-9c61-4d7a-9b86-2f3f5e0c7a10",
		"cryptosuite": "eddsa-jcs-2022", "mandatoryPointers": []string{}})
	body["credential"].(map[string]any)["name"] = "a member of the credential"
	vc := e.issue(t, "/credentials/issue", body)
	e.issue(t, "/credentials/issue/scope", map[string]any{"agent": agent, "validitySeconds": 60, "options": map[string]any{"format": "vc+jwt"},
		"grants": []any{map[string]any{"actions": []string{"payments:create"}}}, "delegator": map[string]any{"id": "did:web:a.example", "name": "A"}})
	r := e.verify(t, vc, map[string]any{"checks": []string{"proof"}, "returnResults": true, "returnProblemDetails": true, "returnCredential": true})
	if !r.Verified {
		t.Errorf("verify: %+v", r)
	}
	res, out := e.do(t, http.MethodPost, "/presentations/verify", "", map[string]any{"presentation": presentation(vc),
		"options": map[string]any{"checks": []string{"proof"}, "returnPresentation": true, "returnResults": true, "returnProblemDetails": true}})
	if res.StatusCode != 200 || !strings.Contains(string(out), `"verifiablePresentation"`) {
		t.Errorf("presentation: %d %s", res.StatusCode, out)
	}
}

// TestRequiredMembers: a convenience body without its grants or claims names the member
// (it used to reach the claims parser as empty input: "syntax error at offset 0"), and an
// error inside them points into the request body.
func TestRequiredMembers(t *testing.T) {
	e := newEnv(t)
	agent := e.KakuninAgent(t, "agent-r", false)
	tests := []struct {
		name, path, body, detail, pointer string
	}{
		{"no grants", "/credentials/issue/scope", `{"agent": "` + agent + `"}`, "grants is required", ""},
		{"null grants", "/credentials/issue/scope", `{"agent": "` + agent + `", "grants": null}`, "grants is required", ""},
		{"no claims", "/credentials/issue/compliance", `{"agent": "` + agent + `"}`, "claims is required", ""},
		{"bad grant", "/credentials/issue/scope", `{"agent": "` + agent + `", "grants": [{"actions": ["nope"]}]}`, "", "/grants/0/actions/0"},
		{"no status", "/credentials/status", `{"credentialId": "x", "credentialStatus": {"type": "BitstringStatusList", "statusPurpose": "revocation"}}`, "status is required", ""},
		{"no credentialStatus", "/credentials/status", `{"credentialId": "x", "status": true}`, "credentialStatus is required", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, out := e.do(t, http.MethodPost, tt.path, tokenAcme, tt.body)
			var p problemBody
			if err := json.Unmarshal(out, &p); err != nil || res.StatusCode != 400 || !strings.Contains(p.Detail, tt.detail) ||
				!strings.HasPrefix(p.Pointer, tt.pointer) || tt.pointer != "" && p.Pointer == "" || strings.Contains(p.Detail, "offset 0") {
				t.Errorf("%d %s", res.StatusCode, out)
			}
		})
	}
}

// TestContentType: VCALM § Content Serialization asks for application/json bodies; another
// media type, or none, is a 415 problem, after authentication. The W3C suites and the CLI
// send application/json.
func TestContentType(t *testing.T) {
	e := newEnv(t)
	cred := json.RawMessage(credentialJSON(e.Agent))
	issue := map[string]any{"credential": cred}
	verify := map[string]any{"verifiableCredential": e.issue(t, "/credentials/issue", issue)}
	tests := []struct {
		name, path, token, ctype string
		body                     any
		status                   int
	}{
		{"text/plain", "/credentials/verify", "", "text/plain", verify, 415},
		{"form", "/credentials/verify", "", "application/x-www-form-urlencoded", verify, 415},
		{"none", "/credentials/verify", "", "", verify, 415},
		{"malformed", "/credentials/verify", "", "application/", verify, 415},
		{"json with charset", "/credentials/verify", "", "application/json; charset=utf-8", verify, 200},
		{"+json suffix", "/credentials/verify", "", "application/ld+json", verify, 200},
		{"issue: none", "/credentials/issue", tokenAcme, "", issue, 415},
		{"issue: form", "/credentials/issue", tokenAcme, "application/x-www-form-urlencoded", issue, 415},
		{"issue: unauthenticated first", "/credentials/issue", "", "text/plain", issue, 401},
		{"status", "/credentials/status", tokenAcme, "text/plain", map[string]any{}, 415},
		{"presentation", "/presentations/verify", "", "text/plain", map[string]any{}, 415},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.ctype != "" {
				h.Set("Content-Type", tt.ctype)
			}
			res, out := e.send(t, http.MethodPost, tt.path, tt.token, h, tt.body)
			if res.StatusCode != tt.status {
				t.Fatalf("%d, want %d: %s", res.StatusCode, tt.status, out)
			}
			if tt.status >= 400 && res.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("content type %q", res.Header.Get("Content-Type"))
			}
		})
	}
}

func credentialJSON(subject string) []byte {
	b, _ := json.Marshal(credentialBody(subject, nil)["credential"])
	return b
}

// presentation is an unsigned presentation of vc.
func presentation(vc json.RawMessage) map[string]any {
	return map[string]any{"@context": []string{"https://www.w3.org/ns/credentials/v2"},
		"type": []string{"VerifiablePresentation"}, "verifiableCredential": []any{vc}}
}
