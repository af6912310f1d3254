package sqlstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/store"
	"golang.org/x/mod/sumdb/tlog"
)

// The transaction implements the whole audit storage contract.
var _ store.AuditTx = tx{}

// LockTree implements audit.Appender. Updating the tree row (to the same value)
// takes its row lock in PostgreSQL, held until the transaction ends, so appends
// and checkpoints of every replica are serialised; in SQLite the transaction
// already holds the database's write lock (BEGIN IMMEDIATE). Later calls in the
// same transaction return the size followed in memory (see treeState).
func (t tx) LockTree(ctx context.Context) (uint64, error) {
	if size, ok := t.tree.lockedSize(); ok {
		return uint64(size), nil
	}
	var size int64
	err := t.q.QueryRow(ctx, `UPDATE audit_tree SET size = size WHERE id = 1 RETURNING size`).Scan(&size)
	if err != nil {
		return 0, fmt.Errorf("store: locking the audit tree: %w", err)
	}
	t.tree.lock(size)
	return uint64(size), nil
}

// AppendLeaf implements audit.Appender: the entry is inserted only if
// leaf.Index is the tree size (ErrConflict otherwise), which moves the size to
// leaf.Index+1 (trigger audit_entries_grow), and its hashes are inserted; all
// in the caller's transaction. When the dialect has AppendLeaves and the
// transaction holds the tree lock, the index is checked against the size
// followed in memory and the leaf is written with the others of the
// transaction in one statement, before anything reads the log and before the
// commit (see flushLeaves); otherwise it is written at once.
func (t tx) AppendLeaf(ctx context.Context, leaf audit.Leaf) error {
	if err := checkLeaf(leaf); err != nil {
		return err
	}
	idx, first := int64(leaf.Index), tlog.StoredHashCount(int64(leaf.Index))
	size, locked := t.tree.lockedSize()
	switch {
	case t.d.AppendLeaves == "" || !locked:
		if err := t.appendNow(ctx, idx, first, leaf); err != nil {
			t.tree.forget()
			return err
		}
	case size != idx:
		return fmt.Errorf("%w: audit leaf %d is not at the end of the tree", store.ErrConflict, idx)
	case t.tree.full(len(leaf.Hashes)):
		if err := t.flushLeaves(ctx); err != nil {
			return err
		}
		fallthrough
	default:
		t.tree.hold(leaf)
	}
	t.tree.appended(idx, first, leaf.Hashes)
	return nil
}

// appendNow writes one leaf.
func (t tx) appendNow(ctx context.Context, idx, first int64, leaf audit.Leaf) error {
	if t.d.AppendLeaves == "" {
		return t.appendTwo(ctx, idx, first, leaf)
	}
	return t.writeLeaves(ctx, []audit.Leaf{leaf})
}

// flushLeaves writes the leaves held back by AppendLeaf.
func (t tx) flushLeaves(ctx context.Context) error {
	if t.tree == nil || len(t.tree.pending) == 0 {
		return nil
	}
	leaves := t.tree.pending
	t.tree.pending = nil
	if err := t.writeLeaves(ctx, leaves); err != nil {
		t.tree.forget()
		return err
	}
	return nil
}

// writeLeaves runs the dialect's AppendLeaves statement for consecutive
// leaves, which changes no row unless the first index is the tree size.
func (t tx) writeLeaves(ctx context.Context, leaves []audit.Leaf) error {
	var entries, leafHashes, hashes [][]byte
	subjects := make([]string, 0, len(leaves))
	for _, l := range leaves {
		entries = append(entries, l.Entry)
		leafHashes = append(leafHashes, l.Hashes[0][:])
		subjects = append(subjects, l.Subject)
		for i := range l.Hashes {
			hashes = append(hashes, l.Hashes[i][:])
		}
	}
	idx := int64(leaves[0].Index)
	n, err := t.q.Exec(ctx, t.d.AppendLeaves, idx, entries, leafHashes, subjects, tlog.StoredHashCount(idx), hashes)
	return changed(n, err, fmt.Sprintf("audit leaf %d is not at the end of the tree", idx),
		fmt.Sprintf("recording audit entries %d to %d", idx, idx+int64(len(leaves))-1))
}

