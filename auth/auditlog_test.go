package auth_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/auth"
	"github.com/kakunin-dev/kakunin/server"
	"github.com/kakunin-dev/kakunin/store"
)

// tokenOf reads back the stored token id of tenant.
func tokenOf(t *testing.T, db store.DB, tenant, id string) store.Token {
	t.Helper()
	toks, err := db.(store.TokenReader).TokensByTenant(context.Background(), tenant)
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range toks {
		if tok.ID == id {
			return tok
		}
	}
	t.Fatalf("no token %s", id)
	return store.Token{}
}

// wantEntry checks that raw is exactly the entry of a token change.
func wantEntry(t *testing.T, raw []byte, typ audit.EventType, actor string, tok store.Token, at time.Time) {
	t.Helper()
	d, err := auth.TokenDigest(tok)
	if err != nil {
		t.Fatal(err)
	}
	want := audit.Entry{Type: typ, Time: at, Actor: actor, Tenant: tok.TenantID, Digest: d}
	if got := parse(t, raw); !got.Time.Equal(want.Time) || got.Type != want.Type || got.Actor != want.Actor ||
		got.Tenant != want.Tenant || got.Subject != "" || got.Digest != want.Digest {
		t.Errorf("entry %+v, want %+v", got, want)
	}
}

// TestTokenEntries checks that each token operation appends exactly its entry,
// in its transaction, with the right actor and a digest of the stored record,
// and that no entry holds a token's text or hash; the log then verifies.
func TestTokenEntries(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	now := t0.Add(1234567 * time.Nanosecond) // below the stores' microsecond precision
	clock := func() time.Time { return now }
	a := auth.New(db.(auth.Store), auth.Options{Now: clock, Audit: db})
	srv := server.New(server.Config{}, auth.NewHandler(a, db))
	call := func(method, path, token, body string) (int, []byte) {
		r := httptest.NewRequest(method, path, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Authorization", "Bearer "+token)
		w := httptest.NewRecorder()
		srv.Handler().ServeHTTP(w, r)
		return w.Code, w.Body.Bytes()
	}

	var admin string
	var adminTok store.Token
	var texts []string
	var toks []store.Token
	steps := []struct {
		name string
		do   func(t *testing.T) (added int)
	}{
		{"bootstrap", func(t *testing.T) int {
			var created bool
			var err error
			if admin, created, err = auth.Bootstrap(ctx, db, rand.Reader, "t1", now); err != nil || !created {
				t.Fatalf("bootstrap: %v %v", created, err)
			}
			id, _ := auth.ParseID(admin)
			adminTok = tokenOf(t, db, "t1", id)
			raw := logEntries(t, db, 0)
			wantEntry(t, raw[0], audit.TokenCreated, auth.ActorSystem, adminTok, now)
			texts, toks = append(texts, admin), append(toks, adminTok)
			return 1
		}},
		{"bootstrap again adds nothing", func(t *testing.T) int {
			if _, again, err := auth.Bootstrap(ctx, db, rand.Reader, "t1", now); err != nil || again {
				t.Fatalf("second bootstrap: %v %v", again, err)
			}
			return 0
		}},
		{"create over the API", func(t *testing.T) int {
			before := logSize(t, db)
			code, body := call("POST", "/auth/tokens", admin, `{"owners":["o1"],"actions":["enroll"],"expiresIn":60}`)
			var out struct{ ID, Token string }
			if err := json.Unmarshal(body, &out); code != http.StatusCreated || err != nil {
				t.Fatalf("create: %d %s", code, body)
			}
			tok := tokenOf(t, db, "t1", out.ID)
			wantEntry(t, logEntries(t, db, before)[0], audit.TokenCreated, auth.ActorOf(adminTok), tok, now)
			texts, toks = append(texts, out.Token), append(toks, tok)
			return 1
		}},
		{"revoke over the API", func(t *testing.T) int {
			before := logSize(t, db)
			if code, body := call("POST", "/auth/tokens/"+toks[1].ID+"/revoke", admin, ""); code != http.StatusNoContent {
				t.Fatalf("revoke: %d %s", code, body)
			}
			tok := tokenOf(t, db, "t1", toks[1].ID)
			if tok.RevokedAt.IsZero() {
				t.Fatal("not revoked")
			}
			wantEntry(t, logEntries(t, db, before)[0], audit.TokenRevoked, auth.ActorOf(adminTok), tok, now)
			return 1
		}},
		{"revoking again adds nothing", func(t *testing.T) int {
			if code, _ := call("POST", "/auth/tokens/"+toks[1].ID+"/revoke", admin, ""); code != http.StatusConflict {
				t.Fatalf("second revoke: %d", code)
			}
			return 0
		}},
		{"issue and revoke directly", func(t *testing.T) int {
			before := logSize(t, db)
			text, tok := issue(t, db, auth.Grant{TenantID: "t1", AllOwners: true, Actions: []string{auth.ActionIssue}})
			stored := tokenOf(t, db, "t1", tok.ID)
			if err := auth.Revoke(ctx, db, "t1", tok.ID, now); err != nil {
				t.Fatal(err)
			}
			raw := logEntries(t, db, before)
			wantEntry(t, raw[0], audit.TokenCreated, auth.ActorSystem, stored, t0)
			wantEntry(t, raw[1], audit.TokenRevoked, auth.ActorSystem, tokenOf(t, db, "t1", tok.ID), now)
			texts, toks = append(texts, text), append(toks, tok)
			return 2
		}},
		{"refused issue adds nothing", func(t *testing.T) int {
			if code, _ := call("POST", "/auth/tokens", admin, `{"actions":["root"]}`); code != http.StatusUnprocessableEntity {
				t.Fatalf("status %d", code)
			}
			return 0
		}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			before := logSize(t, db)
			added := st.do(t)
			if got := logSize(t, db) - before; got != uint64(added) {
				t.Fatalf("%d entries added, want %d", got, added)
			}
		})
	}
	for _, raw := range logEntries(t, db, 0) {
		for i := range texts {
			assertNoSecret(t, raw, texts[i], toks[i])
		}
	}
	verifyLog(t, db)
}

