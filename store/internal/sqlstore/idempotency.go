package sqlstore

import (
	"context"
	"crypto/sha256"
	"fmt"
	"time"

	"github.com/kakunin-dev/kakunin/store"
)

var (
	_ store.IdempotencyTx     = tx{}
	_ store.IdempotencyReader = reader{}
)

const idemCols = `tenant_id, idem_key, request_hash, status, body, created_at, expires_at`

func (t tx) PutIdempotent(ctx context.Context, r store.Idempotent) error {
	if err := r.Validate(); err != nil {
		return err
	}
	body := r.Body
	if body == nil {
		body = []byte{}
	}
	// An expired key is replaced in place; a live one is left alone, and on
	// PostgreSQL a concurrent insert of the same key is waited for first.
	n, err := t.q.Exec(ctx, `INSERT INTO idempotency_keys (`+idemCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (tenant_id, idem_key) DO UPDATE SET request_hash = excluded.request_hash,
			status = excluded.status, body = excluded.body, created_at = excluded.created_at,
			expires_at = excluded.expires_at
		WHERE idempotency_keys.expires_at <= excluded.created_at`,
		r.TenantID, r.Key, r.RequestHash[:], r.Status, body, t.d.Time(micro(r.Created)), t.d.Time(micro(r.Expires)))
	if err != nil || n == 1 {
		return wrap(err, "idempotency key")
	}
	stored, err := t.idempotent(ctx, r.TenantID, r.Key)
	if err != nil {
		return err
	}
	if err := stored.Replay(r.RequestHash, r.Created); err != nil {
		return err
	}
	return fmt.Errorf("%w: idempotency key %q changed while it was recorded", store.ErrConflict, r.Key)
}

func (t tx) PurgeIdempotent(ctx context.Context, now time.Time, limit int) (int64, error) {
	if limit <= 0 {
		return 0, &store.FieldError{Field: "purge limit", Reason: "not positive"}
	}
	n, err := t.q.Exec(ctx, `DELETE FROM idempotency_keys WHERE (tenant_id, idem_key) IN
		(SELECT tenant_id, idem_key FROM idempotency_keys WHERE expires_at <= $1 LIMIT $2)`,
		t.d.Time(micro(now)), limit)
	if err != nil {
		return 0, fmt.Errorf("store: purging idempotency keys: %w", err)
	}
	return n, nil
}

func (r reader) IdempotentResponse(ctx context.Context, tenantID, key string, requestHash [sha256.Size]byte,
	now time.Time) error {
	stored, err := r.idempotent(ctx, tenantID, key)
	if err != nil {
		return err
	}
	if err := stored.Replay(requestHash, now); err != nil {
		return err
	}
	return fmt.Errorf("%w: idempotency key %q expired", store.ErrNotFound, key)
}

func (r reader) idempotent(ctx context.Context, tenantID, key string) (store.Idempotent, error) {
	var s store.Idempotent
	err := r.q.QueryRow(ctx, `SELECT `+idemCols+` FROM idempotency_keys WHERE tenant_id = $1 AND idem_key = $2`,
		tenantID, key).Scan(&s.TenantID, &s.Key, hashCol{&s.RequestHash}, &s.Status, &s.Body,
		timeCol{&s.Created}, timeCol{&s.Expires})
	return s, notFound(err, "idempotency key")
}
