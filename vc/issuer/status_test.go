package issuer_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/vc"
	"github.com/kakunin-dev/kakunin/vc/issuer"
	"github.com/kakunin-dev/kakunin/vc/issuer/issuertest"
	"github.com/kakunin-dev/kakunin/vc/status"
)

// listBit reads the bit of a credential's entry of purpose from the served list credential.
func listBit(t *testing.T, e *issuertest.Env, out *issuer.Issued, p status.Purpose) uint64 {
	t.Helper()
	for _, s := range out.Status {
		if s.Purpose != p {
			continue
		}
		raw, err := e.Issuer.Fetcher(nil).Fetch(context.Background(), s.URL)
		if err != nil {
			t.Fatal(err)
		}
		c, err := vc.ParseCredential(raw, vc.ParseOptions{})
		if err != nil {
			t.Fatal(err)
		}
		l, err := status.ParseList(c, status.DecodeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		v, err := l.Bits.Get(s.Index, 1)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	t.Fatalf("no %s entry", p)
	return 0
}

func TestStatusChanges(t *testing.T) {
	e := issuertest.New(t)
	ctx := context.Background()
	out, err := e.Issuer.Issue(ctx, issuer.IssueRequest{Credential: issuertest.Credential(e.Agent), Caller: e.Caller})
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name          string
		do            func() error
		revoked, susp uint64
		wantErr       error
	}{
		{"issued", func() error { return nil }, 0, 0, nil},
		{"suspend", func() error { return e.Issuer.Suspend(ctx, out.ID, e.Caller) }, 0, 1, nil},
		{"unsuspend", func() error { return e.Issuer.Unsuspend(ctx, out.ID, e.Caller) }, 0, 0, nil},
		{"other tenant", func() error { return e.Issuer.Revoke(ctx, out.ID, issuer.Caller{ID: "x", Tenant: "globex"}) }, 0, 0, issuer.ErrNotAuthorized},
		{"unknown credential", func() error { return e.Issuer.Revoke(ctx, "urn:uuid:none", e.Caller) }, 0, 0, issuer.ErrNotFound},
		{"revoke", func() error { return e.Issuer.Revoke(ctx, out.ID, e.Caller) }, 1, 0, nil},
		{"revocation is final", func() error {
			return e.Issuer.SetStatus(ctx, out.ID, status.Revocation, false, e.Caller)
		}, 1, 0, issuer.ErrConflict},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if err := s.do(); !errors.Is(err, s.wantErr) || (err == nil) != (s.wantErr == nil) {
				t.Fatalf("error %v, want %v", err, s.wantErr)
			}
			if r, su := listBit(t, e, out, status.Revocation), listBit(t, e, out, status.Suspension); r != s.revoked || su != s.susp {
				t.Errorf("revoked %d suspended %d, want %d %d", r, su, s.revoked, s.susp)
			}
		})
	}
	var changes int
	for _, a := range auditEntries(t, e) {
		if a.Type == audit.StatusChanged {
			changes++
		}
	}
	if changes != 3 {
		t.Errorf("%d status audit entries, want 3", changes)
	}
}

func TestSuspendAllForDID(t *testing.T) {
	e := issuertest.New(t)
	ctx := context.Background()
	agent := e.KakuninAgent(t, "a", false)
	var issued []*issuer.Issued
	for range 3 {
		out, err := e.Issuer.Issue(ctx, issuer.IssueRequest{Credential: issuertest.Credential(agent), Caller: e.Caller})
		if err != nil {
			t.Fatal(err)
		}
		issued = append(issued, out)
	}
	other, err := e.Issuer.Issue(ctx, issuer.IssueRequest{Credential: issuertest.Credential(e.Agent), Caller: e.Caller})
	if err != nil {
		t.Fatal(err)
	}
	n, err := e.Issuer.SuspendAllForDID(ctx, agent, "certificate revoked: keyCompromise")
	if err != nil || n != 3 {
		t.Fatalf("suspended %d, %v", n, err)
	}
	for _, out := range issued {
		if listBit(t, e, out, status.Suspension) != 1 {
			t.Errorf("%s not suspended", out.ID)
		}
	}
	if listBit(t, e, other, status.Suspension) != 0 {
		t.Error("another agent's credential was suspended")
	}
}

func TestStatusListCredential(t *testing.T) {
	e := issuertest.New(t)
	ctx := context.Background()
	out, err := e.Issuer.Issue(ctx, issuer.IssueRequest{Credential: issuertest.Credential(e.Agent), Caller: e.Caller})
	if err != nil {
		t.Fatal(err)
	}
	rev := out.Status[0]
	first, err := e.Issuer.StatusListCredential(ctx, "main", status.Revocation, rev.ListID)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := e.Issuer.StatusListCredential(ctx, "main", status.Revocation, rev.ListID)
	if string(first.Body) != string(again.Body) || first.TTL <= 0 {
		t.Error("unchanged list signed again")
	}
	if err := e.Issuer.Revoke(ctx, out.ID, e.Caller); err != nil {
		t.Fatal(err)
	}
	changed, _ := e.Issuer.StatusListCredential(ctx, "main", status.Revocation, rev.ListID)
	if string(changed.Body) == string(first.Body) || !strings.Contains(string(changed.Body), `"proof"`) {
		t.Error("changed list not signed again")
	}
	for _, bad := range []struct{ inst, purpose, id string }{
		{"main", "suspension", rev.ListID}, {"web", "revocation", rev.ListID}, {"main", "revocation", "nope"}, {"", "revocation", rev.ListID},
	} {
		if _, err := e.Issuer.StatusListCredential(ctx, bad.inst, status.Purpose(bad.purpose), bad.id); !errors.Is(err, issuer.ErrNotFound) {
			t.Errorf("%v: %v", bad, err)
		}
	}
}
