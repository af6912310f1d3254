package auth

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/kakunin-dev/kakunin/store"
)

// Actions a token may grant. ActionAdmin grants every action.
const (
	ActionEnroll     = "enroll"
	ActionRenew      = "renew"
	ActionRevoke     = "revoke"
	ActionDeactivate = "deactivate"
	ActionPublish    = "publish"
	ActionIssue      = "issue"
	ActionStatus     = "status"
	ActionAdmin      = "admin"
)

// Actions lists every action, in the order above.
func Actions() []string {
	return []string{ActionEnroll, ActionRenew, ActionRevoke, ActionDeactivate, ActionPublish,
		ActionIssue, ActionStatus, ActionAdmin}
}

// Errors callers branch on.
var (
	// ErrUnauthenticated: no token, or one that is malformed, unknown, expired or
	// revoked (401).
	ErrUnauthenticated = errors.New("auth: not authenticated")
	// ErrForbidden: a valid token that does not grant the action for the owner (403).
	ErrForbidden = errors.New("auth: not allowed")
)

// Store finds tokens by hash; store.TokenReader (both SQL backends) satisfies it.
type Store interface {
	TokenByHash(ctx context.Context, hash [sha256.Size]byte) (store.Token, error)
}

// Options configure an Authority. The zero value uses the wall clock and logs
// no refusals.
type Options struct {
	Now func() time.Time
	// Audit, when set, receives an authz.decision entry, in a transaction of its
	// own, for each write request (any method but GET, HEAD, OPTIONS, TRACE)
	// that Authorize refuses, within Denials.
	Audit store.DB
	// Denials bounds the refusals logged per token or client (zero value: see
	// DenialLimit).
	Denials DenialLimit
	// Logger reports refusals that could not be logged; nil: slog.Default().
	Logger *slog.Logger
}

// Authority checks bearer tokens against a Store. It is safe for concurrent use.
type Authority struct {
	store   Store
	now     func() time.Time
	audit   store.DB
	limiter *denialLimiter
	log     *slog.Logger
}

// New returns an Authority over s.
func New(s Store, opts Options) *Authority {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	return &Authority{store: s, now: opts.Now, audit: opts.Audit, limiter: newDenialLimiter(opts.Denials), log: opts.Logger}
}

// Authenticate returns the active token of an Authorization header value. Errors
// wrap ErrUnauthenticated, or the store's error when it cannot be read.
func (a *Authority) Authenticate(ctx context.Context, header string) (store.Token, error) {
	tok, _, err := a.authenticate(ctx, header)
	if err != nil {
		return store.Token{}, err
	}
	return tok, nil
}

// authenticate is Authenticate that also returns, when it refuses, the id
// presented and the stored token when the store knows it (revoked, expired).
func (a *Authority) authenticate(ctx context.Context, header string) (store.Token, string, error) {
	text, err := bearer(header)
	if err != nil {
		return store.Token{}, "", err
	}
	id, err := ParseID(text)
	if err != nil {
		return store.Token{}, "", err
	}
	tok, err := a.store.TokenByHash(ctx, Hash(text))
	switch {
	case errors.Is(err, store.ErrNotFound):
		return store.Token{}, id, fmt.Errorf("%w: unknown token", ErrUnauthenticated)
	case err != nil:
		return store.Token{}, id, fmt.Errorf("auth: token lookup: %w", err)
	case subtle.ConstantTimeCompare([]byte(tok.ID), []byte(id)) != 1:
		return store.Token{}, id, fmt.Errorf("%w: unknown token", ErrUnauthenticated)
	case !tok.RevokedAt.IsZero():
		return tok, id, fmt.Errorf("%w: token %s revoked", ErrUnauthenticated, tok.ID)
	case !tok.Active(a.now()):
		return tok, id, fmt.Errorf("%w: token %s expired", ErrUnauthenticated, tok.ID)
	}
	return tok, id, nil
}

// Authorize authenticates r and checks that its token grants action for owner
// (owner "" for an action that names no owner). Errors wrap ErrUnauthenticated
// or ErrForbidden; when Options.Audit is set, a refused write request is
// logged (see Options).
func (a *Authority) Authorize(ctx context.Context, r *http.Request, owner, action string) (store.Token, error) {
	tok, id, err := a.authenticate(ctx, r.Header.Get("Authorization"))
	if err == nil && !Grants(tok, owner, action) {
		err = fmt.Errorf("%w: token %s may not %s for owner %q", ErrForbidden, tok.ID, action, owner)
	}
	switch {
	case errors.Is(err, ErrUnauthenticated), errors.Is(err, ErrForbidden):
		a.logRefusal(ctx, r, refusal{known: tok, tokenID: id, owner: owner, action: action, err: err})
		return store.Token{}, err
	case err != nil:
		return store.Token{}, err
	}
	return tok, nil
}

// Grants reports whether tok allows action for owner; ActionAdmin allows every action.
func Grants(tok store.Token, owner, action string) bool {
	return tok.Allows(owner, action) || tok.Allows(owner, ActionAdmin)
}
