package auth

import (
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/store"
)

// Grant is what a new token allows.
type Grant struct {
	TenantID  string   // required
	AllOwners bool     // every owner of the tenant
	OwnerIDs  []string // otherwise these owners (none: tenant-wide actions only)
	Actions   []string // at least one of the Action constants
	Expires   time.Time
}

// Issue creates a token for g at now with randomness from rand (crypto/rand in
// production), records it in tx and appends its token.created entry, with actor
// ActorSystem, in the same transaction. It returns the token's text, to be
// shown once, and the stored record (which holds only the hash). tx must also
// write the audit log (both SQL backends' transactions do), else the error
// wraps store.ErrSchema; an invalid grant wraps store.ErrInvalid.
func Issue(ctx context.Context, tx store.TokenTx, rand io.Reader, g Grant, now time.Time) (string, store.Token, error) {
	return issue(ctx, tx, rand, g, ActorSystem, now)
}

func issue(ctx context.Context, tx store.TokenTx, rand io.Reader, g Grant, actor string, now time.Time) (string, store.Token, error) {
	if g.TenantID == "" {
		return "", store.Token{}, fmt.Errorf("auth: %w: a token needs a tenant", store.ErrInvalid)
	}
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
	if err := logToken(ctx, tx, audit.TokenCreated, actor, tok, now); err != nil {
		return "", store.Token{}, err
	}
	return text, tok, nil
}

// Bootstrap gives a tenant its first token, an admin token for every owner, when
// it has none: it returns the token's text and true, or "" and false when the
// tenant already has tokens. It logs token.created with actor ActorSystem in the
// same transaction. db must keep tokens and the audit log (both SQL backends do).
func Bootstrap(ctx context.Context, db store.DB, rand io.Reader, tenant string, now time.Time) (string, bool, error) {
	var text string
	err := db.Tx(ctx, func(tx store.Tx) error {
		text = ""
		ttx, ok := tx.(store.TokenTx)
		if !ok {
			return fmt.Errorf("%w: this store keeps no API tokens", store.ErrSchema)
		}
		existing, err := ttx.TokensByTenant(ctx, tenant)
		if err != nil || len(existing) > 0 {
			return err
		}
		g := Grant{TenantID: tenant, AllOwners: true, Actions: []string{ActionAdmin}}
		text, _, err = issue(ctx, ttx, rand, g, ActorSystem, now)
		return err
	})
	if err != nil {
		return "", false, fmt.Errorf("auth: bootstrap token: %w", err)
	}
	return text, text != "", nil
}

// Revoke revokes the token id of tenant at the given time and appends its
// token.revoked entry, with actor ActorSystem, in the same transaction. Errors
// wrap store.ErrNotFound (no such token), store.ErrConflict (already revoked) or
// store.ErrSchema (a store without tokens or audit log).
func Revoke(ctx context.Context, db store.DB, tenant, id string, at time.Time) error {
	return revoke(ctx, db, ActorSystem, tenant, id, at)
}

func revoke(ctx context.Context, db store.DB, actor, tenant, id string, at time.Time) error {
	err := db.Tx(ctx, func(tx store.Tx) error {
		ttx, ok := tx.(store.TokenTx)
		if !ok {
			return fmt.Errorf("%w: this store keeps no API tokens", store.ErrSchema)
		}
		if err := ttx.RevokeToken(ctx, tenant, id, at); err != nil {
			return err
		}
		tok, err := tokenByID(ctx, ttx, tenant, id)
		if err != nil {
			return err
		}
		return logToken(ctx, ttx, audit.TokenRevoked, actor, tok, at)
	})
	if err != nil {
		return fmt.Errorf("auth: revoke token: %w", err)
	}
	return nil
}

// tokenByID reads back the token id of tenant within tx.
func tokenByID(ctx context.Context, tx store.TokenTx, tenant, id string) (store.Token, error) {
	toks, err := tx.TokensByTenant(ctx, tenant)
	if err != nil {
		return store.Token{}, err
	}
	for _, t := range toks {
		if t.ID == id {
			return t, nil
		}
	}
	return store.Token{}, fmt.Errorf("%w: token %s", store.ErrNotFound, id)
}
