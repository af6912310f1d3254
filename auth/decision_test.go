package auth_test

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/auth"
	"github.com/kakunin-dev/kakunin/ca/cahttp"
	"github.com/kakunin-dev/kakunin/server"
	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/vc/vcapi"
)

// TestRefusalsLogged checks that each refused write request through Authorize,
// the CA and VC API authorizers and Require adds exactly one authz.decision
// entry naming the action, owner, outcome and token id (never the token), while
// granted and read requests add none; the log then verifies.
func TestRefusalsLogged(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	now := t0.Add(2 * time.Hour)
	good, goodTok := issue(t, db, auth.Grant{TenantID: "t1", OwnerIDs: []string{"o1"}, Actions: []string{auth.ActionRevoke}})
	expired, expTok := issue(t, db, auth.Grant{TenantID: "t1", AllOwners: true, Actions: []string{auth.ActionRevoke},
		Expires: t0.Add(time.Hour)})
	unknown, unknownID, unknownHash, _ := auth.NewToken(rand.Reader)
	a := auth.New(db.(auth.Store), auth.Options{Now: func() time.Time { return now }, Audit: db})
	srv := server.New(server.Config{}, auth.NewHandler(a, db))
	viaHTTP := func(method string) func(*http.Request) error {
		return func(r *http.Request) error {
			r.Method = method
			r.URL.Path = "/auth/tokens"
			w := httptest.NewRecorder()
			srv.Handler().ServeHTTP(w, r)
			switch w.Code {
			case http.StatusUnauthorized:
				return auth.ErrUnauthenticated
			case http.StatusForbidden:
				return auth.ErrForbidden
			}
			return nil
		}
	}
	authorize := func(owner, action string) func(*http.Request) error {
		return func(r *http.Request) error { _, err := a.Authorize(ctx, r, owner, action); return err }
	}
	tests := []struct {
		name, token string
		tok         store.Token // the token presented, when the store knows it
		call        func(*http.Request) error
		want        error
		logged      *auth.Decision
	}{
		{"no token", "", store.Token{}, authorize("o1", auth.ActionRevoke), auth.ErrUnauthenticated,
			&auth.Decision{Action: auth.ActionRevoke, Owner: "o1", Outcome: auth.OutcomeUnauthenticated}},
		{"malformed", "kak_short", store.Token{}, authorize("o1", auth.ActionRevoke), auth.ErrUnauthenticated,
			&auth.Decision{Action: auth.ActionRevoke, Owner: "o1", Outcome: auth.OutcomeUnauthenticated}},
		{"unknown", unknown, store.Token{}, authorize("o1", auth.ActionRevoke), auth.ErrUnauthenticated,
			&auth.Decision{Action: auth.ActionRevoke, Owner: "o1", Outcome: auth.OutcomeUnauthenticated, TokenID: unknownID}},
		{"expired", expired, expTok, authorize("o1", auth.ActionRevoke), auth.ErrUnauthenticated,
			&auth.Decision{Action: auth.ActionRevoke, Owner: "o1", Outcome: auth.OutcomeUnauthenticated, TokenID: expTok.ID}},
		{"wrong owner, unbounded text", good, goodTok, authorize("o2\xff", auth.ActionRevoke), auth.ErrForbidden,
			&auth.Decision{Action: auth.ActionRevoke, Owner: "o2\uFFFD", Outcome: auth.OutcomeForbidden, TokenID: goodTok.ID}},
		{"CA authorizer", good, goodTok, func(r *http.Request) error {
			_, err := a.CA().Authorize(ctx, r, "o1", cahttp.ActionEnroll)
			return err
		}, auth.ErrForbidden, &auth.Decision{Action: auth.ActionEnroll, Owner: "o1", Outcome: auth.OutcomeForbidden, TokenID: goodTok.ID}},
		{"VC API authorizer", good, goodTok, func(r *http.Request) error {
			_, err := a.VCAPI().Authorize(r, "", vcapi.ActionIssue)
			return err
		}, auth.ErrForbidden, &auth.Decision{Action: auth.ActionIssue, Outcome: auth.OutcomeForbidden, TokenID: goodTok.ID}},
		{"Require, write", good, goodTok, viaHTTP(http.MethodPost), auth.ErrForbidden,
			&auth.Decision{Action: auth.ActionAdmin, Outcome: auth.OutcomeForbidden, TokenID: goodTok.ID}},
		{"Require, read is not logged", good, goodTok, viaHTTP(http.MethodGet), auth.ErrForbidden, nil},
		{"granted is not logged", good, goodTok, authorize("o1", auth.ActionRevoke), nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := logSize(t, db)
			if err := tc.call(request(tc.token)); !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			raw := logEntries(t, db, before)
			if tc.logged == nil {
				if len(raw) != 0 {
					t.Fatalf("logged %s", raw)
				}
				return
			}
			if len(raw) != 1 {
				t.Fatalf("%d entries, want 1", len(raw))
			}
			d, err := tc.logged.Digest()
			if err != nil {
				t.Fatal(err)
			}
			want := audit.Entry{Type: audit.AuthzDecision, Actor: auth.ActorAnonymous, Tenant: auth.TenantUnknown, Digest: d}
			if tc.tok.ID != "" {
				want.Actor, want.Tenant = auth.ActorOf(tc.tok), tc.tok.TenantID
			}
			if got := parse(t, raw[0]); got.Type != want.Type || got.Actor != want.Actor || got.Tenant != want.Tenant ||
				got.Digest != want.Digest || !got.Time.Equal(now) {
				t.Errorf("entry %+v, want %+v", got, want)
			}
			for text, tok := range map[string]store.Token{good: goodTok, expired: expTok, unknown: {Hash: unknownHash}} {
				assertNoSecret(t, raw[0], text, tok)
			}
		})
	}
	verifyLog(t, db)
}

