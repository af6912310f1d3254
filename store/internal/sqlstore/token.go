package sqlstore

import (
	"context"
	"crypto/sha256"
	"fmt"
	"time"

	"github.com/kakunin-dev/kakunin/store"
)

var (
	_ store.TokenTx     = tx{}
	_ store.TokenReader = reader{}
)

const tokenCols = `id, tenant_id, all_owners, owner_ids, actions, hash, created_at, expires_at, revoked_at`

func (t tx) CreateToken(ctx context.Context, tok store.Token) error {
	if err := tok.Validate(); err != nil {
		return err
	}
	n, err := t.q.Exec(ctx, `INSERT INTO api_tokens (`+tokenCols+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL) ON CONFLICT DO NOTHING`,
		tok.ID, tok.TenantID, tok.AllOwners, jsonStrings(tok.OwnerIDs), jsonStrings(tok.Actions), tok.Hash[:],
		t.d.Time(micro(tok.Created)), t.optTime(tok.Expires))
	return changed(n, err, "token id or secret exists", "recording token")
}

func (t tx) RevokeToken(ctx context.Context, tenantID, id string, at time.Time) error {
	if at.IsZero() {
		return &store.FieldError{Field: "token revocation time", Reason: "zero time"}
	}
	n, err := t.q.Exec(ctx, `UPDATE api_tokens SET revoked_at = $3
		WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL`, tenantID, id, t.d.Time(micro(at)))
	if err != nil || n == 1 {
		return wrap(err, "token")
	}
	var one int
	err = t.q.QueryRow(ctx, `SELECT 1 FROM api_tokens WHERE tenant_id = $1 AND id = $2`, tenantID, id).Scan(&one)
	if err != nil {
		return notFound(err, "token")
	}
	return fmt.Errorf("%w: token %s is already revoked", store.ErrConflict, id)
}

func (r reader) TokenByHash(ctx context.Context, hash [sha256.Size]byte) (store.Token, error) {
	tok, err := scanToken(r.q.QueryRow(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE hash = $1`, hash[:]))
	return tok, notFound(err, "token")
}

func (r reader) TokensByTenant(ctx context.Context, tenantID string) ([]store.Token, error) {
	var out []store.Token
	err := r.q.Query(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE tenant_id = $1 ORDER BY created_at, id`,
		[]any{tenantID}, func(row Row) error {
			tok, err := scanToken(row)
			out = append(out, tok)
			return err
		})
	return out, wrap(err, "tokens")
}

func scanToken(row Row) (store.Token, error) {
	var tok store.Token
	err := row.Scan(&tok.ID, &tok.TenantID, &tok.AllOwners, stringsCol{&tok.OwnerIDs}, stringsCol{&tok.Actions},
		hashCol{&tok.Hash}, timeCol{&tok.Created}, timeCol{&tok.Expires}, timeCol{&tok.RevokedAt})
	return tok, err
}

// optTime stores a zero time as NULL.
func (t tx) optTime(at time.Time) any {
	if at.IsZero() {
		return nil
	}
	return t.d.Time(micro(at))
}

// hashCol scans a SHA-256 hash.
type hashCol struct{ h *[sha256.Size]byte }

func (c hashCol) Scan(src any) error {
	b, ok := src.([]byte)
	if !ok || len(b) != sha256.Size {
		return fmt.Errorf("sqlstore: cannot read %T as a SHA-256 hash", src)
	}
	copy(c.h[:], b)
	return nil
}
