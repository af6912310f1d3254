package auth

import (
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/kakunin-dev/kakunin/store"
)

// Grant is what a new token allows.
type Grant struct {
	TenantID  string
	AllOwners bool     // every owner of the tenant
	OwnerIDs  []string // otherwise these owners (none: tenant-wide actions only)
	Actions   []string // at least one of the Action constants
	Expires   time.Time
}

// Issue creates a token for g at now with randomness from rand (crypto/rand in
// production) and records it in tx. It returns the token's text, to be shown
// once, and the stored record (which holds only the hash).
func Issue(ctx context.Context, tx store.TokenTx, rand io.Reader, g Grant, now time.Time) (string, store.Token, error) {
	for _, a := range g.Actions {
		if !slices.Contains(Actions(), a) {
			return "", store.Token{}, fmt.Errorf("auth: %w: unknown action %q", store.ErrInvalid, a)
		}
	}
	text, id, hash, err := NewToken(rand)
	if err != nil {
		return "", store.Token{}, err
	}
	tok := store.Token{ID: id, TenantID: g.TenantID, AllOwners: g.AllOwners, OwnerIDs: g.OwnerIDs,
		Actions: g.Actions, Hash: hash, Created: now, Expires: g.Expires}
	if err := tx.CreateToken(ctx, tok); err != nil {
		return "", store.Token{}, fmt.Errorf("auth: record token: %w", err)
	}
	return text, tok, nil
}

// Bootstrap gives a tenant its first token, an admin token for every owner, when
// it has none: it returns the token's text and true, or "" and false when the
// tenant already has tokens. db must keep tokens (both SQL backends do).
func Bootstrap(ctx context.Context, db store.DB, rand io.Reader, tenant string, now time.Time) (string, bool, error) {
	text, id, hash, err := NewToken(rand)
	if err != nil {
		return "", false, err
	}
	tok := store.Token{ID: id, TenantID: tenant, AllOwners: true, Actions: []string{ActionAdmin},
		Hash: hash, Created: now}
	var created bool
	err = db.Tx(ctx, func(tx store.Tx) error {
		created = false
		ttx, ok := tx.(store.TokenTx)
		if !ok {
			return fmt.Errorf("%w: this store keeps no API tokens", store.ErrSchema)
		}
		existing, err := ttx.TokensByTenant(ctx, tenant)
		if err != nil || len(existing) > 0 {
			return err
		}
		created = true
		return ttx.CreateToken(ctx, tok)
	})
	if err != nil {
		return "", false, fmt.Errorf("auth: bootstrap token: %w", err)
	}
	if !created {
		return "", false, nil
	}
	return text, true, nil
}

// Revoke revokes the token id of tenant at the given time. Errors wrap
// store.ErrNotFound (no such token) or store.ErrConflict (already revoked).
func Revoke(ctx context.Context, db store.DB, tenant, id string, at time.Time) error {
	err := db.Tx(ctx, func(tx store.Tx) error {
		ttx, ok := tx.(store.TokenTx)
		if !ok {
			return fmt.Errorf("%w: this store keeps no API tokens", store.ErrSchema)
		}
		return ttx.RevokeToken(ctx, tenant, id, at)
	})
	if err != nil {
		return fmt.Errorf("auth: revoke token: %w", err)
	}
	return nil
}
