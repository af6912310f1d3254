package sqlstore

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/store"
	"golang.org/x/mod/sumdb/tlog"
)

// The reader (so both the DB and a Tx) implements audit.Reader.
var _ audit.Reader = reader{}

// hashChunk bounds the indexes of one ReadHashes query. audit asks for about
// 2·log₂(size) at a time, so one query nearly always suffices, and the number of
// distinct statement texts (one per chunk length) stays small for the caches.
const hashChunk = 64

// ReadHashes implements audit.HashReader: one query per chunk of 64 indexes,
// results put back in the order asked. An index that is not stored is a
// *store.MissingHashError.
func (r reader) ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for start := 0; start < len(indexes); start += hashChunk {
		chunk := indexes[start:min(start+hashChunk, len(indexes))]
		if err := r.readHashChunk(ctx, chunk, out[start:]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (r reader) readHashChunk(ctx context.Context, indexes []int64, out []tlog.Hash) error {
	found := make(map[int64]tlog.Hash, len(indexes))
	args := make([]any, len(indexes))
	for i, x := range indexes {
		args[i] = x
	}
	err := r.q.Query(ctx, `SELECT storage_idx, hash FROM audit_hashes WHERE storage_idx IN (`+
		placeholders(1, len(indexes))+`)`, args, func(row Row) error {
		var x int64
		var h []byte
		if err := row.Scan(&x, &h); err != nil {
			return err
		}
		if len(h) != tlog.HashSize {
			return fmt.Errorf("%w: audit hash %d has %d bytes", store.ErrSchema, x, len(h))
		}
		found[x] = tlog.Hash(h)
		return nil
	})
	if err != nil {
		return wrap(err, "audit hashes")
	}
	for i, x := range indexes {
		h, ok := found[x]
		if !ok {
			return &store.MissingHashError{StorageIndex: x}
		}
		out[i] = h
	}
	return nil
}

// placeholders returns "$first, …, $(first+n-1)".
func placeholders(first, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(first+i))
	}
	return b.String()
}

// LatestCheckpoint implements audit.Reader: the last checkpoint saved, or nil.
func (r reader) LatestCheckpoint(ctx context.Context) ([]byte, error) {
	var note []byte
	err := r.q.QueryRow(ctx, `SELECT note FROM audit_checkpoints ORDER BY seq DESC LIMIT 1`).Scan(&note)
	if err != nil && !isNoRows(err) {
		return nil, wrap(err, "audit checkpoint")
	}
	return note, nil
}

// EntriesRange implements audit.Reader.
func (r reader) EntriesRange(ctx context.Context, from, to uint64) ([]audit.StoredEntry, error) {
	return r.entries(ctx, `SELECT idx, entry FROM audit_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx`,
		clamp(from), clamp(to))
}

// EntriesForDID implements audit.Reader.
func (r reader) EntriesForDID(ctx context.Context, did string, from uint64, limit int) ([]audit.StoredEntry, error) {
	if limit <= 0 || did == "" {
		return nil, nil
	}
	return r.entries(ctx, `SELECT idx, entry FROM audit_entries WHERE subject = $1 AND idx >= $2
		ORDER BY idx LIMIT $3`, did, clamp(from), int64(limit))
}

func (r reader) entries(ctx context.Context, query string, args ...any) ([]audit.StoredEntry, error) {
	var out []audit.StoredEntry
	err := r.q.Query(ctx, query, args, func(row Row) error {
		var e audit.StoredEntry
		var idx int64
		if err := row.Scan(&idx, &e.Entry); err != nil {
			return err
		}
		e.Index = uint64(idx)
		out = append(out, e)
		return nil
	})
	return out, wrap(err, "audit entries")
}

// IndexByLeafHash implements audit.Reader. The leaf_hash column is only an
// index: the entry found is hashed again, so that a tampered column yields
// ErrNotFound rather than another entry's index.
func (r reader) IndexByLeafHash(ctx context.Context, h tlog.Hash) (uint64, error) {
	var idx int64
	var entry []byte
	err := r.q.QueryRow(ctx, `SELECT idx, entry FROM audit_entries WHERE leaf_hash = $1 ORDER BY idx LIMIT 1`,
		h[:]).Scan(&idx, &entry)
	switch {
	case isNoRows(err):
		return 0, fmt.Errorf("%w: leaf hash %s", audit.ErrNotFound, h)
	case err != nil:
		return 0, wrap(err, "audit entry")
	case audit.LeafHash(entry) != h:
		return 0, fmt.Errorf("%w: leaf hash %s (the index names entry %d, which hashes otherwise)",
			audit.ErrNotFound, h, idx)
	}
	return uint64(idx), nil
}

// clamp converts a leaf index to the stored integer type; indexes beyond it
// select nothing either way.
func clamp(i uint64) int64 { return int64(min(i, math.MaxInt64)) }

// The DB serves the log's reads outside a write transaction.
var _ store.AuditDB = (*DB)(nil)
