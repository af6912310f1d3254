package vcapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/vc/dataintegrity"
)

func TestBadBodies(t *testing.T) {
	e := newEnv(t)
	cred := `{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"], "credentialSubject": {"id": "` + e.Agent + `"}}`
	huge := `{"credential": {"x": "` + strings.Repeat("a", 70<<10) + `"}}`
	tests := []struct {
		name, path, body string
		status           int
	}{
		{"issue: empty", "/credentials/issue", ``, 400},
		{"issue: not JSON", "/credentials/issue", `{`, 400},
		{"issue: array", "/credentials/issue", `[]`, 400},
		{"issue: duplicate member", "/credentials/issue", `{"credential": {}, "credential": {}}`, 400},
		{"issue: no credential", "/credentials/issue", `{}`, 400},
		{"issue: credential string", "/credentials/issue", `{"credential": "x"}`, 400},
		{"issue: credential without type", "/credentials/issue", `{"credential": {"@context": ["https://www.w3.org/ns/credentials/v2"]}}`, 400},
		{"issue: wrong context", "/credentials/issue", `{"credential": {"@context": ["https://example.com"], "type": ["VerifiableCredential"], "credentialSubject": {}}}`, 400},
		{"issue: with proof", "/credentials/issue", `{"credential": ` + cred[:len(cred)-1] + `, "proof": {}}}`, 400},
		{"issue: foreign issuer", "/credentials/issue", `{"credential": ` + cred[:len(cred)-1] + `, "issuer": "did:example:x"}}`, 400},
		{"issue: options not object", "/credentials/issue", `{"credential": ` + cred + `, "options": 3}`, 400},
		{"issue: unknown format", "/credentials/issue", `{"credential": ` + cred + `, "options": {"format": "mdoc"}}`, 400},
		{"issue: mandatoryPointers", "/credentials/issue", `{"credential": ` + cred + `, "options": {"mandatoryPointers": ["/issuer"]}}`, 400},
		{"issue: undefined term", "/credentials/issue", `{"credential": ` + cred[:len(cred)-1] + `, "madeUpTerm": 1}}`, 400},
		{"issue: too large", "/credentials/issue", huge, 413},
		{"issue: invalid UTF-8", "/credentials/issue", "{\"credential\": \"\xff\"}", 400},
		{"scope: no agent", "/credentials/issue/scope", `{"grants": []}`, 400},
		{"scope: bad grants", "/credentials/issue/scope", `{"agent": "` + e.Agent + `", "grants": [{"actions": ["nope"]}]}`, 400},
		{"scope: grants not array", "/credentials/issue/scope", `{"agent": "` + e.Agent + `", "grants": 1}`, 400},
		{"scope: negative validity", "/credentials/issue/scope", `{"agent": "` + e.Agent + `", "validitySeconds": -1, "grants": []}`, 400},
		{"compliance: bad claims", "/credentials/issue/compliance", `{"agent": "` + e.Agent + `", "claims": {"frameworks": 1}}`, 400},
		{"compliance: no claims", "/credentials/issue/compliance", `{"agent": "` + e.Agent + `"}`, 400},
		{"status: empty object", "/credentials/status", `{}`, 400},
		{"status: bad purpose", "/credentials/status", `{"credentialId": "x", "status": true, "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "refresh"}}`, 400},
		{"status: bad type", "/credentials/status", `{"credentialId": "x", "status": true, "credentialStatus": {"type": "StatusList2021Entry", "statusPurpose": "revocation"}}`, 400},
		{"status: unknown credential", "/credentials/status", `{"credentialId": "x", "status": true, "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}}`, 404},
		{"status: status not boolean", "/credentials/status", `{"credentialId": "x", "status": "yes", "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}}`, 400},
		{"verify: empty", "/credentials/verify", ``, 400},
		{"verify: no credential", "/credentials/verify", `{}`, 400},
		{"verify: credential array", "/credentials/verify", `{"verifiableCredential": []}`, 400},
		{"verify: unknown check", "/credentials/verify", `{"verifiableCredential": ` + cred + `, "options": {"checks": ["vibes"]}}`, 400},
		{"verify: checks not array", "/credentials/verify", `{"verifiableCredential": ` + cred + `, "options": {"checks": "proof"}}`, 400},
		{"verify presentation: none", "/presentations/verify", `{}`, 400},
		{"verify presentation: string", "/presentations/verify", `{"verifiablePresentation": "x"}`, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, out := e.do(t, http.MethodPost, tt.path, tokenAcme, tt.body)
			if res.StatusCode != tt.status {
				t.Errorf("status %d, want %d: %s", res.StatusCode, tt.status, out)
			}
			if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("content type %q", ct)
			}
			var p struct {
				Type   string `json:"type"`
				Status int    `json:"status"`
			}
			if err := json.Unmarshal(out, &p); err != nil || p.Status != tt.status || p.Type == "" {
				t.Errorf("problem %s", out)
			}
		})
	}
}

