package sqlstore

import (
	"bytes"
	"context"
	"slices"

	"github.com/kakunin-dev/kakunin/audit"
	"golang.org/x/mod/sumdb/tlog"
)

const (
	// maxTreeHashes bounds the stored hashes a transaction remembers (about 40
	// bytes each); a group-committed batch of 256 appends writes about 512.
	maxTreeHashes = 8192
	// maxPending bounds the leaves held back for one statement.
	maxPending = 256
)

// treeState is what one write transaction knows of the audit tree once it
// holds the tree lock, so that the appends of a group-committed batch cost one
// statement each: the lock is taken once, the size is followed in memory, and
// the hashes written in the transaction (the ones the next appends read) are
// served without a query, and the leaves may be held back to be written
// together. Nothing else can change the tree while the lock is held, and a
// rolled-back transaction discards its state with it.
type treeState struct {
	locked  bool                // the tree lock is held and size is current
	size    int64               // the tree size, when locked
	hashes  map[int64]tlog.Hash // stored hashes written (or held back) in this transaction
	pending []audit.Leaf        // leaves held back, consecutive, ending at size
}

// lockedSize returns the tree size when the transaction already holds the lock.
func (s *treeState) lockedSize() (int64, bool) {
	if s == nil || !s.locked {
		return 0, false
	}
	return s.size, true
}

// lock records the size read when the lock was taken.
func (s *treeState) lock(size int64) {
	if s != nil {
		s.locked, s.size = true, size
	}
}

// forget makes the next LockTree read the size again and drops the remembered
// hashes: after a failed write the database may hold a partly applied
// statement's effects (SQLite keeps a transaction open past a failed
// statement), or lack the hashes of leaves that were held back.
func (s *treeState) forget() {
	if s != nil {
		s.locked, s.hashes = false, nil
	}
}

// full reports whether the held-back leaves must be written before a leaf with
// n hashes is added: too many leaves, or the remembered hashes (which include
// theirs) would be dropped.
func (s *treeState) full(n int) bool {
	return len(s.pending) >= maxPending || len(s.hashes)+n > maxTreeHashes
}

// hold keeps a copy of leaf to be written later.
func (s *treeState) hold(leaf audit.Leaf) {
	leaf.Entry = bytes.Clone(leaf.Entry)
	leaf.Hashes = slices.Clone(leaf.Hashes)
	s.pending = append(s.pending, leaf)
}

// appended records a leaf written at index idx whose hashes start at storage
// index first.
func (s *treeState) appended(idx, first int64, hashes []tlog.Hash) {
	if s == nil {
		return
	}
	if s.locked && s.size == idx {
		s.size = idx + 1
	} else {
		s.locked = false
	}
	if s.hashes == nil || len(s.hashes)+len(hashes) > maxTreeHashes {
		s.hashes = make(map[int64]tlog.Hash, 2*256)
	}
	for i, h := range hashes {
		s.hashes[first+int64(i)] = h
	}
}

// ReadHashes implements audit.HashReader inside a write transaction: hashes
// written earlier in the transaction come from memory, the others from one
// query as for reader.ReadHashes.
func (t tx) ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	if t.tree == nil || len(t.tree.hashes) == 0 {
		return t.reader.ReadHashes(ctx, indexes)
	}
	out := make([]tlog.Hash, len(indexes))
	var missing []int64
	var at []int
	for i, x := range indexes {
		if h, ok := t.tree.hashes[x]; ok {
			out[i] = h
			continue
		}
		missing = append(missing, x)
		at = append(at, i)
	}
	if len(missing) == 0 {
		return out, nil
	}
	got, err := t.reader.ReadHashes(ctx, missing)
	if err != nil {
		return nil, err
	}
	for j, i := range at {
		out[i] = got[j]
	}
	return out, nil
}

// EntriesRange implements audit.Reader inside a write transaction, after
// writing the leaves held back.
func (t tx) EntriesRange(ctx context.Context, from, to uint64) ([]audit.StoredEntry, error) {
	if err := t.flushLeaves(ctx); err != nil {
		return nil, err
	}
	return t.reader.EntriesRange(ctx, from, to)
}

// EntriesForDID implements audit.Reader inside a write transaction, after
// writing the leaves held back.
func (t tx) EntriesForDID(ctx context.Context, did string, from uint64, limit int) ([]audit.StoredEntry, error) {
	if err := t.flushLeaves(ctx); err != nil {
		return nil, err
	}
	return t.reader.EntriesForDID(ctx, did, from, limit)
}

// IndexByLeafHash implements audit.Reader inside a write transaction, after
// writing the leaves held back.
func (t tx) IndexByLeafHash(ctx context.Context, h tlog.Hash) (uint64, error) {
	if err := t.flushLeaves(ctx); err != nil {
		return 0, err
	}
	return t.reader.IndexByLeafHash(ctx, h)
}
