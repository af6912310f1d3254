package issuer_test

import (
	"context"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/vc/issuer"
	"github.com/kakunin-dev/kakunin/vc/status"
)

// TestCascadePending: the one rule by which the cascade skips a credential and the
// reconciliation decides whether to run it.
func TestCascadePending(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	entries := []store.StatusEntry{{ListID: "r", Index: 1, Purpose: status.Revocation}, {ListID: "s", Index: 1, Purpose: status.Suspension}}
	rec := func(until time.Time, e []store.StatusEntry) store.Credential {
		return store.Credential{ID: "c", Status: e, ValidUntil: until}
	}
	tests := []struct {
		name    string
		rec     store.Credential
		set     string // the list whose entry is set
		purpose status.Purpose
		want    bool
	}{
		{"suspension, nothing set", rec(now.Add(time.Hour), entries), "", status.Suspension, true},
		{"suspension, suspended", rec(now.Add(time.Hour), entries), "s", status.Suspension, false},
		{"suspension, revoked", rec(now.Add(time.Hour), entries), "r", status.Suspension, false},
		{"revocation, suspended", rec(now.Add(time.Hour), entries), "s", status.Revocation, true},
		{"revocation, revoked", rec(now.Add(time.Hour), entries), "r", status.Revocation, false},
		{"no validUntil", rec(time.Time{}, entries), "", status.Suspension, true},
		{"expired", rec(now, entries), "", status.Suspension, false},
		{"no entry", rec(now.Add(time.Hour), nil), "", status.Suspension, false},
		{"revocation without its entry", rec(now.Add(time.Hour), entries[1:]), "", status.Revocation, false},
	}
	for _, tt := range tests {
		read := func(_ context.Context, list string, _ int) (uint64, error) {
			if list == tt.set {
				return 1, nil
			}
			return 0, nil
		}
		if got, err := issuer.CascadePending(context.Background(), tt.rec, tt.purpose, now, read); err != nil || got != tt.want {
			t.Errorf("%s: %v, %v; want %v", tt.name, got, err, tt.want)
		}
	}
}