// TestTokenChangesNeedAuditLog checks that a transaction without an audit log
// creates no token.
func TestTokenChangesNeedAuditLog(t *testing.T) {
	db := openDB(t)
	err := db.Tx(context.Background(), func(tx store.Tx) error {
		_, _, err := auth.Issue(context.Background(), tokensOnly{tx.(store.TokenTx)}, rand.Reader,
			auth.Grant{TenantID: "t1", Actions: []string{auth.ActionIssue}}, t0)
		return err
	})
	if !errors.Is(err, store.ErrSchema) {
		t.Fatalf("err = %v, want store.ErrSchema", err)
	}
	if toks, _ := db.(store.TokenReader).TokensByTenant(context.Background(), "t1"); len(toks) != 0 {
		t.Fatalf("token recorded without its entry: %v", toks)
	}
}

// tokensOnly hides everything of a transaction but its token methods.
type tokensOnly struct{ store.TokenTx }

// TestTokenDigest checks the digest against canonical JSON written by hand
// (sha256sum of the text), and that it ignores the hash.
func TestTokenDigest(t *testing.T) {
	tok := store.Token{ID: "abc", TenantID: "t1", OwnerIDs: []string{"o1"}, Actions: []string{"enroll"},
		Created: t0.Add(1500 * time.Nanosecond), Hash: [32]byte{1}}
	// {"actions":["enroll"],"allOwners":false,"created":"2026-11-26T09:00:00.000001Z","id":"abc","owners":["o1"],"tenant":"t1"}
	const want = "sha-256:e6143c4ac306b15923a912e625423109cc9682098aa1069fe70d7dac98c8d56f"
	for _, h := range [][32]byte{{1}, {2}} {
		tok.Hash = h
		if got, err := auth.TokenDigest(tok); err != nil || got != want {
			t.Fatalf("digest %s %v, want %s", got, err, want)
		}
	}
}