// TestVerifyMalformedCredential: a credential that is not well formed is invalid input,
// answered 400 (VCALM; the W3C VC API verifier suite removes each of these members from
// a valid credential and requires 400 or 422), with the problem of the first malformation
// and every problem in problemDetails; a well-formed credential that fails a check is a
// 200 result with verified false.
func TestVerifyMalformedCredential(t *testing.T) {
	e := newEnv(t)
	var valid map[string]any
	if err := json.Unmarshal(e.issue(t, "/credentials/issue", credentialBody(e.Agent, nil)), &valid); err != nil {
		t.Fatal(err)
	}
	without := func(path ...string) json.RawMessage {
		b, _ := json.Marshal(valid)
		var c map[string]any
		_ = json.Unmarshal(b, &c)
		m := c
		for _, k := range path[:len(path)-1] {
			m = m[k].(map[string]any)
		}
		delete(m, path[len(path)-1])
		out, _ := json.Marshal(c)
		return out
	}
	cases := map[string]json.RawMessage{
		"no @context":                      without("@context"),
		"no type":                          without("type"),
		"no issuer":                        without("issuer"),
		"no credentialSubject":             without("credentialSubject"),
		"no proof":                         without("proof"),
		"null proof":                       nullProof(valid),
		"no proof.type":                    without("proof", "type"),
		"no proof.proofValue":              without("proof", "proofValue"),
		"no proof.proofPurpose":            without("proof", "proofPurpose"),
		"no proof.verificationMethod":      without("proof", "verificationMethod"),
		"bad validFrom":                    json.RawMessage(`{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"], "issuer": "did:example:1", "credentialSubject": {"id": "did:example:2"}, "validFrom": "never"}`),
		"envelope without a data: URL":     json.RawMessage(`{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": "EnvelopedVerifiableCredential", "id": "https://example.com/vc"}`),
		"envelope with an empty @context":  json.RawMessage(`{"@context": [], "type": "EnvelopedVerifiableCredential", "id": "data:application/vc+jwt,a.b.c"}`),
		"envelope with an unsigned member": json.RawMessage(`{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": "EnvelopedVerifiableCredential", "id": "data:application/vc+jwt,a.b.c", "credentialSubject": {"id": "did:example:2"}}`),
		"empty subject":                    json.RawMessage(`{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"], "issuer": "did:example:1", "credentialSubject": {}}`),
	}
	for name, cred := range cases {
		res, out := e.do(t, http.MethodPost, "/credentials/verify", "", map[string]any{"verifiableCredential": cred})
		var p struct {
			Type           string            `json:"type"`
			Status         int               `json:"status"`
			Verified       *bool             `json:"verified"`
			ProblemDetails []json.RawMessage `json:"problemDetails"`
		}
		if err := json.Unmarshal(out, &p); err != nil || res.StatusCode != http.StatusBadRequest || p.Status != 400 ||
			!strings.Contains(p.Type, "MALFORMED") && !strings.Contains(p.Type, "PARSING") && !strings.Contains(p.Type, "TRANSFORMATION") ||
			p.Verified == nil || *p.Verified || len(p.ProblemDetails) == 0 {
			t.Errorf("%s: %d %s", name, res.StatusCode, out)
		}
	}
	// Well formed, with a context this verifier does not hold: a result (VCALM puts context
	// errors in the verification result).
	res, out := e.do(t, http.MethodPost, "/credentials/verify", "", map[string]any{"verifiableCredential": unknownContext(valid)})
	if res.StatusCode != http.StatusOK || !strings.Contains(string(out), `"verified":false`) || !strings.Contains(string(out), "PROOF_TRANSFORMATION_ERROR") {
		t.Errorf("unknown context: %d %s", res.StatusCode, out)
	}
	// Well formed, but the signature no longer matches: a result.
	valid["credentialSubject"].(map[string]any)["name"] = "tampered"
	b, _ := json.Marshal(valid)
	if r := e.verify(t, b, nil); r.Verified || len(r.ProblemDetails) == 0 {
		t.Errorf("tampered credential: %+v", r)
	}
}

func TestAuthorization(t *testing.T) {
	e := newEnv(t)
	body := credentialBody(e.Agent, nil)
	tests := []struct {
		name, path, token string
		status            int
	}{
		{"no token", "/credentials/issue", "", 401},
		{"unknown token", "/credentials/issue", "guess", 401},
		{"token without the issue action", "/credentials/issue", tokenVerify, 403},
		{"token limited to the default instance", "/instances/web/credentials/issue", tokenVerify, 403},
		{"status without token", "/credentials/status", "", 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, _ := e.do(t, http.MethodPost, tt.path, tt.token, body)
			if res.StatusCode != tt.status {
				t.Errorf("status %d, want %d", res.StatusCode, tt.status)
			}
			if tt.status == 401 && !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Error("no Bearer challenge")
			}
		})
	}
	t.Run("other tenant cannot change status", func(t *testing.T) {
		id := "urn:uuid:7d4a4c5e-2f61-4f7e-8c65-6d4f0a5c9b11"
		e.issue(t, "/credentials/issue", credentialBody(e.Agent, map[string]any{"credentialId": id}))
		update := map[string]any{"credentialId": id, "status": true,
			"credentialStatus": map[string]any{"type": "BitstringStatusListEntry", "statusPurpose": "suspension"}}
		if res, _ := e.do(t, http.MethodPost, "/credentials/status", tokenGlobex, update); res.StatusCode != http.StatusForbidden {
			t.Errorf("status %d", res.StatusCode)
		}
	})
}

