package audit_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/memstore"
	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/tlog"
)

// referenceRoots returns the root of every prefix of the tree whose leaves are
// the given entries, computed with transparency-dev/merkle.
func referenceRoots(t *testing.T, entries [][]byte) [][]byte {
	h := rfc6962.DefaultHasher
	roots := [][]byte{h.EmptyRoot()}
	r := (&compact.RangeFactory{Hash: h.HashChildren}).NewEmptyRange(0)
	for _, e := range entries {
		if err := r.Append(h.HashLeaf(e), nil); err != nil {
			t.Fatal(err)
		}
		root, err := r.GetRootHash(nil)
		if err != nil {
			t.Fatal(err)
		}
		roots = append(roots, root)
	}
	return roots
}

func hashes(p []tlog.Hash) [][]byte {
	out := make([][]byte, len(p))
	for i := range p {
		out[i] = p[i][:]
	}
	return out
}

// TestProofsMatchReference checks tree hashes, inclusion proofs for every
// (index, size) and consistency proofs for every (size1, size2) up to 40 leaves
// against transparency-dev/merkle.
func TestProofsMatchReference(t *testing.T) {
	ctx := context.Background()
	const n = 40
	s := new(memstore.Store)
	appendN(t, s, 0, n)
	entries := s.Data().Entries
	roots := referenceRoots(t, entries)
	h := rfc6962.DefaultHasher
	for size := uint64(0); size <= n; size++ {
		root, err := audit.TreeHash(ctx, s, size)
		if err != nil || string(root[:]) != string(roots[size]) {
			t.Fatalf("TreeHash(%d) = %x, %v; want %x", size, root, err, roots[size])
		}
		for i := range size {
			p, err := audit.InclusionProof(ctx, s, i, size)
			if err != nil {
				t.Fatal(err)
			}
			if err := proof.VerifyInclusion(h, i, size, h.HashLeaf(entries[i]), hashes(p), roots[size]); err != nil {
				t.Fatalf("inclusion of %d in %d: %v", i, size, err)
			}
		}
		for old := uint64(0); old <= size; old++ {
			p, err := audit.ConsistencyProof(ctx, s, old, size)
			if err != nil {
				t.Fatal(err)
			}
			if err := proof.VerifyConsistency(h, old, size, hashes(p), roots[old], roots[size]); err != nil {
				t.Fatalf("consistency %d→%d: %v", old, size, err)
			}
		}
	}
}

func TestInclusionProofByLeafHash(t *testing.T) {
	ctx := context.Background()
	s := new(memstore.Store)
	appendN(t, s, 0, 10)
	entries := s.Data().Entries
	roots := referenceRoots(t, entries)
	h := rfc6962.DefaultHasher
	for i, e := range entries {
		idx, p, err := audit.InclusionProofByLeafHash(ctx, s, audit.LeafHash(e), 10)
		if err != nil || idx != uint64(i) {
			t.Fatalf("entry %d: index %d, %v", i, idx, err)
		}
		if err := proof.VerifyInclusion(h, idx, 10, h.HashLeaf(e), hashes(p), roots[10]); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name string
		leaf tlog.Hash
		size uint64
		want error
	}{
		{"unknown leaf", tlog.RecordHash([]byte("nope")), 10, audit.ErrNotFound},
		{"leaf beyond size", audit.LeafHash(entries[7]), 5, audit.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := audit.InclusionProofByLeafHash(ctx, s, tt.leaf, tt.size); !errors.Is(err, tt.want) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestProofRanges(t *testing.T) {
	ctx := context.Background()
	s := new(memstore.Store)
	appendN(t, s, 0, 4)
	if _, err := audit.InclusionProof(ctx, s, 4, 4); !errors.Is(err, audit.ErrOutOfRange) {
		t.Errorf("inclusion beyond size: %v", err)
	}
	if _, err := audit.ConsistencyProof(ctx, s, 3, 2); !errors.Is(err, audit.ErrOutOfRange) {
		t.Errorf("consistency backwards: %v", err)
	}
	if _, err := audit.InclusionProof(ctx, s, 1, 9); err == nil {
		t.Errorf("inclusion in a tree larger than stored: no error")
	}
}

func TestAppendRollsBackWithTransaction(t *testing.T) {
	ctx := context.Background()
	s := new(memstore.Store)
	appendN(t, s, 0, 3)
	failure := errors.New("state change failed")
	err := s.Update(func(tx audit.Tx) error {
		if _, err := audit.Append(ctx, tx, testEntry(3)); err != nil {
			return err
		}
		return failure
	})
	if !errors.Is(err, failure) {
		t.Fatalf("Update = %v", err)
	}
	if size, _ := s.LockTree(ctx); size != 3 {
		t.Fatalf("size after rollback = %d, want 3", size)
	}
	if _, err := s.IndexByLeafHash(ctx, mustLeafHash(t, testEntry(3))); !errors.Is(err, audit.ErrNotFound) {
		t.Fatalf("rolled-back leaf still indexed: %v", err)
	}
	appendN(t, s, 3, 1)
}

func mustLeafHash(t *testing.T, e audit.Entry) tlog.Hash {
	b, err := e.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return audit.LeafHash(b)
}

func TestConcurrentAppendsAreSerialised(t *testing.T) {
	ctx := context.Background()
	s := new(memstore.Store)
	const workers, each = 4, 25
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				err := s.Update(func(tx audit.Tx) error {
					_, err := audit.Append(ctx, tx, testEntry(w*each+i))
					return err
				})
				if err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	d := s.Data()
	if len(d.Entries) != workers*each {
		t.Fatalf("%d entries, want %d", len(d.Entries), workers*each)
	}
	roots := referenceRoots(t, d.Entries)
	root, err := audit.TreeHash(ctx, s, workers*each)
	if err != nil || string(root[:]) != string(roots[workers*each]) {
		t.Fatalf("root after concurrent appends = %x, %v", root, err)
	}
}

func TestEntriesForDID(t *testing.T) {
	ctx := context.Background()
	s := new(memstore.Store)
	appendN(t, s, 0, 10)
	got, err := audit.EntriesForDID(ctx, s, "did:example:agent1", 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Index != 4 || got[1].Index != 7 || got[0].Entry.Subject != "did:example:agent1" {
		t.Fatalf("EntriesForDID = %+v", got)
	}
}
