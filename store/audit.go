package store

import (
	"fmt"

	"github.com/kakunin-dev/kakunin/audit"
)

// AuditTx is a [Tx] that also writes the audit log, so that a state change and
// the entry recording it commit together:
//
//	err := db.Tx(ctx, func(tx store.Tx) error {
//		if err := tx.PutCertificate(ctx, c); err != nil {
//			return err
//		}
//		atx, err := store.Audit(tx)
//		if err != nil {
//			return err
//		}
//		_, err = audit.Append(ctx, atx, entry)
//		return err
//	})
//
// Both SQL backends implement it. The log tables are append-only (write once,
// read many): the migrations refuse UPDATE, DELETE and TRUNCATE on entries,
// hashes and checkpoints.
type AuditTx interface {
	Tx
	audit.Tx
}

// AuditDB is a [DB] that serves the audit log's proofs, exports and queries
// outside a write transaction (audit.Reader reads what was committed).
type AuditDB interface {
	DB
	audit.Reader
}

// Audit returns tx as an [AuditTx], or an error wrapping ErrSchema when the
// backend keeps no audit log.
func Audit(tx Tx) (AuditTx, error) {
	a, ok := tx.(AuditTx)
	if !ok {
		return nil, fmt.Errorf("%w: this store keeps no audit log", ErrSchema)
	}
	return a, nil
}

// MissingHashError is an ErrNotFound for a node hash of the audit log that the
// store does not hold although the tree size says it must (a damaged or
// tampered database). StorageIndex is its tlog storage index.
type MissingHashError struct {
	StorageIndex int64
}

func (e *MissingHashError) Error() string {
	return fmt.Sprintf("store: audit hash at storage index %d is missing", e.StorageIndex)
}

// Unwrap returns ErrNotFound.
func (e *MissingHashError) Unwrap() error { return ErrNotFound }
