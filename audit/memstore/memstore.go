// Package memstore keeps an audit log in memory, for tests and for building
// offline logs. [Store] implements audit.Tx; [Store.Update] runs a function as
// one serialised transaction that is undone if it fails, as the SQL stores do.
package memstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/kakunin-dev/kakunin/audit"
	"golang.org/x/mod/sumdb/tlog"
)

// ErrMissingHash is returned when a requested storage index was never written.
var ErrMissingHash = errors.New("memstore: hash not stored")

// Data is the whole content of a store: entries by leaf index (nil for an
// entry that was removed), their subjects, node hashes by tlog storage index,
// and the latest signed checkpoint.
type Data struct {
	Entries    [][]byte
	Subjects   []string
	Hashes     []tlog.Hash
	Checkpoint []byte
}

// Store is an in-memory audit log store. The zero value is an empty store.
type Store struct {
	tx sync.Mutex   // held by Update: the append lock
	mu sync.RWMutex // guards d
	d  Data
	// byLeaf indexes leaf hashes (lowest index first) for IndexByLeafHash.
	byLeaf map[tlog.Hash]uint64
}

var _ audit.Tx = (*Store)(nil)

// Load returns a store holding a copy of d.
func Load(d Data) *Store {
	s := &Store{d: d.clone()}
	for i := range len(s.d.Entries) {
		s.index(uint64(i))
	}
	return s
}

// index records leaf i's hash in byLeaf unless a lower index has it.
func (s *Store) index(i uint64) {
	x := tlog.StoredHashIndex(0, int64(i))
	if x >= int64(len(s.d.Hashes)) {
		return
	}
	if s.byLeaf == nil {
		s.byLeaf = make(map[tlog.Hash]uint64)
	}
	if _, dup := s.byLeaf[s.d.Hashes[x]]; !dup {
		s.byLeaf[s.d.Hashes[x]] = i
	}
}

// Data returns a copy of the store's content.
func (s *Store) Data() Data {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.d.clone()
}

func (d Data) clone() Data {
	out := Data{
		Entries:    make([][]byte, len(d.Entries)),
		Subjects:   slices.Clone(d.Subjects),
		Hashes:     slices.Clone(d.Hashes),
		Checkpoint: bytes.Clone(d.Checkpoint),
	}
	for i, e := range d.Entries {
		out.Entries[i] = bytes.Clone(e)
	}
	return out
}

// Update runs fn with the store as its transaction. Updates run one at a time;
// if fn fails, every append and checkpoint it made is undone.
func (s *Store) Update(fn func(tx audit.Tx) error) error {
	s.tx.Lock()
	defer s.tx.Unlock()
	s.mu.RLock()
	size, hashes, cp := len(s.d.Entries), len(s.d.Hashes), s.d.Checkpoint
	s.mu.RUnlock()
	if err := fn(s); err != nil {
		s.mu.Lock()
		for h, i := range s.byLeaf {
			if i >= uint64(size) {
				delete(s.byLeaf, h)
			}
		}
		s.d.Entries, s.d.Subjects, s.d.Hashes, s.d.Checkpoint = s.d.Entries[:size], s.d.Subjects[:size], s.d.Hashes[:hashes], cp
		s.mu.Unlock()
		return err
	}
	return nil
}

// LockTree returns the tree size. Callers that share the store between
// goroutines append inside [Store.Update], which holds the append lock.
func (s *Store) LockTree(context.Context) (uint64, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return uint64(len(s.d.Entries)), nil
}

// ReadHashes implements audit.HashReader.
func (s *Store) ReadHashes(_ context.Context, indexes []int64) ([]tlog.Hash, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(len(s.d.Hashes)) {
			return nil, fmt.Errorf("%w: index %d", ErrMissingHash, x)
		}
		out[i] = s.d.Hashes[x]
	}
	return out, nil
}

// AppendLeaf implements audit.Appender.
func (s *Store) AppendLeaf(_ context.Context, leaf audit.Leaf) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if leaf.Index != uint64(len(s.d.Entries)) || tlog.StoredHashCount(int64(leaf.Index)) != int64(len(s.d.Hashes)) {
		return fmt.Errorf("memstore: append at %d to a tree of %d", leaf.Index, len(s.d.Entries))
	}
	s.d.Entries = append(s.d.Entries, bytes.Clone(leaf.Entry))
	s.d.Subjects = append(s.d.Subjects, leaf.Subject)
	s.d.Hashes = append(s.d.Hashes, leaf.Hashes...)
	s.index(leaf.Index)
	return nil
}

// LatestCheckpoint implements audit.CheckpointStore.
func (s *Store) LatestCheckpoint(context.Context) ([]byte, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return bytes.Clone(s.d.Checkpoint), nil
}

// SaveCheckpoint implements audit.CheckpointStore.
func (s *Store) SaveCheckpoint(_ context.Context, signed []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.d.Checkpoint = bytes.Clone(signed)
	return nil
}
