package store

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"
)

// MaxResponseLen bounds a stored idempotent response body.
const MaxResponseLen = 1 << 20

// ErrReplay: the idempotency key was already used for the same request; a
// [*ReplayError] carries the stored response to send again.
var ErrReplay = errors.New("store: idempotent request already answered")

// Idempotent is the remembered outcome of a write request made with an
// Idempotency-Key: a repeat of the same request (same RequestHash) within the
// key's lifetime gets the same response instead of a second write.
type Idempotent struct {
	TenantID    string
	Key         string // the client's key (at most MaxIDLen bytes)
	RequestHash [sha256.Size]byte
	Status      int    // the HTTP status of the response
	Body        []byte // the response body (at most MaxResponseLen bytes)
	Created     time.Time
	Expires     time.Time
}

// ReplayError is an ErrReplay with the response stored for the key.
type ReplayError struct{ Stored Idempotent }

func (e *ReplayError) Error() string {
	return fmt.Sprintf("store: idempotency key %q already answered with status %d", e.Stored.Key, e.Stored.Status)
}

// Unwrap returns ErrReplay.
func (e *ReplayError) Unwrap() error { return ErrReplay }

// IdempotencyReader reads idempotency keys. The Reader of both backends
// implements it.
type IdempotencyReader interface {
	// IdempotentResponse looks a key up before a request is processed: a
	// *ReplayError with the stored response when the key was used at now for the
	// same request hash, ErrConflict when it was used for another request,
	// ErrNotFound when it is unused or expired.
	IdempotentResponse(ctx context.Context, tenantID, key string, requestHash [sha256.Size]byte,
		now time.Time) error
}

// IdempotencyTx records idempotency keys. The Tx of both backends implements it.
type IdempotencyTx interface {
	IdempotencyReader
	// PutIdempotent records the response of a request in the transaction that
	// performs its write, so that the write and the key commit together. A key
	// already recorded and not expired at r.Created fails, aborting that write:
	// with a *ReplayError for the same request hash (a concurrent duplicate won
	// the race), ErrConflict for another. An expired key is replaced.
	PutIdempotent(ctx context.Context, r Idempotent) error
	// PurgeIdempotent deletes up to limit keys that expired at or before now and
	// returns how many it deleted.
	PurgeIdempotent(ctx context.Context, now time.Time, limit int) (int64, error)
}

// Validate checks an idempotency record before it is stored.
func (r Idempotent) Validate() error {
	err := first(
		checkText("tenant id", r.TenantID, MaxIDLen, false),
		checkText("idempotency key", r.Key, MaxIDLen, true),
		checkTime("idempotency created", r.Created),
		checkTime("idempotency expiry", r.Expires),
	)
	switch {
	case err != nil:
		return err
	case !r.Expires.After(r.Created):
		return &FieldError{"idempotency expiry", "not after its creation"}
	case r.Status < 100 || r.Status > 599:
		return &FieldError{"response status", "not an HTTP status"}
	case len(r.Body) > MaxResponseLen:
		return &FieldError{"response body", "too large"}
	}
	return nil
}

// Replay checks a request against the stored record of its key at now: nil when
// the record has expired, a *ReplayError for the same request, ErrConflict for
// another.
func (r Idempotent) Replay(requestHash [sha256.Size]byte, now time.Time) error {
	switch {
	case !now.Before(r.Expires):
		return nil
	case r.RequestHash != requestHash:
		return fmt.Errorf("%w: idempotency key %q was used for another request", ErrConflict, r.Key)
	}
	return &ReplayError{Stored: r}
}
