package auth_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v5"

	"github.com/kakunin-dev/kakunin/auth"
	"github.com/kakunin-dev/kakunin/ca/cahttp"
	"github.com/kakunin-dev/kakunin/server"
	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/sqlite"
)

var t0 = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

func openDB(t testing.TB) store.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "k.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func issue(t testing.TB, db store.DB, g auth.Grant) (string, store.Token) {
	t.Helper()
	var text string
	var tok store.Token
	err := db.Tx(context.Background(), func(tx store.Tx) error {
		var err error
		text, tok, err = auth.Issue(context.Background(), tx.(store.TokenTx), rand.Reader, g, t0)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return text, tok
}

func request(token string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/x", nil)
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	return r
}

func TestAuthorize(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	good, _ := issue(t, db, auth.Grant{TenantID: "t1", OwnerIDs: []string{"o1"}, Actions: []string{auth.ActionRevoke}})
	admin, _ := issue(t, db, auth.Grant{TenantID: "t1", AllOwners: true, Actions: []string{auth.ActionAdmin}})
	other, _ := issue(t, db, auth.Grant{TenantID: "t2", OwnerIDs: []string{"o2"}, Actions: []string{auth.ActionRevoke}})
	expired, _ := issue(t, db, auth.Grant{TenantID: "t1", AllOwners: true, Actions: []string{auth.ActionRevoke},
		Expires: t0.Add(time.Hour)})
	revoked, rtok := issue(t, db, auth.Grant{TenantID: "t1", AllOwners: true, Actions: []string{auth.ActionRevoke}})
	if err := auth.Revoke(ctx, db, "t1", rtok.ID, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	unknown, _, _, _ := auth.NewToken(rand.Reader)
	a := auth.New(db.(auth.Store), auth.Options{Now: func() time.Time { return t0.Add(2 * time.Hour) }})
	tests := []struct {
		name, token, owner, action string
		want                       error
	}{
		{"no credentials", "", "o1", auth.ActionRevoke, auth.ErrUnauthenticated},
		{"malformed", "kak_short", "o1", auth.ActionRevoke, auth.ErrUnauthenticated},
		{"unknown", unknown, "o1", auth.ActionRevoke, auth.ErrUnauthenticated},
		{"expired", expired, "o1", auth.ActionRevoke, auth.ErrUnauthenticated},
		{"revoked", revoked, "o1", auth.ActionRevoke, auth.ErrUnauthenticated},
		{"another tenant's owner", other, "o1", auth.ActionRevoke, auth.ErrForbidden},
		{"wrong scope", good, "o1", auth.ActionEnroll, auth.ErrForbidden},
		{"wrong owner", good, "o2", auth.ActionRevoke, auth.ErrForbidden},
		{"granted", good, "o1", auth.ActionRevoke, nil},
		{"admin", admin, "o9", auth.ActionIssue, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tok, err := a.Authorize(ctx, request(tc.token), tc.owner, tc.action)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if err != nil && tc.token != "" && strings.Contains(err.Error(), tc.token[len(auth.Prefix):]) {
				t.Errorf("error reveals the token: %v", err)
			}
			if err == nil && tok.TenantID != "t1" {
				t.Errorf("tenant = %q", tok.TenantID)
			}
		})
	}
}

func TestCAAuthorizer(t *testing.T) {
	db := openDB(t)
	text, _ := issue(t, db, auth.Grant{TenantID: "t1", OwnerIDs: []string{"o1"}, Actions: []string{auth.ActionEnroll}})
	ca := auth.New(db.(auth.Store), auth.Options{}).CA()
	tests := []struct {
		name, token, owner string
		want               error
	}{
		{"none", "", "o1", cahttp.ErrUnauthenticated},
		{"other owner", text, "o2", cahttp.ErrForbidden},
		{"ok", text, "o1", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ca.Authorize(context.Background(), request(tc.token), tc.owner, cahttp.ActionEnroll)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if err == nil && p.Tenant != "t1" {
				t.Errorf("tenant = %q", p.Tenant)
			}
		})
	}
}

func TestBootstrapOnce(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	text, created, err := auth.Bootstrap(ctx, db, rand.Reader, "default", t0)
	if err != nil || !created {
		t.Fatalf("first bootstrap: %v %v", created, err)
	}
	if _, err := auth.ParseID(text); err != nil {
		t.Fatal(err)
	}
	again, created, err := auth.Bootstrap(ctx, db, rand.Reader, "default", t0)
	if err != nil || created || again != "" {
		t.Fatalf("second bootstrap: %q %v %v", again, created, err)
	}
	tok, err := auth.New(db.(auth.Store), auth.Options{}).Authorize(ctx, request(text), "any", auth.ActionDeactivate)
	if err != nil || !tok.AllOwners {
		t.Fatalf("bootstrap token: %+v %v", tok, err)
	}
}

// TestMiddleware checks the HTTP answers and that the request logs of the server
// never carry a token.
func TestMiddleware(t *testing.T) {
	db := openDB(t)
	text, _ := issue(t, db, auth.Grant{TenantID: "t1", OwnerIDs: []string{"o1"}, Actions: []string{auth.ActionIssue}})
	a := auth.New(db.(auth.Store), auth.Options{})
	var logs bytes.Buffer
	srv := server.New(server.Config{Logger: slog.New(slog.NewJSONHandler(&logs, nil))},
		server.MountFunc(func(e *echo.Echo) {
			e.POST("/issue/:owner", func(c *echo.Context) error {
				tok, _ := auth.TokenOf(c)
				return c.String(http.StatusOK, tok.TenantID)
			}, a.Require(auth.ActionIssue, func(c *echo.Context) string { return c.Param("owner") }))
		}))
	bad := []byte(text)
	bad[len(bad)-1] = map[bool]byte{true: 'b', false: 'a'}[bad[len(bad)-1] == 'a']
	tests := []struct {
		name, path, token string
		status            int
		challenge         string
	}{
		{"no token", "/issue/o1", "", http.StatusUnauthorized, `Bearer realm="kakunin"`},
		{"bad token", "/issue/o1", string(bad), http.StatusUnauthorized, `Bearer realm="kakunin", error="invalid_token"`},
		{"other owner", "/issue/o2", text, http.StatusForbidden, `Bearer realm="kakunin", error="insufficient_scope"`},
		{"ok", "/issue/o1", text, http.StatusOK, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := request(tc.token)
			r.URL.Path = tc.path
			w := httptest.NewRecorder()
			srv.Handler().ServeHTTP(w, r)
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tc.status, w.Body)
			}
			if got := w.Header().Get("WWW-Authenticate"); got != tc.challenge {
				t.Errorf("WWW-Authenticate %q", w.Header().Get("WWW-Authenticate"))
			}
			if tc.status != http.StatusOK && w.Header().Get("Content-Type") != "application/problem+json" {
				t.Errorf("content type %q", w.Header().Get("Content-Type"))
			}
		})
	}
	secret := text[strings.LastIndex(text, "_")+1:]
	if logs.Len() == 0 || strings.Contains(logs.String(), secret) {
		t.Errorf("logs empty or hold the token secret:\n%s", logs.String())
	}
}

func TestIssueRefusesUnknownAction(t *testing.T) {
	db := openDB(t)
	err := db.Tx(context.Background(), func(tx store.Tx) error {
		_, _, err := auth.Issue(context.Background(), tx.(store.TokenTx), rand.Reader,
			auth.Grant{TenantID: "t1", Actions: []string{"root"}}, t0)
		return err
	})
	if !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("err = %v, want store.ErrInvalid", err)
	}
}