func TestVerifyPresentationEndpoint(t *testing.T) {
	e := newEnv(t)
	vc := e.issue(t, "/credentials/issue", credentialBody(e.Agent, nil))
	var cred map[string]any
	if err := json.Unmarshal(vc, &cred); err != nil {
		t.Fatal(err)
	}
	vp, _ := json.Marshal(map[string]any{"@context": []string{"https://www.w3.org/ns/credentials/v2"},
		"type": []string{"VerifiablePresentation"}, "holder": e.Agent, "verifiableCredential": []any{cred}})
	signed, err := dataintegrity.AddProof(vp, e.AgentKey, dataintegrity.ProofOptions{
		Cryptosuite: dataintegrity.EdDSARDFC2022, VerificationMethod: e.Agent + "#" + e.Agent[len("did:key:"):],
		ProofPurpose: string(did.Authentication), Challenge: "ch-1", Domain: []string{"rp.example"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		challenge string
		verified  bool
	}{{"ch-1", true}, {"ch-2", false}} {
		res, out := e.do(t, http.MethodPost, "/presentations/verify", "", map[string]any{
			"verifiablePresentation": json.RawMessage(signed),
			"options":                map[string]any{"challenge": tt.challenge, "domain": "rp.example"}})
		var r struct {
			Verified bool `json:"verified"`
			Results  struct {
				Presentation struct {
					Challenge struct{ Verified bool } `json:"challenge"`
				} `json:"presentation"`
				Credentials []struct{ Verified bool } `json:"credentials"`
			} `json:"results"`
		}
		if err := json.Unmarshal(out, &r); err != nil || res.StatusCode != 200 {
			t.Fatalf("%d %s", res.StatusCode, out)
		}
		if r.Verified != tt.verified || r.Results.Presentation.Challenge.Verified != tt.verified ||
			len(r.Results.Credentials) != 1 || !r.Results.Credentials[0].Verified {
			t.Errorf("challenge %s: %s", tt.challenge, out)
		}
	}
}

func TestProoflessPresentation(t *testing.T) {
	e := newEnv(t)
	vc := e.issue(t, "/credentials/issue", credentialBody(e.Agent, nil))
	vp := map[string]any{"@context": []string{"https://www.w3.org/ns/credentials/v2"},
		"type": []string{"VerifiablePresentation"}, "verifiableCredential": []any{vc}}
	// Without a proof, a verifiable presentation is malformed input (a 400 that still
	// says verified false); as a presentation it is what the caller asked to check.
	for _, tt := range []struct {
		member   string
		status   int
		verified bool
	}{{"presentation", 200, true}, {"verifiablePresentation", 400, false}} {
		res, out := e.do(t, http.MethodPost, "/presentations/verify", "", map[string]any{tt.member: vp})
		var r struct {
			Verified bool `json:"verified"`
		}
		if err := json.Unmarshal(out, &r); err != nil || res.StatusCode != tt.status || r.Verified != tt.verified {
			t.Errorf("%s: %d %s", tt.member, res.StatusCode, out)
		}
	}
	if res, _ := e.do(t, http.MethodPost, "/presentations/verify", "", map[string]any{"presentation": vp, "verifiablePresentation": vp}); res.StatusCode != 400 {
		t.Errorf("both members: %d", res.StatusCode)
	}
}

func nullProof(valid map[string]any) json.RawMessage {
	c := map[string]any{}
	for k, v := range valid {
		c[k] = v
	}
	c["proof"] = nil
	b, _ := json.Marshal(c)
	return b
}

// TestIssueExpired: VC Data Model 2.0 § 4.9 lets validUntil be "a date and time in the
// past"; such a credential is issued (it used to make the store refuse the record, a 500)
// and verifies as expired.
func TestIssueExpired(t *testing.T) {
	e := newEnv(t)
	body := credentialBody(e.Agent, nil)
	cred := body["credential"].(map[string]any)
	cred["validFrom"], cred["validUntil"] = "2023-02-26T01:19:19Z", "2023-02-26T01:19:20Z"
	vc := e.issue(t, "/credentials/issue", body)
	if r := e.verify(t, vc, nil); r.Verified || len(r.ProblemDetails) == 0 || !strings.Contains(r.ProblemDetails[0].Type, "RANGE_ERROR") {
		t.Errorf("expired credential: %+v", r)
	}
}

func unknownContext(valid map[string]any) json.RawMessage {
	c := map[string]any{}
	for k, v := range valid {
		c[k] = v
	}
	c["@context"] = append(append([]any{}, valid["@context"].([]any)...), "https://example.com/unknown/v1")
	b, _ := json.Marshal(c)
	return b
}
