package audit

import "errors"

var (
	// ErrInvalidEntry is returned for an entry that is not well formed or whose
	// encoding is not canonical.
	ErrInvalidEntry = errors.New("audit: invalid entry")
	// ErrOutOfRange is returned for an index or tree size beyond the tree.
	ErrOutOfRange = errors.New("audit: index or size out of range")
	// ErrNotFound is returned (and must be returned by [Reader.IndexByLeafHash])
	// when no entry has the requested leaf hash.
	ErrNotFound = errors.New("audit: entry not found")
	// ErrSmallerTree is returned by [Checkpointer.Sign] when the tree is smaller
	// than the last signed checkpoint: it refuses to sign.
	ErrSmallerTree = errors.New("audit: tree smaller than last signed checkpoint")
	// ErrInconsistentTree is returned by [Checkpointer.Sign] when the stored tree
	// does not extend the last signed checkpoint: it refuses to sign.
	ErrInconsistentTree = errors.New("audit: tree inconsistent with last signed checkpoint")
	// ErrMalformedCheckpoint is returned for a checkpoint or signed note that does
	// not follow C2SP tlog-checkpoint and signed-note.
	ErrMalformedCheckpoint = errors.New("audit: malformed checkpoint")
	// ErrBadSignature is returned for a checkpoint that the given key did not sign.
	ErrBadSignature = errors.New("audit: checkpoint signature does not verify")
	// ErrInvalidOrigin is returned for a log origin (the key name) that signed
	// notes cannot carry: empty, or containing Unicode spaces or "+".
	ErrInvalidOrigin = errors.New("audit: invalid origin")
	// ErrUnsupportedKey is returned for a log key that is not Ed25519.
	ErrUnsupportedKey = errors.New("audit: unsupported log key")
	// ErrDuplicateKey is returned by [NewCheckpointer] when two of the log's
	// keys have the same key ID: the same key given twice.
	ErrDuplicateKey = errors.New("audit: log key given twice")
)
