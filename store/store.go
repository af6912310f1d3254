// Package store is the persistence layer of kakunin: the registry of owner CAs,
// agent certificates, the per-DID event history and CRL state, behind small
// interfaces that the SQLite (store/sqlite) and PostgreSQL (store/postgres)
// backends implement.
//
// Most callers need three things:
//
//   - backend.Open (package store/backend) returns a [DB] for a DSN: a file path
//     selects SQLite, a postgres:// URL selects PostgreSQL. Migrations run at open.
//   - [DB.Tx] runs a function in a durable read-write transaction, so a certificate,
//     its DID event and (later) its audit entry are written atomically.
//   - The [Reader] methods, on a DB or inside a Tx, read what was committed.
//
// Writes are group-committed: concurrent callers' transactions may share one
// database transaction and one fsync. A function passed to Tx can therefore run more
// than once (when a batch is split after an error); it must act only through its Tx
// and reset any result variables it sets at its start.
//
// Times are always supplied by the caller; the store never reads the clock. Stored
// times have microsecond precision and are returned in UTC.
//
// Adding a table (status lists, credentials, API tokens, idempotency keys, the
// audit log) is one migration file per backend, NNNN_name.sql with the next
// number, in store/sqlite/migrations and store/postgres/migrations; Open applies
// it, once, in its own transaction. Queries live in store/internal/sqlstore and
// are shared by both backends.
//
// Errors wrap the sentinels [ErrNotFound], [ErrConflict], [ErrDeactivated],
// [ErrInvalid], [ErrClosed] and [ErrSchema]; test them with errors.Is. Invalid
// records are refused with a [*FieldError] naming the field.
package store

import (
	"context"
	"math/big"
	"time"
)

// DB is an open store. It is safe for concurrent use.
type DB interface {
	Reader
	// Tx runs fn in a read-write transaction and returns after the transaction is
	// durably committed, or with fn's error (nothing fn wrote is kept) or the commit
	// error. fn may be called more than once; see the package documentation.
	Tx(ctx context.Context, fn func(Tx) error) error
	// Close waits for pending transactions and releases the connections.
	Close() error
}

// Reader reads the registry. Methods that return one record wrap ErrNotFound
// when it is absent; methods that return a list return an empty list instead.
type Reader interface {
	// Owner returns the owner CA with this id.
	Owner(ctx context.Context, id string) (Owner, error)
	// OwnersByKey returns the owner CAs whose key is this multikey, oldest first.
	OwnersByKey(ctx context.Context, ownerKey string) ([]Owner, error)
	// Certificate returns the certificate with this issuer and serial.
	Certificate(ctx context.Context, issuerID string, serial *big.Int) (Certificate, error)
	// CertificatesByDID returns every certificate recorded for did, oldest NotBefore first.
	CertificatesByDID(ctx context.Context, did string) ([]Certificate, error)
	// RevokedCertificates returns the revoked certificates of an issuer (for its CRL),
	// ordered by serial.
	RevokedCertificates(ctx context.Context, issuerID string) ([]Certificate, error)
	// DID returns the state of a DID that has at least one event.
	DID(ctx context.Context, did string) (DIDState, error)
	// Events returns the history of did in versionId order (empty when there is none).
	Events(ctx context.Context, did string) ([]Event, error)
	// CRL returns the last CRL recorded for an issuer.
	CRL(ctx context.Context, issuerID string) (CRL, error)
	// Links returns the links in which did is the predecessor or the successor,
	// oldest first (empty when there is none).
	Links(ctx context.Context, did string) ([]Link, error)
}

// Tx is a read-write transaction. Its methods must be called only from the
// function passed to DB.Tx, and only until that function returns.
type Tx interface {
	Reader
	// CreateOwner records an owner CA. ErrConflict when the id is taken.
	CreateOwner(ctx context.Context, o Owner) error
	// AllocateSerial returns a new random 16-octet positive serial that was never
	// allocated or recorded for issuerID, and reserves it. ErrNotFound when the
	// issuer is unknown.
	AllocateSerial(ctx context.Context, issuerID string, at time.Time) (*big.Int, error)
	// PutCertificate records a certificate in state Good. ErrConflict when its
	// issuer and serial are already recorded, ErrNotFound when the issuer is unknown,
	// ErrDeactivated when its DID is deactivated.
	PutCertificate(ctx context.Context, c Certificate) error
	// RevokeCertificate marks a certificate revoked at the given time for the given
	// reason. ErrNotFound when it is absent, ErrConflict when it is already revoked.
	RevokeCertificate(ctx context.Context, issuerID string, serial *big.Int, at time.Time, reason RevocationReason) error
	// AppendEvent adds a version to the history of e.DID and returns the event as
	// stored, with its VersionID. See Event for the rules.
	AppendEvent(ctx context.Context, e Event) (Event, error)
	// Deactivate marks did deactivated and appends its EventDeactivated version.
	// ErrNotFound when the DID has no history, ErrDeactivated when it already is.
	Deactivate(ctx context.Context, did string, at time.Time) (Event, error)
	// Link records that l.Successor succeeds l.Predecessor and appends an
	// EventLinked version to each; it returns l with the two versionIds and its
	// Time, which is l.Time or, when either DID has a later version, the latest
	// of them (versions never go back in time): the caller that signed l.Time
	// must then sign again. Both DIDs
	// must have a history (ErrNotFound) and be active (ErrDeactivated). A DID has
	// at most one successor and one predecessor, and a link that would close a
	// cycle is refused: both ErrConflict. A self-link is ErrInvalid.
	Link(ctx context.Context, l Link) (Link, error)
	// PutCRL records the latest CRL of an issuer. ErrConflict unless its Number is
	// greater than the last recorded one; ErrNotFound when the issuer is unknown.
	PutCRL(ctx context.Context, c CRL) error
}
