package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kakunin-dev/kakunin/store"
)

func (t tx) AppendEvent(ctx context.Context, e store.Event) (store.Event, error) {
	if err := e.Validate(); err != nil {
		return store.Event{}, err
	}
	var did string
	err := t.q.QueryRow(ctx, `SELECT did FROM certificates WHERE issuer_id = $1 AND serial = $2`,
		e.IssuerID, serialArg(e.Serial)).Scan(&did)
	if err != nil {
		return store.Event{}, notFound(err, "certificate")
	}
	if did != e.DID {
		return store.Event{}, &store.FieldError{Field: "event", Reason: "the certificate names another DID"}
	}
	return t.appendVersion(ctx, e, e.Kind == store.EventRevoked)
}

func (t tx) Deactivate(ctx context.Context, did string, at time.Time) (store.Event, error) {
	if at.IsZero() {
		return store.Event{}, &store.FieldError{Field: "deactivation time", Reason: "zero time"}
	}
	// The guard on deactivated makes a concurrent second deactivation (another
	// process's) wait for this one and then change nothing.
	n, err := t.q.Exec(ctx, `UPDATE dids SET deactivated = $2, deactivated_at = $3
		WHERE did = $1 AND deactivated = $4`, did, true, t.d.Time(at), false)
	if err != nil {
		return store.Event{}, fmt.Errorf("store: deactivating: %w", err)
	}
	if n == 0 {
		if err := t.requireActive(ctx, did); err != nil {
			return store.Event{}, err
		}
		return store.Event{}, fmt.Errorf("%w: DID %s has no history", store.ErrNotFound, did)
	}
	return t.appendVersion(ctx, store.Event{DID: did, Kind: store.EventDeactivated, Time: at}, true)
}

// appendVersion takes the next versionId of e.DID and stores e under it. The
// upsert locks the DID's row, so concurrent writers (other processes included)
// queue on it and versionIds have no gaps or duplicates. The row's updated_at is
// the latest version time, which also raises an earlier e.Time (see store.Event).
// Unless evenDeactivated, the upsert changes nothing on a deactivated DID, which
// it checks under the row lock: a deactivation committed by another process a
// moment earlier is seen.
func (t tx) appendVersion(ctx context.Context, e store.Event, evenDeactivated bool) (store.Event, error) {
	err := t.q.QueryRow(ctx, `INSERT INTO dids (did, version, created_at, updated_at, deactivated)
		VALUES ($1, 1, $2, $2, $3)
		ON CONFLICT (did) DO UPDATE SET version = dids.version + 1,
			updated_at = CASE WHEN dids.updated_at > excluded.updated_at
				THEN dids.updated_at ELSE excluded.updated_at END
		WHERE $4 OR NOT dids.deactivated
		RETURNING version, updated_at`, e.DID, t.d.Time(micro(e.Time)), false, evenDeactivated).
		Scan(&e.VersionID, timeCol{&e.Time})
	if errors.Is(err, ErrNoRows) {
		return store.Event{}, fmt.Errorf("%w: %s", store.ErrDeactivated, e.DID)
	}
	if err == nil {
		_, err = t.q.Exec(ctx, `INSERT INTO did_events (did, version_id, kind, at, issuer_id, serial)
			VALUES ($1, $2, $3, $4, $5, $6)`, e.DID, e.VersionID, string(e.Kind), t.d.Time(e.Time),
			nullable(e.IssuerID), serialArg(e.Serial))
	}
	if err != nil {
		return store.Event{}, fmt.Errorf("store: appending event: %w", err)
	}
	return e, nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
