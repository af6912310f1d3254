package store_test

import (
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/store"
)

func TestTokenActiveAllows(t *testing.T) {
	t0 := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	scoped := store.Token{OwnerIDs: []string{"o1"}, Actions: []string{"issue"}, Expires: t0.Add(time.Hour)}
	all := store.Token{AllOwners: true, Actions: []string{"issue", "revoke"}}
	revoked := all
	revoked.RevokedAt = t0
	tests := []struct {
		name          string
		tok           store.Token
		now           time.Time
		owner, action string
		active, allow bool
	}{
		{"scoped, its owner", scoped, t0, "o1", "issue", true, true},
		{"scoped, another owner", scoped, t0, "o2", "issue", true, false},
		{"scoped, tenant-wide action", scoped, t0, "", "issue", true, true},
		{"scoped, action not granted", scoped, t0, "o1", "revoke", true, false},
		{"at its expiry", scoped, t0.Add(time.Hour), "o1", "issue", false, true},
		{"all owners, no expiry", all, t0.AddDate(50, 0, 0), "o9", "revoke", true, true},
		{"revoked", revoked, t0, "o9", "revoke", false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.tok.Active(tc.now); got != tc.active {
				t.Errorf("Active = %v, want %v", got, tc.active)
			}
			if got := tc.tok.Allows(tc.owner, tc.action); got != tc.allow {
				t.Errorf("Allows(%q, %q) = %v, want %v", tc.owner, tc.action, got, tc.allow)
			}
		})
	}
}
