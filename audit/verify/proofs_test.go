package verify_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/memstore"
	"github.com/kakunin-dev/kakunin/audit/verify"
)

// treeAt is the checkpoint of the first size leaves of s (the log writer's
// tree hash, not the verifier's).
func treeAt(t *testing.T, s *memstore.Store, size uint64) verify.Checkpoint {
	t.Helper()
	root, err := audit.TreeHash(context.Background(), s, size)
	if err != nil {
		t.Fatal(err)
	}
	return verify.Checkpoint{Origin: origin, Size: size, Root: root[:]}
}

func hashes(hs []tlog.Hash) [][]byte {
	out := make([][]byte, len(hs))
	for i := range hs {
		out[i] = bytes.Clone(hs[i][:])
	}
	return out
}

func leafAt(t *testing.T, s *memstore.Store, index uint64) []byte {
	t.Helper()
	hs, err := s.ReadHashes(context.Background(), []int64{tlog.StoredHashIndex(0, int64(index))})
	if err != nil {
		t.Fatal(err)
	}
	return hs[0][:]
}

func TestCheckInclusion(t *testing.T) {
	s := newLog(t, 13)
	c := treeAt(t, s, 11)
	p, err := audit.InclusionProof(context.Background(), s, 6, 11)
	if err != nil {
		t.Fatal(err)
	}
	leaf := leafAt(t, s, 6)
	if err := verify.CheckInclusion(c, 6, leaf, hashes(p)); err != nil {
		t.Fatalf("honest proof: %v", err)
	}
	flip := func(b []byte) []byte { b = bytes.Clone(b); b[0] ^= 1; return b }
	other := c
	other.Root = flip(c.Root)
	tests := []struct {
		name  string
		c     verify.Checkpoint
		index uint64
		leaf  []byte
		proof [][]byte
		want  error
	}{
		{"changed root", other, 6, leaf, hashes(p), verify.ErrNotIncluded},
		{"changed leaf hash", c, 6, flip(leaf), hashes(p), verify.ErrNotIncluded},
		{"another index", c, 7, leaf, hashes(p), verify.ErrNotIncluded},
		{"changed proof hash", c, 6, leaf, append([][]byte{flip(hashes(p)[0])}, hashes(p)[1:]...), verify.ErrNotIncluded},
		{"short proof", c, 6, leaf, hashes(p)[1:], verify.ErrNotIncluded},
		{"index beyond the tree", c, 11, leaf, hashes(p), verify.ErrMalformed},
		{"short leaf hash", c, 6, leaf[:31], hashes(p), verify.ErrMalformed},
		{"short proof hash", c, 6, leaf, [][]byte{leaf[:5]}, verify.ErrMalformed},
		{"proof too long", c, 6, leaf, make([][]byte, 65), verify.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := verify.CheckInclusion(tt.c, tt.index, tt.leaf, tt.proof); !errors.Is(err, tt.want) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestCheckConsistency(t *testing.T) {
	s := newLog(t, 13)
	old, cur := treeAt(t, s, 5), treeAt(t, s, 13)
	p, err := audit.ConsistencyProof(context.Background(), s, 5, 13)
	if err != nil {
		t.Fatal(err)
	}
	if err := verify.CheckConsistency(old, cur, hashes(p)); err != nil {
		t.Fatalf("honest proof: %v", err)
	}
	if err := verify.CheckConsistency(cur, cur, nil); err != nil {
		t.Fatalf("same checkpoint: %v", err)
	}
	forked := old
	forked.Root = bytes.Clone(cur.Root)
	elsewhere := cur
	elsewhere.Origin = "other.example/audit"
	tests := []struct {
		name       string
		old, cur   verify.Checkpoint
		proof      [][]byte
		want       error
		wantAtSize uint64
	}{
		{"forked old root", forked, cur, hashes(p), verify.ErrInconsistent, 5},
		{"proof from another size", treeAt(t, s, 6), cur, hashes(p), verify.ErrInconsistent, 6},
		{"rollback", cur, old, hashes(p), verify.ErrRollback, 13},
		{"same size, two roots", forked, treeAt(t, s, 5), nil, verify.ErrInconsistent, 5},
		{"two logs", old, elsewhere, hashes(p), verify.ErrMalformed, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := verify.CheckConsistency(tt.old, tt.cur, tt.proof)
			if !errors.Is(err, tt.want) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
			var te *verify.TamperError
			if tt.wantAtSize != 0 && (!errors.As(err, &te) || te.Index != tt.wantAtSize) {
				t.Fatalf("error = %v, want it located at size %d", err, tt.wantAtSize)
			}
		})
	}
}
