package vcapi_test

import (
	"encoding/json"
	"net/http"
	"testing"
)

// TestInstanceVerifyRoutes: a client configured with an instance's base URL (VCALM § Base
// URL, /instances/{name}) verifies under it; an unknown instance is a 404.
func TestInstanceVerifyRoutes(t *testing.T) {
	e := newEnv(t)
	vc := e.issue(t, "/instances/web/credentials/issue", credentialBody(e.Agent, nil))
	tests := []struct {
		path   string
		body   map[string]any
		status int
	}{
		{"/instances/web/credentials/verify", map[string]any{"verifiableCredential": vc}, 200},
		{"/instances/main/credentials/verify", map[string]any{"verifiableCredential": vc}, 200},
		{"/instances/nope/credentials/verify", map[string]any{"verifiableCredential": vc}, 404},
		{"/instances/web/presentations/verify", map[string]any{"presentation": presentation(vc)}, 200},
		{"/instances/nope/presentations/verify", map[string]any{"presentation": presentation(vc)}, 404},
	}
	for _, tt := range tests {
		res, out := e.do(t, http.MethodPost, tt.path, "", tt.body)
		if res.StatusCode != tt.status {
			t.Errorf("%s: %d %s", tt.path, res.StatusCode, out)
		}
	}
}

// TestInstanceStatusRoute: an instance's base URL serves /credentials/status for the
// credentials that instance issued, and no other's: another instance's credential, or an
// unknown instance, is a 404, another tenant's caller a 403, and none of them changes the
// status.
func TestInstanceStatusRoute(t *testing.T) {
	e := newEnv(t)
	raw := map[string]json.RawMessage{}
	ids := map[string]string{}
	for name, path := range map[string]string{"web": "/instances/web/credentials/issue", "main": "/credentials/issue"} {
		raw[name] = e.issue(t, path, credentialBody(e.Agent, nil))
		var c struct{ ID string }
		if err := json.Unmarshal(raw[name], &c); err != nil {
			t.Fatal(err)
		}
		ids[name] = c.ID
	}
	suspended := func(name string) bool {
		t.Helper()
		return !e.verify(t, raw[name], nil).Verified
	}
	update := func(id string) map[string]any {
		return map[string]any{"credentialId": id, "status": true,
			"credentialStatus": map[string]any{"type": "BitstringStatusListEntry", "statusPurpose": "suspension"}}
	}
	tests := []struct {
		path, token, cred string
		status            int
	}{
		{"/instances/web/credentials/status", tokenAcme, "main", 404},
		{"/instances/nope/credentials/status", tokenAcme, "web", 404},
		{"/instances/main/credentials/status", tokenAcme, "web", 404},
		{"/instances/web/credentials/status", tokenGlobex, "web", 403},
		{"/instances/main/credentials/status", tokenGlobex, "web", 403}, // not a 404: the instance stays unsaid
	}
	for _, tt := range tests {
		if res, out := e.do(t, http.MethodPost, tt.path, tt.token, update(ids[tt.cred])); res.StatusCode != tt.status {
			t.Errorf("%s %s: %d %s, want %d", tt.path, tt.cred, res.StatusCode, out, tt.status)
		}
	}
	for name := range raw {
		if suspended(name) {
			t.Errorf("the %s credential was suspended by a refused request", name)
		}
	}
	for _, name := range []string{"web", "main"} {
		if res, out := e.do(t, http.MethodPost, "/instances/"+name+"/credentials/status", tokenAcme, update(ids[name])); res.StatusCode != 200 {
			t.Errorf("%s: %d %s", name, res.StatusCode, out)
		}
		if !suspended(name) {
			t.Errorf("the %s credential is not suspended", name)
		}
	}
}
