package store

import (
	"context"
	"crypto/sha256"
	"slices"
	"time"
)

// Bounds of API tokens.
const (
	MaxTokenOwners  = 256 // owner ids in a token's scope
	MaxTokenActions = 64
)

// Token is an API token. The store keeps only the SHA-256 hash of its secret: a
// request's secret is hashed and looked up with TokenByHash.
type Token struct {
	ID       string // chosen by the caller (at most MaxIDLen bytes)
	TenantID string
	// AllOwners grants the token every owner of its tenant; otherwise OwnerIDs
	// lists the owners it may act for (which may be none, for tenant-wide
	// actions only).
	AllOwners bool
	OwnerIDs  []string
	Actions   []string // the actions it allows (at least one)
	Hash      [sha256.Size]byte
	Created   time.Time
	Expires   time.Time // zero: does not expire
	RevokedAt time.Time // zero unless revoked
}

// Active reports whether the token may be used at now: not revoked, not expired.
func (t Token) Active(now time.Time) bool {
	return t.RevokedAt.IsZero() && (t.Expires.IsZero() || now.Before(t.Expires))
}

// Allows reports whether the token grants action for owner (an empty owner
// stands for a tenant-wide action).
func (t Token) Allows(owner, action string) bool {
	if !slices.Contains(t.Actions, action) {
		return false
	}
	return owner == "" || t.AllOwners || slices.Contains(t.OwnerIDs, owner)
}

// TokenReader finds API tokens. The Reader of both backends implements it.
type TokenReader interface {
	// TokenByHash returns the token whose secret has this SHA-256 hash, revoked
	// or expired ones included (check Token.Active), or ErrNotFound.
	TokenByHash(ctx context.Context, hash [sha256.Size]byte) (Token, error)
	// TokensByTenant returns the tokens of a tenant, oldest first.
	TokensByTenant(ctx context.Context, tenantID string) ([]Token, error)
}

// TokenTx records and revokes API tokens. The Tx of both backends implements it.
type TokenTx interface {
	TokenReader
	// CreateToken records t. ErrConflict when its id or hash is taken.
	CreateToken(ctx context.Context, t Token) error
	// RevokeToken revokes a token of a tenant. ErrNotFound when the tenant has no
	// such token, ErrConflict when it is already revoked.
	RevokeToken(ctx context.Context, tenantID, id string, at time.Time) error
}

// Validate checks the bounds of a token before it is stored.
func (t Token) Validate() error {
	err := first(
		checkText("token id", t.ID, MaxIDLen, true),
		checkText("tenant id", t.TenantID, MaxIDLen, false),
		checkTime("token created", t.Created),
	)
	switch {
	case err != nil:
		return err
	case t.AllOwners && len(t.OwnerIDs) > 0:
		return &FieldError{"token owners", "both all owners and a list"}
	case len(t.OwnerIDs) > MaxTokenOwners:
		return &FieldError{"token owners", "too many"}
	case len(t.Actions) == 0 || len(t.Actions) > MaxTokenActions:
		return &FieldError{"token actions", "none, or too many"}
	case t.Hash == [sha256.Size]byte{}:
		return &FieldError{"token hash", "missing"}
	case !t.RevokedAt.IsZero():
		return &FieldError{"token revocation", "a new token is not revoked"}
	case !t.Expires.IsZero():
		err = first(checkTime("token expiry", t.Expires), checkOrder(t.Created, t.Expires))
	}
	for _, o := range t.OwnerIDs {
		err = first(err, checkText("token owner", o, MaxIDLen, true))
	}
	for _, a := range t.Actions {
		err = first(err, checkText("token action", a, MaxIDLen, true))
	}
	return err
}
