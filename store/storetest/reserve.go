package storetest

import (
	"cmp"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/vc/status"
)

// reserve reserves n indexes of spec s in a transaction of its own.
func reserve(db store.DB, s store.StatusListSpec, n int) ([]store.StatusEntry, error) {
	var out []store.StatusEntry
	err := db.Tx(context.Background(), func(tx store.Tx) error {
		ct, err := credTx(tx)
		if err != nil {
			return err
		}
		out, err = ct.ReserveStatusIndexes(context.Background(), s, n, rand.Reader)
		return err
	})
	return out, err
}

// hold records c with HoldCredential in a transaction of its own.
func hold(db store.DB, c store.Credential) error {
	return db.Tx(context.Background(), func(tx store.Tx) error {
		ct, err := credTx(tx)
		if err != nil {
			return err
		}
		return ct.HoldCredential(context.Background(), c)
	})
}

// testStatusReserve reserves 300 indexes from lists of capacity 128: they
// fill two lists and start a third, stay unbound with value 0 (and may not be
// reserved again), and bind in later transactions with HoldCredential.
func testStatusReserve(t *testing.T, db store.DB) {
	got, err := reserve(db, spec(status.Revocation, 128), 300)
	if err != nil {
		t.Fatal(err)
	}
	perList := map[string]int{}
	seen := map[store.StatusEntry]bool{}
	for _, e := range got {
		if seen[e] || e.Purpose != status.Revocation || e.StatusSize != 1 || e.URL == "" {
			t.Fatalf("entry %+v given out twice or incomplete", e)
		}
		seen[e] = true
		perList[e.ListID]++
		if v, err := statusReader(t, db).Status(ctx, e.ListID, e.Index); err != nil || v != 0 {
			t.Fatalf("Status of a reserved entry = %d, %v; want 0", v, err)
		}
	}
	lists, err := statusReader(t, db).StatusLists(ctx, "i1")
	if err != nil || len(lists) != 3 {
		t.Fatalf("StatusLists = %+v, %v; want 3", lists, err)
	}
	for i, l := range lists {
		if want := []int{128, 128, 44}[i]; l.Allocated != want || perList[l.ID] != want {
			t.Errorf("list %d: %d allocated, %d reserved; want %d", i+1, l.Allocated, perList[l.ID], want)
		}
	}
	want := credential("c1", "did:a", got[0], got[299])
	want.ValidUntil = time.Time{}
	if err := hold(db, want); err != nil {
		t.Fatal(err)
	}
	c, err := credReader(t, db).Credential(ctx, "c1")
	if err != nil || len(c.Status) != 2 {
		t.Fatalf("Credential = %+v, %v", c, err)
	}
	slices.SortFunc(want.Status, func(a, b store.StatusEntry) int { // as reads order them
		return cmp.Or(strings.Compare(a.ListID, b.ListID), a.Index-b.Index)
	})
	sameCredential(t, c, want)
	wantErr(t, hold(db, credential("c2", "did:a", got[0])), store.ErrConflict)
	small, err := reserve(db, spec(status.Message, 5), 200) // 40 lists started by one call
	if err != nil || len(small) != 200 {
		t.Fatalf("reserving 200 from lists of capacity 5: %d, %v", len(small), err)
	}
	for _, n := range []int{0, store.MaxStatusReserve + 1} {
		_, err := reserve(db, spec(status.Revocation, 0), n)
		wantErr(t, err, store.ErrInvalid)
	}
}