// appendTwo inserts the entry, then its hashes.
func (t tx) appendTwo(ctx context.Context, idx, first int64, leaf audit.Leaf) error {
	n, err := t.q.Exec(ctx, `INSERT INTO audit_entries (idx, entry, leaf_hash, subject)
		SELECT size, $2, $3, $4 FROM audit_tree WHERE id = 1 AND size = $1`,
		idx, leaf.Entry, leaf.Hashes[0][:], nullable(leaf.Subject))
	if err := changed(n, err, fmt.Sprintf("audit leaf %d is not at the end of the tree", idx),
		fmt.Sprintf("recording audit entry %d", idx)); err != nil {
		return err
	}
	return t.insertHashes(ctx, first, leaf.Hashes)
}

// checkLeaf refuses a leaf whose parts do not fit the tlog layout or the bounds.
func checkLeaf(leaf audit.Leaf) error {
	switch idx := int64(leaf.Index); {
	case idx < 0:
		return &store.FieldError{Field: "audit leaf index", Reason: "out of range"}
	case len(leaf.Entry) == 0 || len(leaf.Entry) > audit.MaxEntrySize:
		return &store.FieldError{Field: "audit entry", Reason: "empty or too long"}
	case len(leaf.Subject) > store.MaxDIDLen:
		return &store.FieldError{Field: "audit subject", Reason: "too long"}
	case int64(len(leaf.Hashes)) != tlog.StoredHashCount(idx+1)-tlog.StoredHashCount(idx):
		return &store.FieldError{Field: "audit hashes", Reason: "not the leaf's stored hashes"}
	case leaf.Hashes[0] != audit.LeafHash(leaf.Entry):
		return &store.FieldError{Field: "audit hashes", Reason: "the first is not the entry's leaf hash"}
	}
	return nil
}

// insertHashes stores hashes at storage indexes first, first+1, … in one
// statement (a leaf has at most 64).
func (t tx) insertHashes(ctx context.Context, first int64, hashes []tlog.Hash) error {
	var rows bytes.Buffer
	args := make([]any, 0, 2*len(hashes))
	for i := range hashes {
		if i > 0 {
			rows.WriteString(", ")
		}
		fmt.Fprintf(&rows, "($%d, $%d)", 2*i+1, 2*i+2)
		args = append(args, first+int64(i), hashes[i][:])
	}
	_, err := t.q.Exec(ctx, `INSERT INTO audit_hashes (storage_idx, hash) VALUES `+rows.String(), args...)
	if err != nil {
		return fmt.Errorf("store: recording audit hashes: %w", err)
	}
	return nil
}

// SaveCheckpoint implements audit.CheckpointStore: it adds the signed note to
// the checkpoint history. The database refuses a checkpoint smaller than the
// latest or larger than the tree.
func (t tx) SaveCheckpoint(ctx context.Context, signed []byte) error {
	size, err := checkpointSize(signed)
	if err != nil {
		return err
	}
	if err := t.flushLeaves(ctx); err != nil {
		return err
	}
	_, err = t.q.Exec(ctx, `INSERT INTO audit_checkpoints (size, note) VALUES ($1, $2)`, int64(size), signed)
	if err != nil {
		return fmt.Errorf("store: recording audit checkpoint of size %d: %w", size, err)
	}
	return nil
}

// checkpointSize reads the tree size of a signed checkpoint. The signature is
// not checked here: audit.Checkpointer signed it a moment ago.
func checkpointSize(signed []byte) (uint64, error) {
	if len(signed) > audit.MaxNoteSize {
		return 0, &store.FieldError{Field: "audit checkpoint", Reason: "too long"}
	}
	text, _, ok := cutNote(signed)
	if !ok {
		return 0, &store.FieldError{Field: "audit checkpoint", Reason: "not a signed note"}
	}
	c, err := audit.ParseCheckpoint(text)
	if err != nil {
		return 0, fmt.Errorf("%w: %w", store.ErrInvalid, err)
	}
	return c.Size, nil
}

// cutNote splits a signed note into its text (ending in a newline) and its
// signature lines. C2SP signed-note: "A signed note consists of a text ending
// in newline (U+000A), followed by a blank line (only a newline), followed by
// one or more signature lines"; as the text may hold empty lines, the split is
// at the last blank line.
func cutNote(signed []byte) (text string, sigs []byte, ok bool) {
	i := bytes.LastIndex(signed, []byte("\n\n"))
	if i < 0 {
		return "", nil, false
	}
	return string(signed[:i+1]), signed[i+2:], true
}

func isNoRows(err error) bool { return errors.Is(err, ErrNoRows) }
