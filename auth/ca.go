package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/kakunin-dev/kakunin/ca/cahttp"
)

// CA returns a as the CA's Authorizer: the principal's tenant is the token's, and
// errors wrap cahttp.ErrUnauthenticated or cahttp.ErrForbidden as well as this
// package's sentinels.
func (a *Authority) CA() cahttp.Authorizer { return caAuthorizer{a} }

type caAuthorizer struct{ a *Authority }

var _ cahttp.Authorizer = caAuthorizer{}

func (c caAuthorizer) Authorize(ctx context.Context, r *http.Request, owner string, action cahttp.Action) (cahttp.Principal, error) {
	tok, err := c.a.Authorize(ctx, r, owner, string(action))
	switch {
	case errors.Is(err, ErrUnauthenticated):
		return cahttp.Principal{}, fmt.Errorf("%w: %w", cahttp.ErrUnauthenticated, err)
	case errors.Is(err, ErrForbidden):
		return cahttp.Principal{}, fmt.Errorf("%w: %w", cahttp.ErrForbidden, err)
	case err != nil:
		return cahttp.Principal{}, err
	}
	return cahttp.Principal{Tenant: tok.TenantID}, nil
}
