package ca_test

import (
	"context"
	"crypto/elliptic"
	"crypto/sha256"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/ca"
	"github.com/kakunin-dev/kakunin/did/kakunin"
	"github.com/kakunin-dev/kakunin/store"
)

// enrollPrompt enrols an agent of the env's model with another prompt under owner
// and returns its DID.
func (e *env) enrollPrompt(owner, prompt string) string {
	e.t.Helper()
	issued, err := e.ca.Enroll(context.Background(), ca.EnrollRequest{Owner: owner, Tenant: tenant,
		CSR: csrFor(e.t, ed25519Key(e.t, "agent "+prompt)), ModelDigest: modelDigest,
		PromptDigest: kakunin.Digest(sha256.Sum256([]byte(prompt)))})
	if err != nil {
		e.t.Fatalf("Enroll: %v", err)
	}
	return issued.ID.String()
}

// verifyStored checks the stored links of did with kakunin.RegistryLink.Verify.
func verifyStored(t *testing.T, db store.DB, did string) []store.Link {
	t.Helper()
	links, err := db.Links(context.Background(), did)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range links {
		rl := kakunin.RegistryLink{Predecessor: l.Predecessor, Successor: l.Successor, Record: l.Record,
			Signature: l.Signature, SuccessorSignature: l.SuccessorSignature}
		if err := rl.Verify(); err != nil {
			t.Errorf("stored link %s → %s: %v", l.Predecessor, l.Successor, err)
		}
	}
	return links
}

func TestLink(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, ca.Options{})
	e.enroll(ed25519Key(t, "agent"))
	old, next := e.did().String(), e.enrollPrompt(ownerID, "prompt v2")
	l, err := e.ca.Link(ctx, ca.LinkRequest{Predecessor: old, Successor: next, Tenant: tenant, Actor: "ops"})
	if err != nil {
		t.Fatal(err)
	}
	if l.PredecessorVersion != 2 || l.SuccessorVersion != 2 || !l.Time.Equal(t0) {
		t.Errorf("Link = %+v; want versions 2 and 2 at %v", l, t0)
	}
	links := verifyStored(t, e.db, next)
	if len(links) != 1 || len(links[0].SuccessorSignature) != 0 {
		t.Fatalf("stored links %+v; want one, signed once (one owner key)", links)
	}
	rec, err := kakunin.ParseLinkRecord(l.Record)
	if err != nil || rec.Predecessor != old || rec.Successor != next || !rec.Created.Equal(t0) {
		t.Errorf("record %+v, %v", rec, err)
	}
	d := ca.LinkDigest(l.Record)
	checkEntries(t, logged(t, e.db, 3), []audit.Entry{
		{Type: ca.DIDLinked, Time: t0, Actor: "ops", Tenant: tenant, Subject: old, Digest: d},
		{Type: ca.DIDLinked, Time: t0, Actor: "ops", Tenant: tenant, Subject: next, Digest: d},
	})
}

// TestLinkTime: the signed record's created, the link's time, both versions and
// both audit entries have one time, also when the successor's latest version is
// after the CA's clock and when the clock has more than the store's precision.
func TestLinkTime(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name       string
		back, nano time.Duration // the clock at linking: back from the successor's enrolment, plus nano
		want       time.Duration // the link's time after t0
	}{
		{"clock behind the successor's version", 30 * time.Minute, 0, time.Hour},
		{"clock with nanoseconds", 0, time.Minute + 1500*time.Nanosecond, time.Hour + time.Minute + time.Microsecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, ca.Options{})
			e.enroll(ed25519Key(t, "agent"))
			old := e.did().String()
			e.clock.Advance(time.Hour)
			next := e.enrollPrompt(ownerID, "prompt v2")
			size := uint64(len(logged(t, e.db, 0)))
			e.clock.Advance(tc.nano - tc.back)
			l, err := e.ca.Link(ctx, ca.LinkRequest{Predecessor: old, Successor: next, Tenant: tenant})
			if err != nil {
				t.Fatal(err)
			}
			want := t0.Add(tc.want)
			rec, err := kakunin.ParseLinkRecord(l.Record)
			if err != nil || !rec.Created.Equal(want) || !l.Time.Equal(want) {
				t.Fatalf("record created %v (%v), link time %v; want both %v", rec.Created, err, l.Time, want)
			}
			for _, d := range []string{old, next} {
				evs, err := e.db.Events(ctx, d)
				if err != nil || len(evs) != 2 || !evs[1].Time.Equal(want) {
					t.Errorf("Events(%s) = %+v, %v; want the linked version at %v", d, evs, err, want)
				}
			}
			entries := logged(t, e.db, size)
			if len(entries) != 2 {
				t.Errorf("logged %+v; want two did.linked entries", entries)
			}
			for _, got := range entries {
				if !got.Time.Equal(want) {
					t.Errorf("audit entry %+v; want it at %v", got, want)
				}
			}
		})
	}
}

