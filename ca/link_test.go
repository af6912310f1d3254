package ca_test

import (
	"context"
	"crypto/elliptic"
	"crypto/sha256"
	"errors"
	"testing"

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
			_, err := e.ca.Link(ctx, ca.LinkRequest{Predecessor: tc.from, Successor: tc.to, Tenant: tc.tenant})
			if !errors.Is(err, tc.want) || (tc.wantStored != nil && !errors.Is(err, tc.wantStored)) {
				t.Fatalf("Link = %v, want %v", err, tc.want)
			}
			if got := logged(t, e.db, size); len(got) != 0 {
				t.Fatalf("refused link logged %+v", got)
			}
		})
	}
}
