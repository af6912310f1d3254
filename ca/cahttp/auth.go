package cahttp

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"net/http"
	"slices"
	"strings"
)

// Action is what a write request asks to do.
type Action string

// Actions passed to Authorizer.Authorize.
const (
	ActionEnroll     Action = "enroll"
	ActionRenew      Action = "renew"
	ActionRevoke     Action = "revoke"
	ActionDeactivate Action = "deactivate"
	ActionPublish    Action = "publish" // owner is "": anyone authenticated may publish a valid chain
)

// Errors an Authorizer returns (wrapped): ErrUnauthenticated becomes 401 with a
// WWW-Authenticate challenge, ErrForbidden 403.
var (
	ErrUnauthenticated = errors.New("cahttp: not authenticated")
	ErrForbidden       = errors.New("cahttp: not allowed")
)

// Principal is who an authorised request acts for.
type Principal struct {
	// Tenant is checked by the CA against the owner's tenant.
	Tenant string
}

// Authorizer decides whether r may perform action for owner. It is called before the
// request body is read. owner is "" for publication and for the first,
// authentication-only, check of a deactivation (which is then authorised for each
// owner concerned).
type Authorizer interface {
	Authorize(ctx context.Context, r *http.Request, owner string, action Action) (Principal, error)
}

// Grant is what a static token allows.
type Grant struct {
	Tenant string
	// Owners the token may act for; "*" means every owner.
	Owners []string
	// Actions the token may perform; empty means every action.
	Actions []Action
}

// StaticTokens is an Authorizer over fixed bearer tokens (RFC 6750), for tests and
// small deployments. Tokens are compared in constant time.
type StaticTokens map[string]Grant

// Authorize implements Authorizer.
func (s StaticTokens) Authorize(_ context.Context, r *http.Request, owner string, action Action) (Principal, error) {
	token, ok := bearer(r)
	if !ok {
		return Principal{}, ErrUnauthenticated
	}
	g, ok := s.lookup(token)
	if !ok {
		return Principal{}, ErrUnauthenticated
	}
	if owner != "" && !slices.Contains(g.Owners, "*") && !slices.Contains(g.Owners, owner) {
		return Principal{}, ErrForbidden
	}
	if len(g.Actions) > 0 && !slices.Contains(g.Actions, action) {
		return Principal{}, ErrForbidden
	}
	return Principal{Tenant: g.Tenant}, nil
}

// lookup compares the digests of every token with the presented one, so that
// timing reveals neither a token nor how much of one matched.
func (s StaticTokens) lookup(token string) (Grant, bool) {
	presented := sha256.Sum256([]byte(token))
	var found Grant
	var ok bool
	for t, g := range s {
		d := sha256.Sum256([]byte(t))
		if subtle.ConstantTimeCompare(d[:], presented[:]) == 1 {
			found, ok = g, true
		}
	}
	return found, ok
}

func bearer(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", false
	}
	return token, true
}
