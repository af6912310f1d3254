package audit

import (
	"context"
	"fmt"
)

// MaxQueryLimit bounds the entries one query returns.
const MaxQueryLimit = 1000

// Record is a decoded logged entry and its index.
type Record struct {
	Index uint64
	Entry Entry
}

// EntriesForDID returns up to limit (at most [MaxQueryLimit]) entries about the
// subject did with index ≥ from, in index order.
func EntriesForDID(ctx context.Context, r Reader, did string, from uint64, limit int) ([]Record, error) {
	if limit <= 0 || limit > MaxQueryLimit {
		limit = MaxQueryLimit
	}
	stored, err := r.EntriesForDID(ctx, did, from, limit)
	if err != nil {
		return nil, fmt.Errorf("audit: entries for DID: %w", err)
	}
	out := make([]Record, 0, len(stored))
	for _, s := range stored {
		e, err := ParseEntry(s.Entry)
		if err != nil {
			return nil, fmt.Errorf("audit: entry %d: %w", s.Index, err)
		}
		out = append(out, Record{Index: s.Index, Entry: e})
	}
	return out, nil
}
