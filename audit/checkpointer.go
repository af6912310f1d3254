package audit

import (
	"context"
	"crypto"
	"fmt"
	"slices"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Checkpointer signs the log's checkpoints with the log key, and during a key
// rotation also with the retired keys. The key name in every signature line is
// the origin ("The log's key name in its signature line SHOULD match the origin
// line", C2SP tlog-checkpoint): the origin names the log, not a key, so it does
// not change when the key does.
type Checkpointer struct {
	origin    string
	signers   []note.Signer // the current key first, then the retired ones
	verifiers note.Verifiers
	vkeys     []string
}

// NewCheckpointer returns a Checkpointer for the log named origin (a
// schema-less URL such as "kakunin.example/audit") signing with key, an Ed25519
// crypto.Signer from a file or an HSM, and co-signing with the retired keys, the
// former log keys that verifiers may still pin during a rotation. It fails with
// [ErrUnsupportedKey] for a key that is not Ed25519, [ErrInvalidOrigin], or
// [ErrDuplicateKey] when two keys have one key ID (the same key given twice).
func NewCheckpointer(origin string, key crypto.Signer, retired ...crypto.Signer) (*Checkpointer, error) {
	c := &Checkpointer{origin: origin}
	var verifiers []note.Verifier
	seen := map[uint32]int{}
	for i, k := range append([]crypto.Signer{key}, retired...) {
		s, vkey, err := newKeyPair(origin, k)
		if err != nil && i > 0 {
			return nil, fmt.Errorf("%w (retired key %d)", err, i)
		}
		if err != nil {
			return nil, err
		}
		if j, dup := seen[s.KeyHash()]; dup {
			return nil, fmt.Errorf("%w: keys %d and %d (0 is the current key) have key ID %08x", ErrDuplicateKey, j, i, s.KeyHash())
		}
		seen[s.KeyHash()] = i
		v, err := note.NewVerifier(vkey)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrUnsupportedKey, err)
		}
		c.signers, c.vkeys, verifiers = append(c.signers, s), append(c.vkeys, vkey), append(verifiers, v)
	}
	c.verifiers = note.VerifierList(verifiers...)
	return c, nil
}

// Origin returns the log's origin line.
func (c *Checkpointer) Origin() string { return c.origin }

// VerifierKey returns the signed-note verifier key of the current log key, the
// one auditors configure.
func (c *Checkpointer) VerifierKey() string { return c.vkeys[0] }

// VerifierKeys returns the verifier keys of every key that signs checkpoints:
// the current one first, then the retired ones.
func (c *Checkpointer) VerifierKeys() []string { return slices.Clone(c.vkeys) }

// Open verifies that signed is a checkpoint of this log signed by at least one
// of its keys and returns the checkpoint; see [OpenCheckpoint].
func (c *Checkpointer) Open(signed []byte) (Checkpoint, error) {
	cp, _, err := openNote(signed, c.origin, c.verifiers)
	return cp, err
}

// Sign signs a checkpoint of the whole tree in tx and saves it as the latest,
// returning the signed note. C2SP tlog-checkpoint: "A log MUST not sign any
// checkpoint which is inconsistent with any checkpoint it previously signed", so
// before signing it opens the last saved checkpoint (which must verify with
// one of the log's keys) and fails with [ErrSmallerTree] if the tree shrank, or
// [ErrInconsistentTree] unless a consistency proof computed from the stored
// hashes links the two roots. When the tree has not grown it returns the last
// checkpoint unchanged, unless one of the log's keys did not sign it (a key was
// added since): it then signs the same checkpoint again with every key.
func (c *Checkpointer) Sign(ctx context.Context, tx CheckpointStore) ([]byte, error) {
	size, err := tx.LockTree(ctx)
	if err != nil {
		return nil, fmt.Errorf("audit: lock tree: %w", err)
	}
	root, err := TreeHash(ctx, tx, size)
	if err != nil {
		return nil, err
	}
	prev, err := c.latest(ctx, tx)
	if err != nil {
		return nil, err
	}
	if prev != nil {
		if err := c.extends(ctx, tx, prev.checkpoint, size, root); err != nil {
			return nil, err
		}
		if prev.checkpoint.Size == size && prev.complete {
			return prev.note, nil
		}
	}
	signed, err := note.Sign(&note.Note{Text: Checkpoint{Origin: c.origin, Size: size, Root: root}.Text()}, c.signers...)
	if err != nil {
		return nil, fmt.Errorf("audit: sign checkpoint: %w", err)
	}
	if err := tx.SaveCheckpoint(ctx, signed); err != nil {
		return nil, fmt.Errorf("audit: save checkpoint: %w", err)
	}
	return signed, nil
}

type signedCheckpoint struct {
	checkpoint Checkpoint
	note       []byte
	complete   bool // signed by every key of the log
	exact      bool // signed by the log's keys in their order, and by no other key under its name
}

// latest opens the last saved checkpoint, or returns nil if there is none.
func (c *Checkpointer) latest(ctx context.Context, r interface {
	LatestCheckpoint(context.Context) ([]byte, error)
}) (*signedCheckpoint, error) {
	signed, err := r.LatestCheckpoint(ctx)
	if err != nil {
		return nil, fmt.Errorf("audit: read latest checkpoint: %w", err)
	}
	if signed == nil {
		return nil, nil
	}
	cp, n, err := openNote(signed, c.origin, c.verifiers)
	if err != nil {
		return nil, fmt.Errorf("audit: stored checkpoint: %w", err)
	}
	return &signedCheckpoint{checkpoint: cp, note: signed, complete: len(n.Sigs) == len(c.signers), exact: c.signedByKeySet(n)}, nil
}

// signedByKeySet reports whether n carries valid signatures of the log's keys
// in their order (the current key first) and no signature under the log's name
// by another key.
func (c *Checkpointer) signedByKeySet(n *note.Note) bool {
	for _, s := range n.UnverifiedSigs {
		if s.Name == c.origin {
			return false
		}
	}
	if len(n.Sigs) != len(c.signers) {
		return false
	}
	for i, sig := range n.Sigs {
		if sig.Hash != c.signers[i].KeyHash() {
			return false
		}
	}
	return true
}

// extends checks that the stored tree of the given size and root extends prev.
func (c *Checkpointer) extends(ctx context.Context, r HashReader, prev Checkpoint, size uint64, root tlog.Hash) error {
	switch {
	case size < prev.Size:
		return fmt.Errorf("%w: tree has %d leaves, checkpoint %d", ErrSmallerTree, size, prev.Size)
	case prev.Size == 0 || size == prev.Size:
		old, err := TreeHash(ctx, r, prev.Size)
		if err != nil {
			return err
		}
		if old != prev.Root {
			return fmt.Errorf("%w: root at size %d differs from the signed one", ErrInconsistentTree, prev.Size)
		}
		return nil
	}
	p, err := ConsistencyProof(ctx, r, prev.Size, size)
	if err != nil {
		return err
	}
	if err := tlog.CheckTree(p, int64(size), root, int64(prev.Size), prev.Root); err != nil {
		return fmt.Errorf("%w: size %d to %d: %v", ErrInconsistentTree, prev.Size, size, err)
	}
	return nil
}
