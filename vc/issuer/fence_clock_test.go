package issuer_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/vc/issuer"
	"github.com/kakunin-dev/kakunin/vc/issuer/issuertest"
	"github.com/kakunin-dev/kakunin/vc/status"
)

// TestFenceAcrossClocks: two replicas share a store, the issuing one's clock ahead of the
// cascading one's. An issuance whose policy check passed before the cascade, and that
// reaches its transaction after it, is refused although it was issued, by its own clock,
// after the change the cascade recorded by its clock: a fence compared by time would let it
// through unsuspended.
func TestFenceAcrossClocks(t *testing.T) {
	for _, ahead := range []time.Duration{time.Second, time.Hour} {
		t.Run(ahead.String(), func(t *testing.T) {
			eachStore(t, func(t *testing.T, st issuer.Store, _ audit.Reader) {
				testFenceAcrossClocks(t, st, ahead)
			})
		})
	}
}

func testFenceAcrossClocks(t *testing.T, st issuer.Store, ahead time.Duration) {
	ctx := context.Background()
	hs := &hookStore{Store: st}
	issuing, cascading := issuertest.NewWithStore(t, hs), issuertest.NewWithStore(t, st)
	issuing.Clock.Advance(ahead)
	agent := issuing.KakuninAgent(t, "fenced", false)
	req := issuer.IssueRequest{Credential: credentialOf(issuing.Agent, agent), Caller: issuing.Caller}
	first, err := issuing.Issuer.Issue(ctx, req) // also fills the reserve pools
	if err != nil {
		t.Fatal(err)
	}
	var suspended int
	cascade := func() { // after the next issuance's policy check, before its record
		cascading.Clock.Advance(ahead / 2) // still behind the issuing clock
		var err error
		if suspended, err = cascading.Issuer.SuspendAllForDID(ctx, agent, "certificate revoked"); err != nil {
			t.Error(err)
		}
	}
	hs.before.Store(&cascade)
	_, err = issuing.Issuer.Issue(ctx, req)
	if !errors.Is(err, issuer.ErrConflict) || !errors.Is(err, store.ErrSubjectChanged) {
		t.Fatalf("issuance across a cascade whose clock is %v behind: %v, want ErrConflict and "+
			"store.ErrSubjectChanged", ahead/2, err)
	}
	if suspended != 1 || listBit(t, issuing, first, status.Suspension) != 1 {
		t.Errorf("the cascade suspended %d credentials, want the first", suspended)
	}
	if got, err := st.CredentialsBySubject(ctx, agent); err != nil || len(got) != 1 {
		t.Errorf("%d credentials of the agent stored (%v), want only the first", len(got), err)
	}
	if _, err := issuing.Issuer.Issue(ctx, req); err != nil {
		t.Fatalf("issuing again after the cascade: %v", err)
	}
}
