package vcapi_test

import (
	"encoding/json"
	"testing"
)

// TestSubjectResult: when the subject DID check runs (on did:kakunin subjects), results
// carry one credentialSubject entry per subject it checked, as they do for schemas.
func TestSubjectResult(t *testing.T) {
	e := newEnv(t)
	agent := e.KakuninAgent(t, "agent-s", false)
	vc := e.issue(t, "/credentials/issue/scope", map[string]any{"agent": agent, "delegator": map[string]any{"id": "did:web:a.example"},
		"grants": []any{map[string]any{"actions": []string{"payments:create"}}}})
	type entry struct {
		Verified bool   `json:"verified"`
		Input    string `json:"input"`
	}
	subjects := func(options map[string]any) (bool, []entry, bool) {
		t.Helper()
		r := e.verify(t, vc, options)
		raw, ok := r.Results["credentialSubject"]
		var out []entry
		if ok {
			if err := json.Unmarshal(raw, &out); err != nil {
				t.Fatal(err)
			}
		}
		return r.Verified, out, ok
	}
	if verified, got, _ := subjects(map[string]any{"returnResults": true}); !verified || len(got) != 1 || got[0] != (entry{true, agent}) {
		t.Errorf("active subject: %v %+v", verified, got)
	}
	if _, _, present := subjects(map[string]any{"returnResults": true, "checks": []string{"proof"}}); present {
		t.Error("credentialSubject without the subject check")
	}
	e.Resolver.Deactivate(agent)
	if verified, got, _ := subjects(map[string]any{"returnResults": true}); verified || len(got) != 1 || got[0] != (entry{false, agent}) {
		t.Errorf("deactivated subject: %v %+v", verified, got)
	}
	other := e.verify(t, e.issue(t, "/credentials/issue", credentialBody(e.Agent, nil)), map[string]any{"returnResults": true})
	if _, present := other.Results["credentialSubject"]; present {
		t.Error("credentialSubject for a did:key subject, which the check does not cover")
	}
}
