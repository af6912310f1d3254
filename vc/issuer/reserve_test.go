package issuer_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/sqlite"
	"github.com/kakunin-dev/kakunin/vc/issuer"
	"github.com/kakunin-dev/kakunin/vc/issuer/issuertest"
	"github.com/kakunin-dev/kakunin/vc/status"
)

// openSQLite returns the issuer store of a new SQLite database and the database.
func openSQLite(t *testing.T) (issuer.Store, store.DB) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "kakunin.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	st, err := issuer.NewSQLStore(db)
	if err != nil {
		t.Fatal(err)
	}
	return st, db
}

// TestConcurrentSQLIssuance issues from 64 goroutines at once on SQLite, so that
// group-committed batches hold many credentials and the reserved entries run out
// and are refilled while issuances wait: every issuance succeeds, no entry is
// given out twice, and each stored credential has the entries it was issued with.
func TestConcurrentSQLIssuance(t *testing.T) {
	st, _ := openSQLite(t)
	e := issuertest.NewWithStore(t, st)
	const workers, each = 64, 6
	issued := issueConcurrently(t, e, workers, each)
	seen := map[string]bool{}
	for _, out := range issued {
		rec, err := st.Credential(context.Background(), out.ID)
		if err != nil || len(rec.Status) != 2 {
			t.Fatalf("record %s: %+v, %v", out.ID, rec, err)
		}
		for i, s := range out.Status {
			k := fmt.Sprintf("%s/%d", s.ListID, s.Index)
			if seen[k] || rec.Status[i].ListID != s.ListID || rec.Status[i].Index != s.Index {
				t.Errorf("index %s given out twice, or not stored with %s", k, out.ID)
			}
			seen[k] = true
		}
	}
	if len(seen) != 2*workers*each {
		t.Errorf("%d indexes for %d issuances", len(seen), workers*each)
	}
}

// TestReservedEntriesReuse: an issuance that fails before its transaction (here in
// signing) hands its reserved entries out again; one whose credential id is found taken
// at commit does not; the list counts one block of reserved indexes.
func TestReservedEntriesReuse(t *testing.T) {
	ctx := context.Background()
	st, _ := openSQLite(t)
	e := issuertest.NewWithStore(t, st)
	free := func() int { return issuer.PoolFree(e.Issuer, e.Issuer.Instances()[0].Name, status.Revocation) }
	ok := issuer.IssueRequest{Credential: issuertest.Credential(e.Agent), Caller: e.Caller}
	out, err := e.Issuer.Issue(ctx, ok)
	if err != nil {
		t.Fatal(err)
	}
	if n := free(); n != issuer.DefaultStatusReserve-1 {
		t.Fatalf("%d entries left after one issuance, want %d", n, issuer.DefaultStatusReserve-1)
	}
	if l, err := st.StatusList(ctx, out.Status[0].ListID); err != nil || l.Capacity != l.Entries/2 {
		t.Fatalf("list capacity %d of %d entries, %v; want half by default", l.Capacity, l.Entries, err)
	}
	undefined := ok
	undefined.Credential = []byte(strings.Replace(string(ok.Credential), `"type"`, `"undefinedTerm": 1, "type"`, 1))
	if _, err := e.Issuer.Issue(ctx, undefined); !errors.Is(err, issuer.ErrInvalidRequest) {
		t.Fatalf("a term no context defines: %v", err)
	}
	if n := free(); n != issuer.DefaultStatusReserve-1 {
		t.Errorf("%d entries left after a signing failure, want them handed back", n)
	}
	taken := ok
	taken.CredentialID = out.ID
	if _, err := e.Issuer.Issue(ctx, taken); !errors.Is(err, issuer.ErrConflict) {
		t.Fatalf("a taken credential id: %v", err)
	}
	if n := free(); n != issuer.DefaultStatusReserve-2 {
		t.Errorf("%d entries left after a conflict at commit, want those entries dropped", n)
	}
	// The refused issuance's entry was released: a refused request costs no capacity.
	l, err := st.StatusList(ctx, out.Status[0].ListID)
	if err != nil || l.Allocated != issuer.DefaultStatusReserve-1 {
		t.Errorf("list allocated %d, %v; want one block of %d less the released entry",
			l.Allocated, err, issuer.DefaultStatusReserve)
	}
}

// TestReleaseReserved: the indexes reserved and not used are given back, the issued
// credential keeps its entries, and issuance goes on afterwards.
func TestReleaseReserved(t *testing.T) {
	ctx := context.Background()
	st, _ := openSQLite(t)
	e := issuertest.NewWithStore(t, st)
	req := issuer.IssueRequest{Credential: issuertest.Credential(e.Agent), Caller: e.Caller}
	out, err := e.Issuer.Issue(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	n, err := e.Issuer.ReleaseReserved(ctx)
	if err != nil || n != 2*(issuer.DefaultStatusReserve-1) {
		t.Fatalf("ReleaseReserved = %d, %v; want %d", n, err, 2*(issuer.DefaultStatusReserve-1))
	}
	for _, s := range out.Status {
		l, err := st.StatusList(ctx, s.ListID)
		if err != nil || l.Allocated != 1 {
			t.Errorf("%s list allocated %d, %v; want 1", s.Purpose, l.Allocated, err)
		}
	}
	if rec, err := st.Credential(ctx, out.ID); err != nil || len(rec.Status) != 2 {
		t.Errorf("record %+v, %v", rec, err)
	}
	if _, err := e.Issuer.Issue(ctx, req); err != nil {
		t.Error(err)
	}
}
