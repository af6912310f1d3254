package auth_test

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/auth"
)

// BenchmarkAuthorize measures the per-request cost of a token check on SQLite:
// parse, hash, one indexed lookup, constant-time compare, scope check.
func BenchmarkAuthorize(b *testing.B) {
	db := openDB(b)
	text, _ := issue(b, db, auth.Grant{TenantID: "t1", OwnerIDs: []string{"o1"}, Actions: []string{auth.ActionEnroll}})
	a := auth.New(db.(auth.Store), auth.Options{})
	r := request(text)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.Authorize(b.Context(), r, "o1", auth.ActionEnroll); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRefusalSuppressed measures a refused write request once its key's
// DenialLimit is spent: the token check and the limiter, no database write.
func BenchmarkRefusalSuppressed(b *testing.B) {
	db := openDB(b)
	text, _ := issue(b, db, auth.Grant{TenantID: "t1", OwnerIDs: []string{"o1"}, Actions: []string{auth.ActionEnroll}})
	a := auth.New(db.(auth.Store), auth.Options{Audit: db, Now: func() time.Time { return t0 },
		Denials: auth.DenialLimit{PerWindow: 1}})
	r := request(text)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.Authorize(b.Context(), r, "o2", auth.ActionEnroll); !errors.Is(err, auth.ErrForbidden) {
			b.Fatal(err)
		}
	}
}

// BenchmarkRefusalLogged measures a refused write request that is logged: the
// token check and one audit append in its own SQLite transaction.
func BenchmarkRefusalLogged(b *testing.B) {
	db := openDB(b)
	text, _ := issue(b, db, auth.Grant{TenantID: "t1", OwnerIDs: []string{"o1"}, Actions: []string{auth.ActionEnroll}})
	a := auth.New(db.(auth.Store), auth.Options{Audit: db, Now: func() time.Time { return t0 },
		Denials: auth.DenialLimit{PerWindow: math.MaxInt}})
	r := request(text)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.Authorize(b.Context(), r, "o2", auth.ActionEnroll); !errors.Is(err, auth.ErrForbidden) {
			b.Fatal(err)
		}
	}
}
