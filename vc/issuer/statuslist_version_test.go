package issuer_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/sqlite"
	"github.com/kakunin-dev/kakunin/vc/issuer"
	"github.com/kakunin-dev/kakunin/vc/issuer/issuertest"
	"github.com/kakunin-dev/kakunin/vc/status"
)

// countingStore counts the whole-list and version-only reads of a Store that implements
// store.StatusVersionReader.
type countingStore struct {
	issuer.Store
	lists, versions atomic.Int64
}

func (s *countingStore) StatusList(ctx context.Context, id string) (store.StatusList, error) {
	s.lists.Add(1)
	return s.Store.StatusList(ctx, id)
}

func (s *countingStore) StatusListVersion(ctx context.Context, id string) (int64, error) {
	s.versions.Add(1)
	return s.Store.(store.StatusVersionReader).StatusListVersion(ctx, id)
}

// TestStatusListVersionCheck: while its signed copy is fresh, a list is served after a
// version read alone, and a status change made through the store by another process (another
// replica sharing the database) shows in the very next fetch.
func TestStatusListVersionCheck(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "kakunin.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	sql, err := issuer.NewSQLStore(db)
	if err != nil {
		t.Fatal(err)
	}
	st := &countingStore{Store: sql}
	e := issuertest.NewWithStore(t, st)
	out, err := e.Issuer.Issue(ctx, issuer.IssueRequest{Credential: issuertest.Credential(e.Agent), Caller: e.Caller})
	if err != nil {
		t.Fatal(err)
	}
	rev := out.Status[0]
	first, err := e.Issuer.StatusListCredential(ctx, "main", status.Revocation, rev.ListID)
	if err != nil {
		t.Fatal(err)
	}
	lists := st.lists.Load()
	for range 3 {
		again, err := e.Issuer.StatusListCredential(ctx, "main", status.Revocation, rev.ListID)
		if err != nil || string(again.Body) != string(first.Body) {
			t.Fatalf("unchanged list: %v, or signed again", err)
		}
	}
	if got := st.lists.Load(); got != lists {
		t.Errorf("%d whole-list reads for an unchanged list, want none", got-lists)
	}
	if got := st.versions.Load(); got < 3 {
		t.Errorf("%d version reads, want one per fetch", got)
	}
	// Another replica revokes through the shared database, not through this issuer.
	err = db.Tx(ctx, func(tx store.Tx) error {
		return tx.(store.StatusTx).SetStatus(ctx, rev.ListID, rev.Index, 1, time.Now())
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := listBit(t, e, out, status.Revocation); got != 1 {
		t.Errorf("revocation bit %d after another replica's change, want 1", got)
	}
	if got := st.lists.Load(); got != lists+1 {
		t.Errorf("%d whole-list reads after a change, want 1", got-lists)
	}
	if _, err := db.(store.StatusVersionReader).StatusListVersion(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("version of an unknown list: %v, want store.ErrNotFound", err)
	}
}