// testHeldBatch holds credentials from many callers while one transaction
// blocks the committer, so that they are written in one batch: the callers
// whose credential conflicts (an id taken before, an entry bound to another
// credential or twice in one credential, an entry never allocated) get their
// own error, of two callers holding one id one does, and every other
// credential is stored with its entries.
func testHeldBatch(t *testing.T, db store.DB) {
	entries, err := reserve(db, spec(status.Suspension, 0), 40)
	if err != nil {
		t.Fatal(err)
	}
	if err := hold(db, credential("taken", "did:a", entries[0])); err != nil {
		t.Fatal(err)
	}
	free := entries[1]
	free.Index = (free.Index + 1) % status.MinEntries
	for _, e := range entries {
		if e.ListID == free.ListID && e.Index == free.Index {
			t.Skip("the never-allocated index was reserved")
		}
	}
	type call struct {
		c    store.Credential
		want error
	}
	calls := []call{{credential("taken", "did:b", entries[1]), store.ErrConflict}}
	for i := 2; i < 32; i++ {
		calls = append(calls, call{credential(fmt.Sprintf("h%d", i), "did:b", entries[i]), nil})
	}
	calls = append(calls,
		call{credential("x1", "did:b", entries[0]), store.ErrConflict},               // entry of "taken"
		call{credential("x2", "did:b", free), store.ErrNotFound},                     // never allocated
		call{credential("x3", "did:b", entries[34], entries[34]), store.ErrConflict}, // one entry twice
		call{credential("dup", "did:b", entries[35]), nil},                           // one of these two
		call{credential("dup", "did:b", entries[36]), nil},                           // fails
	)
	errs := make([]error, len(calls))
	release := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() { _ = db.Tx(ctx, func(store.Tx) error { <-release; return nil }) })
	for i, c := range calls {
		wg.Go(func() { errs[i] = hold(db, c.c) })
	}
	time.Sleep(200 * time.Millisecond) // for the callers to queue behind the blocking one
	close(release)
	wg.Wait()
	dup := len(calls) - 2
	if errs[dup] == nil && errs[dup+1] == nil || errs[dup] != nil && errs[dup+1] != nil {
		t.Errorf("holding one id twice: %v and %v, want one conflict", errs[dup], errs[dup+1])
	}
	if errs[dup] != nil {
		calls[dup], errs[dup], errs[dup+1] = calls[dup+1], errs[dup+1], errs[dup]
	}
	wantErr(t, errs[dup+1], store.ErrConflict)
	for i, c := range calls[:dup+1] {
		if c.want == nil && errs[i] != nil || c.want != nil && !errors.Is(errs[i], c.want) {
			t.Errorf("holding %s: %v, want %v", c.c.ID, errs[i], c.want)
		}
	}
	for _, c := range append(calls[1:31], calls[dup]) {
		got, err := credReader(t, db).Credential(ctx, c.c.ID)
		if err != nil || len(got.Status) != 1 || got.Status[0].Index != c.c.Status[0].Index {
			t.Errorf("credential %s = %+v, %v", c.c.ID, got, err)
		}
	}
}

// RaceReservations reserves blocks of 10 indexes from n goroutines at once,
// spread over the stores (which may be replicas sharing one database), from
// lists of the given capacity: no (list, index) may be given out twice, every
// list but the current one must be full, and each list's Allocated must be the
// indexes reserved from it.
func RaceReservations(t *testing.T, dbs []store.DB, n, capacity int) {
	const block = 10
	got := make(chan []store.StatusEntry, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			e, err := reserve(dbs[i%len(dbs)], spec(status.Revocation, capacity), block)
			if err != nil {
				t.Errorf("reservation %d: %v", i, err)
			}
			got <- e
		})
	}
	wg.Wait()
	close(got)
	seen := map[store.StatusEntry]bool{}
	perList := map[string]int{}
	for es := range got {
		for _, e := range es {
			if seen[e] {
				t.Errorf("index %d of list %s reserved twice", e.Index, e.ListID)
			}
			seen[e] = true
			perList[e.ListID]++
		}
	}
	if len(seen) != n*block {
		t.Fatalf("%d distinct entries, want %d", len(seen), n*block)
	}
	lists, err := statusReader(t, dbs[0]).StatusLists(ctx, "i1")
	if err != nil {
		t.Fatal(err)
	}
	if want := (n*block + capacity - 1) / capacity; len(lists) != want {
		t.Fatalf("%d lists, want %d", len(lists), want)
	}
	for j, l := range lists {
		if l.Allocated != perList[l.ID] || j < len(lists)-1 && l.Allocated != capacity {
			t.Errorf("list %d: %d allocated, %d reserved from it; want full unless last", j+1, l.Allocated,
				perList[l.ID])
		}
	}
}

// testStatusRelease reserves 10 indexes, binds one and sets another, and
// releases all 10: only the 8 unbound, unset ones are given back (no longer
// allocated, so Status no longer finds them), and the list counts 2.
func testStatusRelease(t *testing.T, db store.DB) {
	got, err := reserve(db, spec(status.Suspension, 0), 10)
	if err != nil {
		t.Fatal(err)
	}
	if err := hold(db, credential("c1", "did:a", got[0])); err != nil {
		t.Fatal(err)
	}
	var released int
	write(t, db, func(tx store.Tx) error {
		ct, err := credTx(tx)
		if err != nil {
			return err
		}
		if err := ct.SetStatus(ctx, got[1].ListID, got[1].Index, 1, at(1)); err != nil {
			return err
		}
		released, err = ct.ReleaseStatusIndexes(ctx, got)
		return err
	})
	if released != 8 {
		t.Errorf("released %d, want 8", released)
	}
	r := statusReader(t, db)
	for i, e := range got {
		_, err := r.Status(ctx, e.ListID, e.Index)
		if i < 2 && err != nil || i >= 2 && !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Status of entry %d after release: %v", i, err)
		}
	}
	if l, err := r.StatusList(ctx, got[0].ListID); err != nil || l.Allocated != 2 {
		t.Errorf("list allocated %d, %v; want 2", l.Allocated, err)
	}
	if _, err := reserve(db, spec(status.Suspension, 0), 10); err != nil {
		t.Error(err)
	}
}