// staleDB answers DID with no update time the first stale times, as a read made
// before another transaction added a version would.
type staleDB struct {
	store.DB
	mu    sync.Mutex
	stale int
}

func (s *staleDB) DID(ctx context.Context, did string) (store.DIDState, error) {
	st, err := s.DB.DID(ctx, did)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stale > 0 {
		s.stale--
		st.Updated = time.Time{}
	}
	return st, err
}

// TestLinkTimeMoved: when the store gives the link a later time than the one
// signed (a version was added meanwhile), Link signs again at the new time; when
// that keeps happening it fails with ErrConflict and records nothing.
func TestLinkTimeMoved(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		stale int // DID reads that miss the successor's latest version (two per attempt)
		want  error
	}{
		{"once", 2, nil},
		{"always", 100, ca.ErrConflict},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, ca.Options{})
			e.enroll(ed25519Key(t, "agent"))
			old := e.did().String()
			e.clock.Advance(time.Hour)
			next := e.enrollPrompt(ownerID, "prompt v2")
			e.clock.Advance(-30 * time.Minute)
			c, err := ca.New(&staleDB{DB: e.db, stale: tc.stale}, ca.Options{Now: e.clock.Now, BaseURL: "https://ca.example.com"})
			if err != nil {
				t.Fatal(err)
			}
			if err := c.LoadOwner(ctx, ownerID, e.ownerKey); err != nil {
				t.Fatal(err)
			}
			size := uint64(len(logged(t, e.db, 0)))
			l, err := c.Link(ctx, ca.LinkRequest{Predecessor: old, Successor: next, Tenant: tenant})
			if !errors.Is(err, tc.want) {
				t.Fatalf("Link = %v, want %v", err, tc.want)
			}
			entries, links := logged(t, e.db, size), verifyStored(t, e.db, next)
			if tc.want != nil {
				if len(entries) != 0 || len(links) != 0 {
					t.Errorf("refused link logged %+v, stored %+v", entries, links)
				}
				return
			}
			rec, err := kakunin.ParseLinkRecord(l.Record)
			if want := t0.Add(time.Hour); err != nil || !rec.Created.Equal(want) || !l.Time.Equal(want) {
				t.Errorf("record created %v (%v), link time %v; want both %v", rec.Created, err, l.Time, want)
			}
			if len(entries) != 2 || len(links) != 1 {
				t.Errorf("logged %+v, stored %+v; want two entries and one link", entries, links)
			}
		})
	}
}

func TestLinkTwoOwnerKeys(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, ca.Options{})
	e.enroll(ed25519Key(t, "agent"))
	if _, err := e.ca.InitOwner(ctx, ca.OwnerRequest{ID: "acme-2", TenantID: tenant, Signer: ecKey(t, elliptic.P256())}); err != nil {
		t.Fatal(err)
	}
	next := e.enrollPrompt("acme-2", "prompt v2")
	if _, err := e.ca.Link(ctx, ca.LinkRequest{Predecessor: e.did().String(), Successor: next, Tenant: tenant}); err != nil {
		t.Fatal(err)
	}
	if links := verifyStored(t, e.db, next); len(links) != 1 || len(links[0].SuccessorSignature) == 0 {
		t.Fatalf("stored links %+v; want one signed by both owner keys", links)
	}
}

