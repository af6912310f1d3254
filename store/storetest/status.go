package storetest

import (
	"bytes"
	"fmt"
	"sync"
	"testing"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/vc/status"
)

// testStatusAllocation runs 64 concurrent issuances on lists of capacity 16, so
// that lists also fill up and roll over while allocators race.
func testStatusAllocation(t *testing.T, db store.DB) {
	RaceAllocations(t, []store.DB{db}, 64, 16)
}

// RaceAllocations issues n credentials at once, spread over the stores (which
// may be replicas sharing one database), each with a revocation index from lists
// of the given capacity. No (list, index) may be given out twice, every list but
// the current one must be full, and every store must read the same lists.
func RaceAllocations(t *testing.T, dbs []store.DB, n, capacity int) {
	entries := make(chan store.StatusEntry, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			c, err := issue(dbs[i%len(dbs)], fmt.Sprintf("c%d", i), "did:a", nil, spec(status.Revocation, capacity))
			if err != nil {
				t.Errorf("issuance %d: %v", i, err)
				return
			}
			entries <- c.Status[0]
		})
	}
	wg.Wait()
	close(entries)
	seen := map[store.StatusEntry]bool{}
	perList := map[string]int{}
	for e := range entries {
		if seen[e] {
			t.Errorf("index %d of list %s given out twice", e.Index, e.ListID)
		}
		seen[e] = true
		perList[e.ListID]++
	}
	if len(seen) != n {
		t.Fatalf("%d distinct entries, want %d", len(seen), n)
	}
	for i, db := range dbs {
		lists, err := statusReader(t, db).StatusLists(ctx, "i1")
		if err != nil {
			t.Fatal(err)
		}
		if want := (n + capacity - 1) / capacity; len(lists) != want {
			t.Fatalf("store %d: %d lists, want %d", i, len(lists), want)
		}
		for j, l := range lists {
			full := j < len(lists)-1
			if l.Seq != int64(j+1) || l.Allocated != perList[l.ID] || full && l.Allocated != capacity {
				t.Errorf("store %d: list %+v has %d of our entries; want seq %d, full unless last",
					i, l, perList[l.ID], j+1)
			}
		}
	}
}

// testStatusRollover fills lists of capacity 5 one allocation at a time.
func testStatusRollover(t *testing.T, db store.DB) {
	var got []store.StatusEntry
	for i := range 12 {
		c, err := issue(db, fmt.Sprintf("c%d", i), "did:a", nil, spec(status.Suspension, 5))
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, c.Status[0])
	}
	lists, err := statusReader(t, db).StatusLists(ctx, "i1")
	if err != nil || len(lists) != 3 {
		t.Fatalf("StatusLists = %+v, %v; want 3 lists", lists, err)
	}
	for i, l := range lists {
		want := []int{5, 5, 2}[i]
		if l.Allocated != want || l.Seq != int64(i+1) || l.Entries != status.MinEntries ||
			l.Capacity != 5 || l.Purpose != status.Suspension || l.URL != spec(status.Suspension, 5).URLPrefix+l.ID ||
			!l.Created.Equal(micro(t0)) {
			t.Errorf("list %d = %+v, want seq %d with %d allocated", i, l, i+1, want)
		}
		for _, e := range got[i*5 : min(i*5+5, len(got))] {
			if e.ListID != l.ID {
				t.Errorf("entry %+v is not in list %d", e, i+1)
			}
		}
	}
}

// testStatusCollision draws indexes from a source that always gives the same
// bytes: the k-th allocation collides with the k-1 before it (from the tenth
// on, more often than the allocator draws before it loads the allocated set),
// and it must still find a free index rather than give one out twice.
func testStatusCollision(t *testing.T, db store.DB) {
	seen := map[int]bool{}
	for i := range 12 {
		c, err := issue(db, fmt.Sprintf("c%d", i), "did:a", bytes.NewReader(bytes.Repeat([]byte{7}, 1<<16)),
			spec(status.Revocation, 0))
		if err != nil {
			t.Fatal(err)
		}
		if idx := c.Status[0].Index; seen[idx] {
			t.Fatalf("index %d given out twice", idx)
		}
		seen[c.Status[0].Index] = true
	}
}

