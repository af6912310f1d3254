package audit

import (
	"context"
	"fmt"

	"github.com/kakunin-dev/kakunin/audit/verify"
	"golang.org/x/mod/sumdb/tlog"
)

// ExportRequest selects what [Checkpointer.Export] puts in a bundle. The zero
// value exports the whole tree of the latest checkpoint without a consistency
// proof.
type ExportRequest struct {
	From uint64 // first index
	To   uint64 // end index (exclusive); 0 means the checkpoint's tree size
	// Since is the tree size the auditor last verified; when it is between 0 and
	// the checkpoint's size, the bundle carries a consistency proof from it.
	Since uint64
}

// Export returns a self-contained bundle of the requested entries, each with
// its inclusion proof in the tree of the latest signed checkpoint, for
// audit/verify to check offline. It exports what the store holds: a gap or a
// wrong hash in storage shows up in the bundle for the verifier to locate. It
// fails with [ErrOutOfRange] for a range beyond the checkpoint or larger than
// verify.MaxBundleEntries.
func (c *Checkpointer) Export(ctx context.Context, r Reader, req ExportRequest) (*verify.Bundle, error) {
	latest, err := c.latest(ctx, r)
	if err != nil {
		return nil, err
	}
	if latest == nil {
		return nil, fmt.Errorf("%w: no checkpoint signed yet", ErrOutOfRange)
	}
	size := latest.checkpoint.Size
	if req.To == 0 {
		req.To = size
	}
	if req.From > req.To || req.To > size || req.To-req.From > verify.MaxBundleEntries || req.Since > size {
		return nil, fmt.Errorf("%w: export [%d, %d) since %d of a tree of %d", ErrOutOfRange, req.From, req.To, req.Since, size)
	}
	b := &verify.Bundle{Checkpoint: string(latest.note), From: req.From, To: req.To, Entries: []verify.BundleEntry{}}
	if req.Since > 0 && req.Since < size {
		p, err := ConsistencyProof(ctx, r, req.Since, size)
		if err != nil {
			return nil, err
		}
		b.Consistency = &verify.Consistency{From: req.Since, Proof: hashBytes(p)}
	}
	entries, err := r.EntriesRange(ctx, req.From, req.To)
	if err != nil {
		return nil, fmt.Errorf("audit: read entries: %w", err)
	}
	for _, e := range entries {
		p, err := InclusionProof(ctx, r, e.Index, size)
		if err != nil {
			return nil, err
		}
		b.Entries = append(b.Entries, verify.BundleEntry{Index: e.Index, Entry: e.Entry, Proof: hashBytes(p)})
	}
	return b, nil
}

func hashBytes(hs []tlog.Hash) [][]byte {
	out := make([][]byte, len(hs))
	for i := range hs {
		out[i] = hs[i][:]
	}
	return out
}
