package audit

import (
	"context"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"
)

// TreeHash returns the RFC 6962 root hash of the first size leaves.
func TreeHash(ctx context.Context, r HashReader, size uint64) (tlog.Hash, error) {
	if size >= maxTreeSize {
		return tlog.Hash{}, fmt.Errorf("%w: size %d", ErrOutOfRange, size)
	}
	h, err := tlog.TreeHash(int64(size), hashReader(ctx, r))
	if err != nil {
		return tlog.Hash{}, fmt.Errorf("audit: tree hash at %d: %w", size, err)
	}
	return h, nil
}

// InclusionProof returns the RFC 9162 inclusion proof (audit path) of leaf index
// in the tree of the given size. It reads at most log₂(size) stored hashes.
func InclusionProof(ctx context.Context, r HashReader, index, size uint64) ([]tlog.Hash, error) {
	if index >= size || size >= maxTreeSize {
		return nil, fmt.Errorf("%w: leaf %d in tree of %d", ErrOutOfRange, index, size)
	}
	p, err := tlog.ProveRecord(int64(size), int64(index), hashReader(ctx, r))
	if err != nil {
		return nil, fmt.Errorf("audit: inclusion proof of %d in %d: %w", index, size, err)
	}
	return p, nil
}

// LeafFinder finds a leaf by its hash and reads stored hashes.
type LeafFinder interface {
	HashReader
	IndexByLeafHash(ctx context.Context, h tlog.Hash) (uint64, error)
}

// InclusionProofByLeafHash finds the leaf with hash leaf (the lowest index, if an
// identical entry was logged twice) and returns its index and inclusion proof in
// the tree of the given size. It fails with [ErrNotFound] when no leaf in that
// tree has this hash.
func InclusionProofByLeafHash(ctx context.Context, r LeafFinder, leaf tlog.Hash, size uint64) (uint64, []tlog.Hash, error) {
	index, err := r.IndexByLeafHash(ctx, leaf)
	if err != nil {
		return 0, nil, fmt.Errorf("audit: leaf %s: %w", leaf, err)
	}
	if index >= size {
		return 0, nil, fmt.Errorf("%w: leaf %s is not in the tree of size %d", ErrNotFound, leaf, size)
	}
	p, err := InclusionProof(ctx, r, index, size)
	return index, p, err
}

// ConsistencyProof returns the RFC 9162 consistency proof that the tree of size
// newSize extends the tree of size oldSize. It is empty when oldSize is 0 or
// equals newSize.
func ConsistencyProof(ctx context.Context, r HashReader, oldSize, newSize uint64) ([]tlog.Hash, error) {
	if oldSize > newSize || newSize >= maxTreeSize {
		return nil, fmt.Errorf("%w: consistency from %d to %d", ErrOutOfRange, oldSize, newSize)
	}
	if oldSize == 0 || oldSize == newSize {
		return []tlog.Hash{}, nil
	}
	p, err := tlog.ProveTree(int64(newSize), int64(oldSize), hashReader(ctx, r))
	if err != nil {
		return nil, fmt.Errorf("audit: consistency proof %d→%d: %w", oldSize, newSize, err)
	}
	return p, nil
}