func testStatusValues(t *testing.T, db store.DB) {
	msg := spec(status.Message, 0)
	msg.StatusSize = 2
	c, err := issue(db, "c1", "did:a", nil, spec(status.Revocation, 0), spec(status.Suspension, 0), msg)
	if err != nil {
		t.Fatal(err)
	}
	rev, sus, mes := entryOf(c, status.Revocation), entryOf(c, status.Suspension), entryOf(c, status.Message)
	set := func(e store.StatusEntry, v uint64) error {
		return db.Tx(ctx, func(tx store.Tx) error {
			ct, err := credTx(tx)
			if err != nil {
				return err
			}
			return ct.SetStatus(ctx, e.ListID, e.Index, v, at(5))
		})
	}
	missing := rev
	missing.Index = (rev.Index + 1) % status.MinEntries
	steps := []struct {
		name    string
		entry   store.StatusEntry
		value   uint64
		want    error
		version int64 // the list's version after the step
	}{
		{"suspend", sus, 1, nil, 1},
		{"suspend again changes nothing", sus, 1, nil, 1},
		{"lift suspension", sus, 0, nil, 2},
		{"revoke", rev, 1, nil, 1},
		{"revocation is not reversible", rev, 0, store.ErrConflict, 1},
		{"value beyond statusSize 1", sus, 2, store.ErrInvalid, 2},
		{"two-bit message", mes, 3, nil, 1},
		{"value beyond statusSize 2", mes, 4, store.ErrInvalid, 1},
		{"index not allocated", missing, 1, store.ErrNotFound, 1},
	}
	for _, s := range steps {
		wantErr(t, set(s.entry, s.value), s.want)
		l, err := statusReader(t, db).StatusList(ctx, s.entry.ListID)
		if err != nil || l.Version != s.version {
			t.Fatalf("%s: StatusList = version %d, %v; want %d", s.name, l.Version, err, s.version)
		}
	}
	for _, want := range []struct {
		e store.StatusEntry
		v uint64
	}{{rev, 1}, {sus, 0}, {mes, 3}} {
		checkBits(t, db, want.e, want.v)
	}
	_, err = statusReader(t, db).StatusList(ctx, "missing")
	wantErr(t, err, store.ErrNotFound)
	_, err = statusReader(t, db).Status(ctx, missing.ListID, missing.Index)
	wantErr(t, err, store.ErrNotFound)
}

// checkBits reads entry e as Status and in its list's bitstring, which must have
// it as the only non-zero entry.
func checkBits(t *testing.T, db store.DB, e store.StatusEntry, want uint64) {
	t.Helper()
	r := statusReader(t, db)
	if v, err := r.Status(ctx, e.ListID, e.Index); err != nil || v != want {
		t.Errorf("Status(%s) = %d, %v; want %d", e.Purpose, v, err, want)
	}
	l, err := r.StatusList(ctx, e.ListID)
	if err != nil {
		t.Fatal(err)
	}
	if l.Bits.Len() != l.Entries*l.StatusSize || l.StatusSize != e.StatusSize {
		t.Fatalf("%s list has %d bits for %d entries of %d", e.Purpose, l.Bits.Len(), l.Entries, l.StatusSize)
	}
	expect, _ := status.New(l.Bits.Len())
	if err := expect.Set(e.Index, e.StatusSize, want); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(l.Bits.Bytes(), expect.Bytes()) {
		t.Errorf("%s bitstring differs from one with entry %d = %d alone", e.Purpose, e.Index, want)
	}
}

func entryOf(c store.Credential, p status.Purpose) store.StatusEntry {
	for _, e := range c.Status {
		if e.Purpose == p {
			return e
		}
	}
	return store.StatusEntry{}
}

func testStatusSpec(t *testing.T, db store.DB) {
	mutate := func(f func(*store.StatusListSpec)) store.StatusListSpec {
		s := spec(status.Revocation, 0)
		f(&s)
		return s
	}
	tests := []struct {
		name string
		spec store.StatusListSpec
	}{
		{"fewer than 131,072 entries", mutate(func(s *store.StatusListSpec) { s.Entries = status.MinEntries - 8 })},
		{"too many entries", mutate(func(s *store.StatusListSpec) { s.Entries = store.MaxStatusBits + 8 })},
		{"bits not whole bytes", mutate(func(s *store.StatusListSpec) { s.Entries = status.MinEntries + 1 })},
		{"statusSize 17", mutate(func(s *store.StatusListSpec) { s.StatusSize = 17 })},
		{"over 1 MiB of bits", mutate(func(s *store.StatusListSpec) { s.Entries, s.StatusSize = store.MaxStatusBits/2, 4 })},
		{"capacity above entries", mutate(func(s *store.StatusListSpec) { s.Capacity = status.MinEntries + 1 })},
		{"negative capacity", mutate(func(s *store.StatusListSpec) { s.Capacity = -1 })},
		{"no instance", mutate(func(s *store.StatusListSpec) { s.InstanceID = "" })},
		{"no purpose", mutate(func(s *store.StatusListSpec) { s.Purpose = "" })},
		{"no URL prefix", mutate(func(s *store.StatusListSpec) { s.URLPrefix = "" })},
		{"zero time", mutate(func(s *store.StatusListSpec) { s.At = t0.AddDate(-2026, 0, 0) })},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := issue(db, "c1", "did:a", nil, tc.spec)
			wantErr(t, err, store.ErrInvalid)
		})
	}
	if _, err := issue(db, "c1", "did:a", nil, mutate(func(s *store.StatusListSpec) {
		s.Entries, s.StatusSize = status.MinEntries+8, 3
	})); err != nil {
		t.Errorf("a list of 131,080 entries of 3 bits: %v", err)
	}
}
