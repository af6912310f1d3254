package verify

import (
	"bytes"
	"fmt"
)

// State is what an auditor keeps between runs: the last checkpoint it verified.
// Its file form ([State.Marshal]) is that signed checkpoint note itself, so a
// state file is authenticated by the log key and readable by any C2SP tool. The
// zero State means nothing has been seen yet.
type State struct {
	checkpoint Checkpoint
	note       []byte
}

// Size returns the tree size of the last verified checkpoint (0 for none).
func (s State) Size() uint64 { return s.checkpoint.Size }

// Root returns the root hash of the last verified checkpoint (nil for none).
func (s State) Root() []byte { return bytes.Clone(s.checkpoint.Root) }

// Marshal returns the state file contents (empty for the zero State).
func (s State) Marshal() []byte { return bytes.Clone(s.note) }

// LoadState reads a state file written by [State.Marshal], checking its
// signature; empty data is the zero State.
func (v *Verifier) LoadState(data []byte) (State, error) {
	if len(data) == 0 {
		return State{}, nil
	}
	c, err := v.Open(data)
	if err != nil {
		return State{}, fmt.Errorf("state: %w", err)
	}
	return State{checkpoint: c, note: bytes.Clone(data)}, nil
}

// checkGrowth checks that c extends the state's checkpoint: by recomputing the
// old root when leaves holds the whole old tree, else with the bundle's
// consistency proof.
func (s State) checkGrowth(c Checkpoint, proof *Consistency, leaves [][]byte) error {
	old := s.checkpoint
	switch {
	case s.note == nil || old.Size == 0:
		return nil
	case c.Size < old.Size:
		return tamper(ErrRollback, old.Size, "checkpoint size %d is below the %d seen before", c.Size, old.Size)
	case c.Size == old.Size:
		if !bytes.Equal(c.Root, old.Root) {
			return tamper(ErrInconsistent, old.Size, "two different roots for the same tree size")
		}
		return nil
	case uint64(len(leaves)) >= old.Size:
		if root, err := treeRoot(leaves[:old.Size]); err != nil || !bytes.Equal(root, old.Root) {
			return tamper(ErrInconsistent, old.Size, "the entries do not hash to the root seen at this size")
		}
		return nil
	case proof == nil || proof.From != old.Size:
		return tamper(ErrInconsistent, old.Size, "bundle has no consistency proof from size %d", old.Size)
	}
	if err := verifyConsistency(old.Size, c.Size, proof.Proof, old.Root, c.Root); err != nil {
		return tamper(ErrInconsistent, old.Size, "consistency proof to size %d: %v", c.Size, err)
	}
	return nil
}
