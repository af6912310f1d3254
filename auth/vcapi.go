package auth

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/kakunin-dev/kakunin/vc/issuer"
	"github.com/kakunin-dev/kakunin/vc/vcapi"
)

// VCAPI returns a as the VC API's Authorizer: credentials:issue needs
// ActionIssue and credentials:status ActionStatus, as tenant-wide actions (the
// issuer then checks that the caller's tenant owns each did:kakunin subject).
// The caller is the token's id and tenant, never an operator. Errors wrap
// vcapi.ErrUnauthenticated or vcapi.ErrForbidden as well as this package's
// sentinels.
func (a *Authority) VCAPI() vcapi.Authorizer { return vcAuthorizer{a} }

type vcAuthorizer struct{ a *Authority }

var _ vcapi.Authorizer = vcAuthorizer{}

// vcActions maps the VC API's actions to token actions.
var vcActions = map[vcapi.Action]string{vcapi.ActionIssue: ActionIssue, vcapi.ActionStatus: ActionStatus}

func (v vcAuthorizer) Authorize(r *http.Request, _ string, action vcapi.Action) (issuer.Caller, error) {
	act, ok := vcActions[action]
	if !ok {
		return issuer.Caller{}, fmt.Errorf("%w: %w: unknown action %q", vcapi.ErrForbidden, ErrForbidden, action)
	}
	tok, err := v.a.Authorize(r.Context(), r, "", act)
	switch {
	case errors.Is(err, ErrUnauthenticated):
		return issuer.Caller{}, fmt.Errorf("%w: %w", vcapi.ErrUnauthenticated, err)
	case errors.Is(err, ErrForbidden):
		return issuer.Caller{}, fmt.Errorf("%w: %w", vcapi.ErrForbidden, err)
	case err != nil:
		return issuer.Caller{}, err
	}
	return issuer.Caller{ID: "token:" + tok.ID, Tenant: tok.TenantID}, nil
}