// TestRefusalFlood checks the DenialLimit: a key logs at most PerWindow
// refusals per window, the rest are counted into one summary entry logged
// after the window, keys beyond MaxKeys share one budget, and the log verifies.
func TestRefusalFlood(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	now := t0
	text, _ := issue(t, db, auth.Grant{TenantID: "t1", OwnerIDs: []string{"o1"}, Actions: []string{auth.ActionRevoke}})
	id, _ := auth.ParseID(text)
	a := auth.New(db.(auth.Store), auth.Options{Now: func() time.Time { return now }, Audit: db,
		Denials: auth.DenialLimit{PerWindow: 3, Window: time.Minute, MaxKeys: 2}})
	refuse := func(n int, token, addr string) {
		for range n {
			r := request(token)
			r.RemoteAddr = addr
			if _, err := a.Authorize(ctx, r, "o2", auth.ActionRevoke); !errors.Is(err, auth.ErrForbidden) &&
				!errors.Is(err, auth.ErrUnauthenticated) {
				t.Fatalf("err = %v", err)
			}
		}
	}
	start := now
	before := logSize(t, db)
	refuse(50, text, "192.0.2.1:1000")
	if got := logSize(t, db) - before; got != 3 {
		t.Fatalf("flood of 50 logged %d entries, want 3", got)
	}
	now = now.Add(time.Minute)
	before = logSize(t, db)
	refuse(1, text, "192.0.2.1:1000")
	raw := logEntries(t, db, before)
	if len(raw) != 2 {
		t.Fatalf("after the window: %d entries, want summary and refusal", len(raw))
	}
	d, err := auth.SummaryDigest(id, 47, start, start.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if got := parse(t, raw[0]); got.Type != audit.AuthzDecision || got.Digest != d || got.Actor != "token:"+id || got.Tenant != "t1" {
		t.Errorf("summary %+v, want digest %s", got, d)
	}

	// Keys beyond MaxKeys (the token above is one) share one budget.
	before = logSize(t, db)
	for i := range 20 {
		refuse(1, "", fmt.Sprintf("198.51.100.%d:1", i))
	}
	if got := logSize(t, db) - before; got != 1+3 {
		t.Fatalf("20 clients logged %d entries, want 1 own + 3 shared", got)
	}

	// The shared budget's count (16) is summarised by another key's refusal
	// after the window, or by FlushRefusals within it.
	now = now.Add(time.Minute)
	before = logSize(t, db)
	refuse(5, "", "203.0.113.9:1")
	if got := logSize(t, db) - before; got != 1+3 {
		t.Fatalf("next window logged %d entries, want 1 summary + 3 refusals", got)
	}
	d, err = auth.SummaryDigest("", 16, now.Add(-time.Minute), now)
	if err != nil {
		t.Fatal(err)
	}
	if got := parse(t, logEntries(t, db, before)[0]); got.Digest != d || got.Actor != auth.ActorAnonymous || got.Tenant != auth.TenantUnknown {
		t.Errorf("overflow summary %+v, want digest %s", got, d)
	}
	now = now.Add(time.Second)
	before = logSize(t, db)
	if err := a.FlushRefusals(ctx); err != nil {
		t.Fatal(err)
	}
	raw = logEntries(t, db, before)
	if d, _ = auth.SummaryDigest("", 2, now.Add(-time.Second), now); len(raw) != 1 || parse(t, raw[0]).Digest != d {
		t.Fatalf("flush logged %q, want one summary of 2", raw)
	}
	if err := a.FlushRefusals(ctx); err != nil || logSize(t, db) != before+1 {
		t.Fatalf("second flush: %v, size %d", err, logSize(t, db))
	}
	verifyLog(t, db)
}

// TestRefusalsNotLoggedByDefault checks that the zero Options log nothing.
func TestRefusalsNotLoggedByDefault(t *testing.T) {
	db := openDB(t)
	a := auth.New(db.(auth.Store), auth.Options{})
	before := logSize(t, db)
	if _, err := a.Authorize(context.Background(), request(""), "o1", auth.ActionRevoke); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatal(err)
	}
	if got := logSize(t, db); got != before {
		t.Fatalf("logged %d entries", got-before)
	}
}
