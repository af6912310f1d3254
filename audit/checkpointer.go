package audit

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"fmt"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Checkpointer signs the log's checkpoints with the log key. The key name in
// the signature line is the origin ("The log's key name in its signature line
// SHOULD match the origin line", C2SP tlog-checkpoint).
type Checkpointer struct {
	origin   string
	signer   note.Signer
	verifier note.Verifier
	vkey     string
}

// NewCheckpointer returns a Checkpointer for the log named origin (a
// schema-less URL such as "kakunin.example/audit") signing with key, an Ed25519
// crypto.Signer from a file or an HSM.
func NewCheckpointer(origin string, key crypto.Signer) (*Checkpointer, error) {
	s, err := NewNoteSigner(origin, key)
	if err != nil {
		return nil, err
	}
	vkey, err := VerifierKey(origin, key.Public().(ed25519.PublicKey))
	if err != nil {
		return nil, err
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnsupportedKey, err)
	}
	return &Checkpointer{origin: origin, signer: s, verifier: v, vkey: vkey}, nil
}

// Origin returns the log's origin line.
func (c *Checkpointer) Origin() string { return c.origin }

// VerifierKey returns the signed-note verifier key auditors configure.
func (c *Checkpointer) VerifierKey() string { return c.vkey }

// Sign signs a checkpoint of the whole tree in tx and saves it as the latest,
// returning the signed note. C2SP tlog-checkpoint: "A log MUST not sign any
// checkpoint which is inconsistent with any checkpoint it previously signed", so
// before signing it opens the last saved checkpoint (which must verify with
// this key) and fails with [ErrSmallerTree] if the tree shrank, or
// [ErrInconsistentTree] unless a consistency proof computed from the stored
// hashes links the two roots. When the tree has not grown it returns the last
// checkpoint unchanged.
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
		if prev.checkpoint.Size == size {
			return prev.note, nil
		}
	}
	signed, err := note.Sign(&note.Note{Text: Checkpoint{Origin: c.origin, Size: size, Root: root}.Text()}, c.signer)
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
	cp, err := OpenCheckpoint(signed, c.origin, c.verifier)
	if err != nil {
		return nil, fmt.Errorf("audit: stored checkpoint: %w", err)
	}
	return &signedCheckpoint{checkpoint: cp, note: signed}, nil
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
