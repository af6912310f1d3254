package verify

// checkInclusion verifies every entry's inclusion proof and, at the first one
// that fails, works out what was tampered with.
func checkInclusion(b *Bundle, c Checkpoint, leaves [][]byte) error {
	ok := make([]bool, len(b.Entries))
	first := -1
	for i, e := range b.Entries {
		ok[i] = verifyInclusion(e.Index, c.Size, leaves[i], e.Proof, c.Root) == nil
		if !ok[i] && first < 0 {
			first = i
		}
	}
	if first < 0 {
		return nil
	}
	if err := checkCommonRoot(b, c, leaves, ok); err != nil {
		return err
	}
	w := collectWitnesses(b, c.Size, ok)
	return w.classify(b.Entries[first], leaves[first], c.Size)
}

// witnesses holds what the bundle's proofs say single leaves hash to: each
// proof carries the leaf hashes of some other indexes (a leaf's sibling, or a
// lone leaf at the right edge). Claims from proofs that verify win.
type witnesses struct {
	at    map[uint64][]byte // leaf index → leaf hash claimed by another proof
	index map[string]uint64 // claimed leaf hash → its leaf index
}

func collectWitnesses(b *Bundle, size uint64, ok []bool) witnesses {
	w := witnesses{at: map[uint64][]byte{}, index: map[string]uint64{}}
	for _, pass := range []bool{false, true} { // verified claims overwrite others
		for i, e := range b.Entries {
			if ok[i] != pass {
				continue
			}
			for pos, leaf := range leafElements(e.Index, size) {
				if pos < len(e.Proof) {
					w.at[leaf] = e.Proof[pos]
					w.index[string(e.Proof[pos])] = leaf
				}
			}
		}
	}
	return w
}

// classify explains why e, whose leaf hash is leaf, failed its inclusion proof.
// Other entries' proofs carry e's leaf hash as the log stored it. If e matches
// that claim, e is intact and a hash in its own proof is wrong; if e's hash is
// claimed for another index, e holds that index's content; otherwise e changed.
func (w witnesses) classify(e BundleEntry, leaf []byte, size uint64) error {
	claimed, known := w.at[e.Index]
	if known && string(claimed) == string(leaf) {
		return tamper(ErrBadHash, e.Index, "the entry matches the log, its inclusion proof does not")
	}
	if at, moved := w.index[string(leaf)]; moved && at != e.Index {
		return tamper(ErrReordered, e.Index, "the entry is the one logged at index %d", at)
	}
	if known || size == 1 { // a one-leaf tree's root is the leaf hash
		return tamper(ErrChangedEntry, e.Index, "the entry's hash is not the logged one")
	}
	return tamper(ErrNotIncluded, e.Index, "neither the entry nor its proof can be confirmed")
}

// checkCommonRoot reports [ErrRootMismatch] when no entry verifies yet all
// proofs agree on one root: entries and proofs are a consistent tree, but not
// the one the checkpoint signs.
func checkCommonRoot(b *Bundle, c Checkpoint, leaves [][]byte, ok []bool) error {
	var common []byte
	for i, e := range b.Entries {
		root, err := rootFromInclusion(e.Index, c.Size, leaves[i], e.Proof)
		if ok[i] || err != nil || (common != nil && string(root) != string(common)) {
			return nil
		}
		common = root
	}
	if len(b.Entries) < 2 {
		return nil
	}
	return tamper(ErrRootMismatch, c.Size, "all %d entries prove one root, not the checkpoint's", len(b.Entries))
}
