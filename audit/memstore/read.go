package memstore

import (
	"bytes"
	"context"
	"fmt"

	"github.com/kakunin-dev/kakunin/audit"
	"golang.org/x/mod/sumdb/tlog"
)

// EntriesRange implements audit.Reader; removed entries are skipped.
func (s *Store) EntriesRange(_ context.Context, from, to uint64) ([]audit.StoredEntry, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	to = min(to, uint64(len(s.d.Entries)))
	var out []audit.StoredEntry
	for i := from; i < to; i++ {
		if s.d.Entries[i] != nil {
			out = append(out, audit.StoredEntry{Index: i, Entry: bytes.Clone(s.d.Entries[i])})
		}
	}
	return out, nil
}

// IndexByLeafHash implements audit.Reader.
func (s *Store) IndexByLeafHash(_ context.Context, h tlog.Hash) (uint64, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if i, ok := s.byLeaf[h]; ok {
		return i, nil
	}
	return 0, fmt.Errorf("%w: leaf hash %s", audit.ErrNotFound, h)
}

// EntriesForDID implements audit.Reader.
func (s *Store) EntriesForDID(_ context.Context, did string, from uint64, limit int) ([]audit.StoredEntry, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []audit.StoredEntry
	for i := from; i < uint64(len(s.d.Entries)) && len(out) < limit; i++ {
		if s.d.Subjects[i] == did && s.d.Entries[i] != nil {
			out = append(out, audit.StoredEntry{Index: i, Entry: bytes.Clone(s.d.Entries[i])})
		}
	}
	return out, nil
}
