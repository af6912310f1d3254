package vcapi

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/kakunin-dev/kakunin/vc/issuer"
)

// Action is what a write request asks to do.
type Action string

// Actions passed to Authorizer.Authorize.
const (
	ActionIssue  Action = "credentials:issue"
	ActionStatus Action = "credentials:status"
)

// Errors an Authorizer returns (wrapped): ErrUnauthenticated becomes 401 with a
// WWW-Authenticate challenge, ErrForbidden 403.
var (
	ErrUnauthenticated = errors.New("vcapi: not authenticated")
	ErrForbidden       = errors.New("vcapi: not allowed")
)

// Authorizer authenticates a write request and decides whether it may perform action with
// the issuer instance named (the default instance is ""). It is called before the body is
// read. The serve layer implements it over API tokens.
type Authorizer interface {
	Authorize(r *http.Request, instance string, action Action) (issuer.Caller, error)
}

// Grant is what a static token allows.
type Grant struct {
	Caller issuer.Caller
	// Instances the token may use; "*" means every instance, "" the default one.
	Instances []string
	// Actions the token may perform; empty means every action.
	Actions []Action
}

// StaticTokens is an Authorizer over fixed bearer tokens (RFC 6750), for tests and small
// deployments. Tokens are compared in constant time.
type StaticTokens map[string]Grant

// Authorize implements Authorizer.
func (s StaticTokens) Authorize(r *http.Request, instance string, action Action) (issuer.Caller, error) {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || token == "" {
		return issuer.Caller{}, ErrUnauthenticated
	}
	sum := sha256.Sum256([]byte(token))
	var found *Grant
	for t, g := range s {
		ts := sha256.Sum256([]byte(t))
		if subtle.ConstantTimeCompare(sum[:], ts[:]) == 1 {
			found = &g
		}
	}
	switch {
	case found == nil:
		return issuer.Caller{}, ErrUnauthenticated
	case !slices.Contains(found.Instances, "*") && !slices.Contains(found.Instances, instance):
		return issuer.Caller{}, ErrForbidden
	case len(found.Actions) > 0 && !slices.Contains(found.Actions, action):
		return issuer.Caller{}, ErrForbidden
	}
	return found.Caller, nil
}
