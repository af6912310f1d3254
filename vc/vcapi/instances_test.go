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
// unknown instance, is a 404 and changes nothing.
func TestInstanceStatusRoute(t *testing.T) {
	e := newEnv(t)
	var web, main struct{ ID string }
	for _, c := range []struct {
		path string
		into *struct{ ID string }
	}{{"/instances/web/credentials/issue", &web}, {"/credentials/issue", &main}} {
		if err := json.Unmarshal(e.issue(t, c.path, credentialBody(e.Agent, nil)), c.into); err != nil {
			t.Fatal(err)
		}
	}
	update := func(id string) map[string]any {
		return map[string]any{"credentialId": id, "status": true,
			"credentialStatus": map[string]any{"type": "BitstringStatusListEntry", "statusPurpose": "suspension"}}
	}
	tests := []struct {
		path, id string
		status   int
	}{
		{"/instances/web/credentials/status", main.ID, 404},
		{"/instances/nope/credentials/status", web.ID, 404},
		{"/instances/main/credentials/status", web.ID, 404},
		{"/instances/web/credentials/status", web.ID, 200},
		{"/instances/main/credentials/status", main.ID, 200},
	}
	for _, tt := range tests {
		res, out := e.do(t, http.MethodPost, tt.path, tokenAcme, update(tt.id))
		if res.StatusCode != tt.status {
			t.Errorf("%s %s: %d %s", tt.path, tt.id, res.StatusCode, out)
		}
	}
}
