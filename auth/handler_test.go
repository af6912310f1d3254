package auth_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/auth"
	"github.com/kakunin-dev/kakunin/server"
)

// TestHandler manages tokens over HTTP: an admin creates a scoped token, which
// works, is listed, is revoked and then refused; a non-admin token may not manage.
func TestHandler(t *testing.T) {
	db := openDB(t)
	admin, _ := issue(t, db, auth.Grant{TenantID: "t1", AllOwners: true, Actions: []string{auth.ActionAdmin}})
	a := auth.New(db.(auth.Store), auth.Options{})
	srv := server.New(server.Config{}, auth.NewHandler(a, db))
	call := func(method, path, token, body string) (int, []byte) {
		r := httptest.NewRequest(method, path, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		if token != "" {
			r.Header.Set("Authorization", "Bearer "+token)
		}
		w := httptest.NewRecorder()
		srv.Handler().ServeHTTP(w, r)
		return w.Code, w.Body.Bytes()
	}
	code, body := call("POST", "/auth/tokens", admin, `{"owners":["o1"],"actions":["enroll"],"expiresIn":3600}`)
	var created struct{ ID, Token, Tenant string }
	if err := json.Unmarshal(body, &created); code != http.StatusCreated || err != nil || created.Tenant != "t1" {
		t.Fatalf("create: %d %s", code, body)
	}
	if _, err := a.Authorize(t.Context(), request(created.Token), "o1", auth.ActionEnroll); err != nil {
		t.Fatalf("new token refused: %v", err)
	}
	steps := []struct {
		name, method, path, token, body string
		want                            int
	}{
		{"unknown action", "POST", "/auth/tokens", admin, `{"actions":["root"]}`, http.StatusUnprocessableEntity},
		{"duplicate member", "POST", "/auth/tokens", admin, `{"actions":["enroll"],"actions":["admin"]}`, http.StatusBadRequest},
		{"not admin", "POST", "/auth/tokens", created.Token, `{"actions":["enroll"]}`, http.StatusForbidden},
		{"no token", "GET", "/auth/tokens", "", "", http.StatusUnauthorized},
		{"list", "GET", "/auth/tokens", admin, "", http.StatusOK},
		{"revoke", "POST", "/auth/tokens/" + created.ID + "/revoke", admin, "", http.StatusNoContent},
		{"revoke again", "POST", "/auth/tokens/" + created.ID + "/revoke", admin, "", http.StatusConflict},
		{"revoke unknown", "POST", "/auth/tokens/nope/revoke", admin, "", http.StatusNotFound},
		{"revoked token", "GET", "/auth/tokens", created.Token, "", http.StatusUnauthorized},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			code, body := call(s.method, s.path, s.token, s.body)
			if code != s.want {
				t.Fatalf("%d %s, want %d", code, body, s.want)
			}
			if s.name == "list" && (!strings.Contains(string(body), created.ID) || strings.Contains(string(body), created.Token)) {
				t.Errorf("list: %s", body)
			}
		})
	}
}
