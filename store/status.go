package store

import (
	"context"
	"io"
	"time"

	"github.com/kakunin-dev/kakunin/vc/status"
)

// Bounds of status lists. A list has at least status.MinEntries (131,072)
// entries, as Bitstring Status List v1.0 §2.2 requires of its bitstring, and
// at most status.DefaultMaxBytes (1 MiB) of bitstring, the most that a verifier
// with default options accepts.
const (
	MaxStatusBits   = status.DefaultMaxBytes * 8
	MaxStatusURLLen = 2048 // the URL prefix of a list
	// MaxStatusReserve bounds the indexes one ReserveStatusIndexes call claims.
	MaxStatusReserve = 1024
)

// StatusListSpec says which list an index is allocated from: the current list of
// an issuer instance for a purpose, and how a new one is made when it is full.
type StatusListSpec struct {
	InstanceID string         // the issuer instance (at most MaxIDLen bytes)
	Purpose    status.Purpose // statusPurpose of the list's entries
	// URLPrefix is prepended to a new list's id to make its URL, the
	// statusListCredential of its entries ("https://issuer.example/status/").
	URLPrefix string
	// Entries is the length of a new list in entries; 0 means status.MinEntries.
	// Fewer than status.MinEntries is refused.
	Entries int
	// StatusSize is the bits per entry of a new list (statusSize); 0 means 1.
	StatusSize int
	// Capacity is how many indexes of a new list are given out before the next
	// list is started; 0 means Entries. A lower capacity keeps lists sparse, so
	// indexes stay cheap to draw and the population of a list stays unguessable.
	Capacity int
	// At is the allocation time.
	At time.Time
}

// StatusList is a status list of an issuer instance. Lists of an instance and
// purpose are numbered by Seq; the one with the highest Seq is current.
type StatusList struct {
	ID         string
	InstanceID string
	Purpose    status.Purpose
	URL        string // the statusListCredential URL of its entries
	Seq        int64
	Entries    int
	StatusSize int
	Capacity   int
	Allocated  int   // indexes given out
	Version    int64 // raised by every status change; read before Bits
	Created    time.Time
	Updated    time.Time // last status change (Created when none)
	// Bits is the list's bitstring as of Version or later (StatusList only;
	// nil in other results).
	Bits *status.Bitstring
}

// StatusEntry is a credential's position in a status list: the data of its
// BitstringStatusListEntry.
type StatusEntry struct {
	ListID     string
	Index      int
	Purpose    status.Purpose // set by the store
	URL        string         // set by the store: the list's URL
	StatusSize int            // set by the store
}

// StatusReader reads status lists. The Reader of both backends implements it.
type StatusReader interface {
	// StatusList returns a list with its bitstring, for publishing. ErrNotFound
	// when it does not exist.
	StatusList(ctx context.Context, id string) (StatusList, error)
	// StatusLists returns the lists of an instance (without bitstrings), by
	// purpose and Seq.
	StatusLists(ctx context.Context, instanceID string) ([]StatusList, error)
	// Status returns the value of an allocated entry; ErrNotFound when the index
	// is not allocated.
	Status(ctx context.Context, listID string, index int) (uint64, error)
}

// StatusTx allocates and changes status entries. The Tx of both backends
// implements it.
type StatusTx interface {
	StatusReader
	// AllocateStatusIndex claims a random free index (drawn from rand with
	// status.RandomIndex; crypto/rand.Reader in production) of the current list
	// of spec.InstanceID and spec.Purpose, starting the next list when that one
	// has given out its Capacity. An index is never given out twice, also by
	// concurrent processes. The index must be bound to its credential by
	// CredentialTx.PutCredential in the same transaction.
	AllocateStatusIndex(ctx context.Context, spec StatusListSpec, rand io.Reader) (StatusEntry, error)
	// ReserveStatusIndexes claims n (1 to MaxStatusReserve) random free
	// indexes as AllocateStatusIndex does, in a few statements, for an issuer
	// to hand out later: from the current list, then from the lists it starts
	// when that one fills up. A reserved index is allocated (counted in
	// Allocated, never given out again, also by concurrent processes) and
	// unbound, with value 0, until PutCredential or HoldCredential binds it in
	// a later transaction. One that is never bound (the issuer stopped or
	// crashed first) stays so: it was in no stored credential.
	ReserveStatusIndexes(ctx context.Context, spec StatusListSpec, n int, rand io.Reader) ([]StatusEntry, error)
	// ReleaseStatusIndexes gives reserved indexes back to their lists: those
	// of entries that are unbound and 0 are deleted and no longer counted in
	// Allocated, and may be given out again; it returns how many were. Only
	// the holder of a reservation may release it, and only indexes that are
	// in no credential it issued or is issuing.
	ReleaseStatusIndexes(ctx context.Context, entries []StatusEntry) (int, error)
	// SetStatus sets the status value of an allocated index and raises the
	// list's Version when the value changes. ErrNotFound when the index is not
	// allocated; ErrInvalid when value does not fit the list's statusSize;
	// ErrConflict when it would clear a set revocation entry (revocation is not
	// reversible, Bitstring Status List v1.0 §2.1).
	SetStatus(ctx context.Context, listID string, index int, value uint64, at time.Time) error
}

// WithDefaults returns s with its zero Entries, StatusSize and Capacity set to
// their defaults.
func (s StatusListSpec) WithDefaults() StatusListSpec {
	s.Entries = withDefault(s.Entries, status.MinEntries)
	s.StatusSize = withDefault(s.StatusSize, 1)
	s.Capacity = withDefault(s.Capacity, s.Entries)
	return s
}

// Validate checks a spec, with its defaults filled in.
func (s StatusListSpec) Validate() error {
	s = s.WithDefaults()
	switch {
	case s.StatusSize < 1 || s.StatusSize > status.MaxStatusSize:
		return &FieldError{"statusSize", "not between 1 and 16"}
	case s.Entries < status.MinEntries:
		return &FieldError{"status list entries", "fewer than 131,072"}
	case s.Entries > MaxStatusBits/s.StatusSize:
		return &FieldError{"status list entries", "more than a 1 MiB bitstring holds"}
	case s.Entries*s.StatusSize%8 != 0:
		return &FieldError{"status list entries", "the bitstring is not whole bytes"}
	case s.Capacity < 1 || s.Capacity > s.Entries:
		return &FieldError{"status list capacity", "not between 1 and the entries"}
	}
	return first(
		checkText("instance id", s.InstanceID, MaxIDLen, true),
		checkText("status purpose", string(s.Purpose), MaxIDLen, true),
		checkText("status list URL prefix", s.URLPrefix, MaxStatusURLLen, true),
		checkTime("allocation time", s.At),
	)
}

func withDefault(v, def int) int {
	if v != 0 {
		return v
	}
	return def
}
