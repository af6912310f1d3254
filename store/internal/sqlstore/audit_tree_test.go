package sqlstore

import (
	"testing"

	"golang.org/x/mod/sumdb/tlog"
)

// TestTreeState follows the size and hashes a transaction remembers: appends
// at the size advance it, anything else (or a failure) makes the next LockTree
// read the database again, and the remembered hashes stay within their bound.
func TestTreeState(t *testing.T) {
	leaf := func(idx int64) (int64, []tlog.Hash) {
		hashes := make([]tlog.Hash, tlog.StoredHashCount(idx+1)-tlog.StoredHashCount(idx))
		for i := range hashes {
			hashes[i] = tlog.Hash{byte(idx), byte(i)}
		}
		return tlog.StoredHashCount(idx), hashes
	}
	tests := []struct {
		name   string
		steps  func(s *treeState)
		size   int64
		locked bool
	}{
		{"never locked", func(s *treeState) {}, 0, false},
		{"locked", func(s *treeState) { s.lock(7) }, 7, true},
		{"appends at the size", func(s *treeState) {
			s.lock(3)
			for idx := int64(3); idx < 6; idx++ {
				first, h := leaf(idx)
				s.appended(idx, first, h)
			}
		}, 6, true},
		{"append elsewhere", func(s *treeState) {
			s.lock(3)
			first, h := leaf(4)
			s.appended(4, first, h)
		}, 0, false},
		{"append without the lock", func(s *treeState) {
			first, h := leaf(0)
			s.appended(0, first, h)
		}, 0, false},
		{"failed append", func(s *treeState) {
			s.lock(3)
			first, h := leaf(3)
			s.appended(3, first, h)
			s.forget()
			if len(s.hashes) != 0 {
				t.Errorf("%d hashes remembered after a failure", len(s.hashes))
			}
		}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &treeState{}
			tt.steps(s)
			size, locked := s.lockedSize()
			if locked != tt.locked || (locked && size != tt.size) {
				t.Errorf("lockedSize = %d, %v; want %d, %v", size, locked, tt.size, tt.locked)
			}
		})
	}
	t.Run("nil", func(t *testing.T) {
		var s *treeState
		s.lock(1)
		s.appended(1, 1, nil)
		s.forget()
		if _, locked := s.lockedSize(); locked {
			t.Error("a nil state reports the lock held")
		}
	})
	t.Run("bounded hashes", func(t *testing.T) {
		s := &treeState{}
		s.lock(0)
		for idx := range int64(3 * maxTreeHashes / 2) {
			first, h := leaf(idx)
			s.appended(idx, first, h)
			if len(s.hashes) > maxTreeHashes {
				t.Fatalf("after leaf %d, %d hashes remembered (bound %d)", idx, len(s.hashes), maxTreeHashes)
			}
			if got := s.hashes[first]; got != h[0] {
				t.Fatalf("leaf %d: remembered hash %v, want %v", idx, got, h[0])
			}
		}
	})
}
