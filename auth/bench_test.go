package auth_test

import (
	"testing"

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
