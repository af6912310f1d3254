package verify

import (
	"bytes"
	"fmt"
)

// Verify checks a bundle against the log key and the state kept from the
// previous run, and returns the state to keep next. It checks, in order:
//   - the checkpoint signature and origin ([ErrBadSignature], [ErrMalformed]);
//   - that every index of the range appears once, in order ([ErrMissingEntry],
//     [ErrReordered]);
//   - every entry's inclusion proof; at the first failure it names the cause:
//     [ErrChangedEntry], [ErrReordered] (the content of another index),
//     [ErrBadHash] (intact entry, wrong proof hash), [ErrRootMismatch] (entries
//     and proofs agree on a root other than the signed one) or [ErrNotIncluded]
//     (the bundle cannot tell);
//   - for a bundle of the whole tree, that the entries hash to the signed root
//     ([ErrRootMismatch]);
//   - that the checkpoint extends the state's ([ErrRollback], [ErrInconsistent]),
//     recomputing the old root when the bundle starts at index 0 and covers the
//     old tree, else with the bundle's consistency proof.
//
// Failures after the signature check are [*TamperError]s naming the index.
func (v *Verifier) Verify(st State, b *Bundle) (State, error) {
	if b == nil {
		return st, fmt.Errorf("%w: no bundle", ErrMalformed)
	}
	if err := b.checkBounds(); err != nil {
		return st, err
	}
	c, err := v.Open([]byte(b.Checkpoint))
	if err != nil {
		return st, err
	}
	if b.From > b.To || b.To > c.Size {
		return st, fmt.Errorf("%w: range [%d, %d) is not in the tree of size %d", ErrMalformed, b.From, b.To, c.Size)
	}
	if err := checkOrder(b); err != nil {
		return st, err
	}
	leaves := make([][]byte, len(b.Entries))
	for i, e := range b.Entries {
		leaves[i] = leafHash(e.Entry)
	}
	if err := checkInclusion(b, c, leaves); err != nil {
		return st, err
	}
	if b.From == 0 && b.To == c.Size {
		root, err := treeRoot(leaves)
		if err != nil || !bytes.Equal(root, c.Root) {
			return st, tamper(ErrRootMismatch, c.Size, "recomputed root differs from the checkpoint's")
		}
	}
	prefix := leaves // the leaves of the tree from index 0, if the bundle starts there
	if b.From != 0 {
		prefix = nil
	}
	if err := st.checkGrowth(c, b.Consistency, prefix); err != nil {
		return st, err
	}
	return State{checkpoint: c, note: []byte(b.Checkpoint)}, nil
}

// checkOrder requires the entries to be exactly the indexes From..To-1, in order.
func checkOrder(b *Bundle) error {
	listed := make(map[uint64]bool, len(b.Entries))
	for _, e := range b.Entries {
		listed[e.Index] = true
	}
	next := b.From
	for _, e := range b.Entries {
		switch {
		case e.Index < next:
			return tamper(ErrReordered, e.Index, "listed again, or after index %d", next-1)
		case e.Index > next && listed[next]:
			return tamper(ErrReordered, next, "listed after index %d", e.Index)
		case e.Index > next || e.Index >= b.To:
			return tamper(ErrMissingEntry, next, "the next entry listed is %d", e.Index)
		}
		next++
	}
	if next < b.To {
		return tamper(ErrMissingEntry, next, "the bundle ends before index %d", b.To)
	}
	return nil
}
