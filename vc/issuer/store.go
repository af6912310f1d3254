package issuer

import (
	"context"
	"io"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/store"
)

// Store is the persistence the issuer needs: the credential registry, status lists with
// durable random index allocation (reserved in blocks ahead of the issuances), and the
// audit log, written in one transaction.
// [NewSQLStore] adapts a store.DB (SQLite or PostgreSQL); [MemStore] keeps everything in
// memory. Errors wrap store.ErrNotFound and store.ErrConflict as the store package defines.
type Store interface {
	// Tx runs fn in a read-write transaction, committed when fn returns nil. fn may run more
	// than once and must reset what it sets.
	Tx(ctx context.Context, fn func(Tx) error) error
	// Credential returns the record with this id.
	Credential(ctx context.Context, id string) (store.Credential, error)
	// CredentialsBySubject returns every record of credentials issued to did, as any of
	// their subjects, once each.
	CredentialsBySubject(ctx context.Context, did string) ([]store.Credential, error)
	// SubjectGenerations is store.CredentialReader.SubjectGenerations: the generations of
	// the fences of dids, read before their policy check, recorded in the credential.
	SubjectGenerations(ctx context.Context, dids []string) (map[string]int64, error)
	// StatusList returns a list with its bitstring.
	StatusList(ctx context.Context, id string) (store.StatusList, error)
}

// Tx is a read-write transaction of a Store.
type Tx interface {
	audit.Appender
	Credential(ctx context.Context, id string) (store.Credential, error)
	CredentialsBySubject(ctx context.Context, did string) ([]store.Credential, error)
	// FenceSubject is store.CredentialTx.FenceSubject: it moves did's fence to its next
	// generation, so that credentials filed under did that recorded an earlier one are
	// refused with store.ErrSubjectChanged from now on; at is kept for operators.
	FenceSubject(ctx context.Context, did string, at time.Time) error
	PutCredential(ctx context.Context, c store.Credential) error
	AllocateStatusIndex(ctx context.Context, spec store.StatusListSpec, rand io.Reader) (store.StatusEntry, error)
	ReserveStatusIndexes(ctx context.Context, spec store.StatusListSpec, n int, rand io.Reader) ([]store.StatusEntry, error)
	ReleaseStatusIndexes(ctx context.Context, entries []store.StatusEntry) (int, error)
	HoldCredential(ctx context.Context, c store.Credential) error
	SetStatus(ctx context.Context, listID string, index int, value uint64, at time.Time) error
	// Status reads the entry at index of a list, as this transaction sees it.
	Status(ctx context.Context, listID string, index int) (uint64, error)
}
