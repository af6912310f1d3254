package vcapi_test

import (
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
