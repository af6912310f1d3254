package ca_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/ca"
	"github.com/kakunin-dev/kakunin/store"
)

// hookCalls records the hooks' calls.
type hookCalls struct {
	mu      sync.Mutex
	revoked []string // "did reason"
	changed []string
}

func (h *hookCalls) options() ca.Options {
	return ca.Options{
		OnRevoke: func(ctx context.Context, did string, reason ca.Reason) {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.revoked = append(h.revoked, did+" "+ca.ReasonName(reason))
		},
		OnChange: func(ctx context.Context, did string) {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.changed = append(h.changed, did)
		},
	}
}

func TestHooks(t *testing.T) {
	ctx := context.Background()
	h := &hookCalls{}
	e := newEnv(t, h.options())
	did := e.did().String()
	key := ed25519Key(t, "agent")
	first := e.enroll(key)
	req := renewal(t, e, first, ed25519Key(t, "agent 2"), key)
	req.RevokeOld = true
	second, err := e.ca.Renew(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	revoke := ca.RevokeRequest{Owner: ownerID, Tenant: tenant, Serial: second.Certificate.SerialNumber, Reason: store.ReasonKeyCompromise}
	if err := e.ca.Revoke(ctx, revoke); err != nil {
		t.Fatal(err)
	}
	if err := e.ca.Revoke(ctx, revoke); err == nil {
		t.Fatal("second Revoke succeeded")
	}
	e.enroll(ed25519Key(t, "agent 3"))
	if err := e.ca.Deactivate(ctx, ca.DeactivateRequest{DID: did, Tenant: tenant}); err != nil {
		t.Fatal(err)
	}
	wantRevoked := []string{did + " " + ca.ReasonName(store.ReasonKeyCompromise), did + " " + ca.ReasonName(store.ReasonCessationOfOperation)}
	if !slices.Equal(h.revoked, wantRevoked) {
		t.Errorf("OnRevoke calls %q, want %q (none for the rotation or the failed revocation)", h.revoked, wantRevoked)
	}
	if want := []string{did, did, did, did, did}; !slices.Equal(h.changed, want) {
		t.Errorf("OnChange calls %q, want %q (enrol, renew, revoke, enrol, deactivate)", h.changed, want)
	}
}

func TestRevocations(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, ca.Options{})
	did := e.did().String()
	list := func() []ca.Revocation {
		t.Helper()
		r, err := e.ca.Revocations(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	key := ed25519Key(t, "agent")
	first := e.enroll(key)
	req := renewal(t, e, first, ed25519Key(t, "agent 2"), key)
	req.RevokeOld = true
	second, err := e.ca.Renew(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if got := list(); len(got) != 0 {
		t.Fatalf("after a rotation: %+v, want none", got)
	}
	e.clock.Advance(time.Minute)
	at := e.clock.Now()
	err = e.ca.Revoke(ctx, ca.RevokeRequest{Owner: ownerID, Tenant: tenant, Serial: second.Certificate.SerialNumber, Reason: store.ReasonKeyCompromise})
	if err != nil {
		t.Fatal(err)
	}
	want := []ca.Revocation{{DID: did, Reason: store.ReasonKeyCompromise, At: at}}
	if got := list(); len(got) != 1 || got[0].DID != want[0].DID || got[0].Reason != want[0].Reason || !got[0].At.Equal(at) {
		t.Fatalf("after revocation: %+v, want %+v", got, want)
	}
	e.enroll(ed25519Key(t, "agent 3"))
	if got := list(); len(got) != 0 {
		t.Fatalf("after re-enrolment: %+v, want none", got)
	}
	if err := e.ca.Deactivate(ctx, ca.DeactivateRequest{DID: did, Tenant: tenant}); err != nil {
		t.Fatal(err)
	}
	if got := list(); len(got) != 1 || got[0].Reason != store.ReasonCessationOfOperation {
		t.Fatalf("after deactivation: %+v, want the DID, cessationOfOperation", got)
	}
	e.clock.Advance(ca.DefaultValidity + ca.DefaultCRLValidity + time.Minute)
	if got := list(); len(got) != 0 {
		t.Fatalf("once off the CRL: %+v, want none", got)
	}
}
