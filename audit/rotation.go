package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// logKeysRecord is what a [LogKeyRotated] entry digests: the log's origin and
// the verifier keys that sign its checkpoints from the entry on, the current
// one first, as GET /audit/keys lists them.
type logKeysRecord struct {
	Origin string   `json:"origin"`
	Keys   []string `json:"keys"`
}

// KeysDigest returns the digest a [LogKeyRotated] entry records for this key
// set: the sha-256 of the JSON object {"origin":"…","keys":["…",…]}, keys in
// [Checkpointer.VerifierKeys] order, without white space.
func (c *Checkpointer) KeysDigest() (Digest, error) {
	data, err := json.Marshal(logKeysRecord{Origin: c.origin, Keys: c.vkeys})
	if err != nil {
		return "", fmt.Errorf("audit: log keys record: %w", err)
	}
	return SHA256(data), nil
}

// RecordKeys records a change of the log's keys, inside the caller's
// transaction tx. When the latest stored checkpoint is not signed by exactly
// this Checkpointer's keys in its order (a key was added, made current or
// removed since), it appends a [LogKeyRotated] entry (actor and tenant
// "system", digest [Checkpointer.KeysDigest]) and signs a checkpoint that
// includes it with every key, and returns true. With no stored checkpoint it
// records nothing: no auditor can have pinned a key yet.
//
// It fails with an error wrapping [ErrBadSignature] when none of the keys
// signed the stored checkpoint: the former key was dropped before any
// checkpoint was signed with the new one, so no verifier could follow.
func (c *Checkpointer) RecordKeys(ctx context.Context, tx Tx, now time.Time) (bool, error) {
	if _, err := tx.LockTree(ctx); err != nil {
		return false, fmt.Errorf("audit: lock tree: %w", err)
	}
	prev, err := c.latest(ctx, tx)
	if err != nil || prev == nil || prev.exact {
		return false, err
	}
	d, err := c.KeysDigest()
	if err != nil {
		return false, err
	}
	e := Entry{Type: LogKeyRotated, Time: now, Actor: "system", Tenant: "system", Digest: d}
	if _, err := Append(ctx, tx, e); err != nil {
		return false, err
	}
	if _, err := c.Sign(ctx, tx); err != nil {
		return false, err
	}
	return true, nil
}
