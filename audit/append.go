package audit

import (
	"context"
	"fmt"
	"math"

	"golang.org/x/mod/sumdb/tlog"
)

// maxTreeSize keeps sizes representable as tlog's int64 indexes.
const maxTreeSize = math.MaxInt64 / 2

// Append logs e as the next leaf, inside the caller's transaction tx, and
// returns its index. It fails with [ErrInvalidEntry] for an invalid entry; store
// errors are returned wrapped.
func Append(ctx context.Context, tx Appender, e Entry) (uint64, error) {
	data, err := e.Encode()
	if err != nil {
		return 0, err
	}
	size, err := tx.LockTree(ctx)
	if err != nil {
		return 0, fmt.Errorf("audit: lock tree: %w", err)
	}
	if size >= maxTreeSize {
		return 0, fmt.Errorf("%w: tree is full", ErrOutOfRange)
	}
	hashes, err := tlog.StoredHashes(int64(size), data, hashReader(ctx, tx))
	if err != nil {
		return 0, fmt.Errorf("audit: tree hashes: %w", err)
	}
	leaf := Leaf{Index: size, Entry: data, Subject: e.Subject, Hashes: hashes}
	if err := tx.AppendLeaf(ctx, leaf); err != nil {
		return 0, fmt.Errorf("audit: append leaf %d: %w", size, err)
	}
	return size, nil
}

// LeafHash returns the RFC 6962 leaf hash of an encoded entry.
func LeafHash(entry []byte) tlog.Hash {
	return tlog.RecordHash(entry)
}
