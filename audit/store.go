package audit

import (
	"context"

	"golang.org/x/mod/sumdb/tlog"
)

// HashReader reads stored node hashes (see [Tx] for the contract).
type HashReader interface {
	// ReadHashes returns the hashes at the given storage indexes, in the same
	// order. Every index asked for has been written; a missing one is an error.
	ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error)
}

// Leaf is what [Append] writes for one entry.
type Leaf struct {
	Index   uint64 // leaf index, equal to the tree size before the append
	Entry   []byte // canonical entry encoding
	Subject string // the entry's subject DID, to be indexed for EntriesForDID ("" for none)
	// Hashes are stored at storage indexes tlog.StoredHashCount(Index)+k.
	// Hashes[0] is the leaf hash, to be indexed for IndexByLeafHash.
	Hashes []tlog.Hash
}

// Appender is the transaction [Append] runs in.
type Appender interface {
	HashReader
	// LockTree takes the append lock described at [Tx] and returns the tree size
	// (the number of leaves) as seen under that lock.
	LockTree(ctx context.Context) (uint64, error)
	// AppendLeaf stores leaf and its hashes and sets the tree size to
	// leaf.Index+1. It must fail if leaf.Index is not the current size.
	AppendLeaf(ctx context.Context, leaf Leaf) error
}

// CheckpointStore is the transaction [Checkpointer.Sign] runs in.
type CheckpointStore interface {
	HashReader
	// LockTree is [Appender.LockTree].
	LockTree(ctx context.Context) (uint64, error)
	// LatestCheckpoint returns the last saved signed checkpoint, or nil if none.
	LatestCheckpoint(ctx context.Context) ([]byte, error)
	// SaveCheckpoint durably records a signed checkpoint as the latest one.
	SaveCheckpoint(ctx context.Context, signed []byte) error
}

// StoredEntry is an entry as read back from storage.
type StoredEntry struct {
	Index uint64
	Entry []byte
}

// Reader serves proofs, exports and queries; it needs no lock.
type Reader interface {
	HashReader
	// LatestCheckpoint is [CheckpointStore.LatestCheckpoint].
	LatestCheckpoint(ctx context.Context) ([]byte, error)
	// EntriesRange returns the entries with from <= index < to, in index order.
	EntriesRange(ctx context.Context, from, to uint64) ([]StoredEntry, error)
	// IndexByLeafHash returns the lowest index whose leaf hash is h, or an error
	// wrapping ErrNotFound.
	IndexByLeafHash(ctx context.Context, h tlog.Hash) (uint64, error)
	// EntriesForDID returns at most limit entries whose subject is did and whose
	// index is at least from, in index order.
	EntriesForDID(ctx context.Context, did string, from uint64, limit int) ([]StoredEntry, error)
}

// Tx is everything a store transaction offers the log: the storage contract.
// The SQL stores implement these interfaces on their
// transaction type, so the log is written in the same transaction as the state
// change it records; audit/memstore implements them in memory.
//
// Layout. Node hashes are stored as golang.org/x/mod/sumdb/tlog lays them out:
// every node of the tree, addressed by its storage index
// (tlog.StoredHashIndex(level, n)); leaf i's hashes start at
// tlog.StoredHashCount(i). Only appends write hashes, so a stored hash never
// changes.
//
// Concurrency. Several replicas may share one database. Appends and checkpoint
// signing are serialised by [Appender.LockTree]: from the moment it returns
// until the transaction ends, no other transaction may append or save a
// checkpoint (PostgreSQL: SELECT … FOR UPDATE on a one-row tree-size table, or
// pg_advisory_xact_lock; SQLite: BEGIN IMMEDIATE). A transaction that rolls back
// leaves no trace: the leaf, its hashes and the size move together.
//
// A schema that fits: audit_tree(size) with one row (the lock target);
// audit_entries(idx PRIMARY KEY, entry, leaf_hash, subject) with indexes on
// leaf_hash and (subject, idx); audit_hashes(storage_idx PRIMARY KEY, hash);
// audit_checkpoint(note) with one row. ReadHashes gets at most about
// 2·log₂(size) indexes per call: use one query (storage_idx = ANY($1)) and put
// the results back in the order asked.
type Tx interface {
	Appender
	CheckpointStore
	Reader
}

// hashReader adapts a HashReader to tlog's context-free interface.
func hashReader(ctx context.Context, r HashReader) tlog.HashReader {
	return tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		return r.ReadHashes(ctx, indexes)
	})
}
