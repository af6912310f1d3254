package issuer_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/sqlite"
	"github.com/kakunin-dev/kakunin/vc/issuer"
	"github.com/kakunin-dev/kakunin/vc/issuer/issuertest"
	"github.com/kakunin-dev/kakunin/vc/status"
)

// TestSQLStore runs issuance and status changes on the SQLite store through NewSQLStore: the
// credential, its status entries and the audit entries commit together, and a refused
// issuance leaves nothing behind.
func TestSQLStore(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "kakunin.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	st, err := issuer.NewSQLStore(db)
	if err != nil {
		t.Fatal(err)
	}
	e := issuertest.NewWithStore(t, st)
	agent := e.KakuninAgent(t, "sql", false)
	out, err := e.Issuer.Issue(ctx, issuer.IssueRequest{Credential: issuertest.Credential(agent), Caller: e.Caller})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := st.Credential(ctx, out.ID)
	if err != nil || rec.SubjectDID != agent || len(rec.Status) != 2 {
		t.Fatalf("record %+v, %v", rec, err)
	}
	if _, err := e.Issuer.Issue(ctx, issuer.IssueRequest{Credential: issuertest.Credential(agent),
		Caller: issuer.Caller{ID: "x", Tenant: "globex"}}); !errors.Is(err, issuer.ErrNotAuthorized) {
		t.Fatalf("refusal: %v", err)
	}
	if err := e.Issuer.Suspend(ctx, out.ID, e.Caller); err != nil {
		t.Fatal(err)
	}
	if n, err := e.Issuer.SuspendAllForDID(ctx, agent, "certificate revoked"); err != nil || n != 0 {
		t.Fatalf("SuspendAllForDID of a suspended credential: %d %v, want nothing to change", n, err)
	}
	if err := e.Issuer.Revoke(ctx, out.ID, e.Caller); err != nil {
		t.Fatal(err)
	}
	if err := e.Issuer.SetStatus(ctx, out.ID, status.Revocation, false, e.Caller); !errors.Is(err, issuer.ErrConflict) {
		t.Errorf("clearing a revocation: %v", err)
	}
	if got := listBit(t, e, out, status.Revocation); got != 1 {
		t.Errorf("revocation bit %d", got)
	}
	if got := listBit(t, e, out, status.Suspension); got != 1 {
		t.Errorf("suspension bit %d", got)
	}
	adb, ok := db.(store.AuditDB)
	if !ok {
		t.Fatal("the SQLite store keeps no audit log")
	}
	entries, err := adb.EntriesForDID(ctx, agent, 0, 100)
	if err != nil || len(entries) != 3 {
		t.Errorf("%d audit entries for the agent (issued, suspended, revoked), %v", len(entries), err)
	}
}
