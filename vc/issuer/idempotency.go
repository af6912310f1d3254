package issuer

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/vc/status"
)

// ErrIdempotencyKey: the idempotency key of a request was recorded by another
// transaction first. The error also matches a *store.ReplayError carrying the
// response to send (the same request won a race), or store.ErrConflict (another
// request used the key).
var ErrIdempotencyKey = errors.New("issuer: idempotency key already recorded")

// Idempotency returns the record of an idempotent request's response, given what
// the request produced (nil for a status change) and the time of the write. The
// issuer stores it with store.IdempotencyTx.PutIdempotent in the write's own
// transaction, so the write and the key commit together or not at all.
type Idempotency func(out *Issued, now time.Time) (store.Idempotent, error)

// IdempotencyTx is the optional part of a Tx that records idempotency keys; the
// transactions of NewSQLStore and MemStore implement it.
type IdempotencyTx interface {
	PutIdempotent(ctx context.Context, r store.Idempotent) error
}

// IdempotentResponse looks an idempotency key of tenant up at the issuer's clock,
// as store.IdempotencyReader does: nil when it is unused or expired, a
// *store.ReplayError with the stored response, or an error wrapping
// store.ErrConflict when it was used for another request.
func (is *Issuer) IdempotentResponse(ctx context.Context, tenant, key string, requestHash [sha256.Size]byte) error {
	rd, ok := is.cfg.Store.(store.IdempotencyReader)
	if !ok {
		return fmt.Errorf("%w: the issuer's store keeps no idempotency keys", store.ErrSchema)
	}
	err := rd.IdempotentResponse(ctx, tenant, key, requestHash, is.now())
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}

// recordIdempotent stores the response of an idempotent request in tx.
func recordIdempotent(ctx context.Context, tx Tx, idem Idempotency, out *Issued, now time.Time) error {
	if idem == nil {
		return nil
	}
	it, ok := tx.(IdempotencyTx)
	if !ok {
		return fmt.Errorf("%w: the issuer's store keeps no idempotency keys", store.ErrSchema)
	}
	rec, err := idem(out, now)
	if err != nil {
		return err
	}
	if err := it.PutIdempotent(ctx, rec); err != nil {
		if errors.Is(err, store.ErrReplay) || errors.Is(err, store.ErrConflict) {
			return fmt.Errorf("%w: %w", ErrIdempotencyKey, err)
		}
		return err
	}
	return nil
}

// StatusChange asks to set or clear a status entry of a credential.
type StatusChange struct {
	CredentialID string
	// Instance, when set, is the instance the change is asked of: a credential another
	// instance issued is then ErrNotFound.
	Instance string
	Purpose  status.Purpose
	Set      bool
	Caller   Caller
	// Idempotency, when not nil, records the response in the change's transaction.
	Idempotency Idempotency
}

// ChangeStatus is SetStatus with an idempotency record. Its errors are those of
// SetStatus, or wrap ErrIdempotencyKey.
func (is *Issuer) ChangeStatus(ctx context.Context, r StatusChange) error {
	err := is.cfg.Store.Tx(ctx, func(tx Tx) error {
		if err := is.setStatusTx(ctx, tx, r.Instance, r.CredentialID, r.Purpose, r.Set, r.Caller, ""); err != nil {
			return err
		}
		return recordIdempotent(ctx, tx, r.Idempotency, nil, is.now())
	})
	if errors.Is(err, ErrIdempotencyKey) {
		return err
	}
	return mapStoreErr(err)
}

// PutIdempotent implements IdempotencyTx.
func (t sqlTx) PutIdempotent(ctx context.Context, r store.Idempotent) error {
	it, ok := t.CredentialTx.(store.IdempotencyTx)
	if !ok {
		return fmt.Errorf("%w: the store keeps no idempotency keys", store.ErrSchema)
	}
	return it.PutIdempotent(ctx, r)
}

// IdempotentResponse implements store.IdempotencyReader.
func (s *sqlStore) IdempotentResponse(ctx context.Context, tenant, key string, requestHash [sha256.Size]byte,
	now time.Time) error {
	rd, ok := s.db.(store.IdempotencyReader)
	if !ok {
		return fmt.Errorf("%w: the store keeps no idempotency keys", store.ErrSchema)
	}
	return rd.IdempotentResponse(ctx, tenant, key, requestHash, now)
}

// IdempotentResponse implements store.IdempotencyReader.
func (m *MemStore) IdempotentResponse(_ context.Context, tenant, key string, requestHash [sha256.Size]byte,
	now time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.idem[[2]string{tenant, key}]
	if !ok {
		return fmt.Errorf("%w: idempotency key", store.ErrNotFound)
	}
	if err := r.Replay(requestHash, now); err != nil {
		return err
	}
	return fmt.Errorf("%w: idempotency key expired", store.ErrNotFound)
}

// PutIdempotent implements IdempotencyTx.
func (t *memTx) PutIdempotent(_ context.Context, r store.Idempotent) error {
	if err := r.Validate(); err != nil {
		return err
	}
	k := [2]string{r.TenantID, r.Key}
	prev, had := t.m.idem[k]
	if had {
		if err := prev.Replay(r.RequestHash, r.Created); err != nil {
			return err
		}
	}
	r.Body = append([]byte(nil), r.Body...)
	t.m.idem[k] = r
	t.undo = append(t.undo, func() {
		if had {
			t.m.idem[k] = prev
		} else {
			delete(t.m.idem, k)
		}
	})
	return nil
}