func TestLinkErrors(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, ca.Options{})
	e.enroll(ed25519Key(t, "agent"))
	old := e.did().String()
	b, c, gone := e.enrollPrompt(ownerID, "b"), e.enrollPrompt(ownerID, "c"), e.enrollPrompt(ownerID, "gone")
	if _, err := e.ca.Link(ctx, ca.LinkRequest{Predecessor: old, Successor: b, Tenant: tenant}); err != nil {
		t.Fatal(err)
	}
	if err := e.ca.Deactivate(ctx, ca.DeactivateRequest{DID: gone, Tenant: tenant}); err != nil {
		t.Fatal(err)
	}
	foreign := "did:kakunin:" + modelDigest.String() + ":" + promptDigest.String() + ":z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
	if _, err := e.ca.InitOwner(ctx, ca.OwnerRequest{ID: "beta", TenantID: "tenant-b", Signer: ed25519Key(t, "beta")}); err != nil {
		t.Fatal(err)
	}
	otherTenant, err := e.ca.Enroll(ctx, ca.EnrollRequest{Owner: "beta", Tenant: "tenant-b",
		CSR: csrFor(t, ed25519Key(t, "agent beta")), ModelDigest: modelDigest, PromptDigest: promptDigest})
	if err != nil {
		t.Fatal(err)
	}
	noHistory := "did:kakunin:" + modelDigest.String() + ":" + kakunin.Digest(sha256.Sum256([]byte("never"))).String() +
		":" + e.owner.Multikey
	tests := []struct {
		name       string
		from, to   string
		tenant     string
		want       error
		wantStored error
	}{
		{"not a DID", "did:web:example.com", b, tenant, ca.ErrInvalidRequest, nil},
		{"successor not a DID", old, "did:web:example.com", tenant, ca.ErrInvalidRequest, nil},
		{"self", c, c, tenant, ca.ErrInvalidRequest, nil},
		{"other tenant", b, c, "tenant-b", ca.ErrForbidden, nil},
		{"successor of another tenant", c, otherTenant.ID.String(), tenant, ca.ErrForbidden, nil},
		{"predecessor of another tenant", otherTenant.ID.String(), c, tenant, ca.ErrForbidden, nil},
		{"owner key not held", old, foreign, tenant, ca.ErrUnknownOwner, nil},
		{"no history", c, noHistory, tenant, ca.ErrNotFound, store.ErrNotFound},
		{"deactivated", c, gone, tenant, ca.ErrDeactivated, store.ErrDeactivated},
		{"already succeeded", old, c, tenant, ca.ErrConflict, store.ErrConflict},
		{"already preceded", c, b, tenant, ca.ErrConflict, store.ErrConflict},
		{"cycle", b, old, tenant, ca.ErrConflict, store.ErrConflict},
	}
	size := uint64(len(logged(t, e.db, 0)))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := len(verifyStored(t, e.db, tc.from)) + len(verifyStored(t, e.db, tc.to))
			_, err := e.ca.Link(ctx, ca.LinkRequest{Predecessor: tc.from, Successor: tc.to, Tenant: tc.tenant})
			if !errors.Is(err, tc.want) || (tc.wantStored != nil && !errors.Is(err, tc.wantStored)) {
				t.Fatalf("Link = %v, want %v", err, tc.want)
			}
			if got := logged(t, e.db, size); len(got) != 0 {
				t.Fatalf("refused link logged %+v", got)
			}
			if after := len(verifyStored(t, e.db, tc.from)) + len(verifyStored(t, e.db, tc.to)); after != before {
				t.Fatalf("refused link stored: %d links of %s and %s, were %d", after, tc.from, tc.to, before)
			}
		})
	}
}
