package verify

import (
	"errors"
	"fmt"
)

var (
	// ErrMalformed is returned for a bundle, checkpoint or state that does not
	// parse or exceeds a size bound.
	ErrMalformed = errors.New("verify: malformed input")
	// ErrBadSignature is returned for a checkpoint not signed by the log key, or
	// whose origin is not the log's.
	ErrBadSignature = errors.New("verify: checkpoint signature does not verify")
	// ErrMissingEntry means an entry of the exported range is absent.
	ErrMissingEntry = errors.New("verify: entry missing")
	// ErrReordered means an entry is out of order: listed twice or after a later
	// one, or holding the content of another index.
	ErrReordered = errors.New("verify: entry reordered")
	// ErrChangedEntry means an entry's content differs from the logged one.
	ErrChangedEntry = errors.New("verify: entry changed")
	// ErrBadHash means the entry is intact but its inclusion proof holds a hash
	// that is not the log's (a changed stored hash).
	ErrBadHash = errors.New("verify: proof hash changed")
	// ErrNotIncluded means an entry does not verify against the checkpoint and
	// the bundle has no other proof telling whether the entry or its proof changed.
	ErrNotIncluded = errors.New("verify: entry not included in checkpoint")
	// ErrRootMismatch means all entries of the tree do not hash to the root the
	// checkpoint signs.
	ErrRootMismatch = errors.New("verify: entries do not hash to the checkpoint root")
	// ErrInconsistent means the checkpoint is not an append-only extension of the
	// last one the auditor saw.
	ErrInconsistent = errors.New("verify: checkpoint inconsistent with the last one seen")
	// ErrRollback means the checkpoint is smaller than the last one seen.
	ErrRollback = errors.New("verify: checkpoint smaller than the last one seen")
)

// TamperError locates a failure: Index is the leaf index for entry failures, or
// a tree size for checkpoint failures. errors.Is(err, Kind) holds.
type TamperError struct {
	Kind   error
	Index  uint64
	Detail string
}

func (e *TamperError) Error() string {
	return fmt.Sprintf("%v at index %d: %s", e.Kind, e.Index, e.Detail)
}

func (e *TamperError) Unwrap() error { return e.Kind }

func tamper(kind error, index uint64, format string, args ...any) error {
	return &TamperError{Kind: kind, Index: index, Detail: fmt.Sprintf(format, args...)}
}
