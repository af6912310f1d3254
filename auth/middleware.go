package auth

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v5"

	"github.com/kakunin-dev/kakunin/server"
	"github.com/kakunin-dev/kakunin/store"
)

// tokenKey is the echo context key under which Require stores the request's token.
const tokenKey = "kakunin.auth.token"

// Require is echo middleware that lets a request through only when its bearer
// token grants action for the owner that owner returns (nil: no owner). Refusals
// are RFC 9457 problems: 401 with "WWW-Authenticate: Bearer" (RFC 6750 §3) or 403.
// The handler finds the token with TokenOf.
func (a *Authority) Require(action string, owner func(c *echo.Context) string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c *echo.Context) error {
			o := ""
			if owner != nil {
				o = owner(c)
			}
			tok, err := a.Authorize(c.Request().Context(), c.Request(), o, action)
			if err != nil {
				return a.refuse(c, err)
			}
			c.Set(tokenKey, tok)
			return next(c)
		}
	}
}

// TokenOf returns the token that Require accepted for c.
func TokenOf(c *echo.Context) (store.Token, bool) {
	tok, ok := c.Get(tokenKey).(store.Token)
	return tok, ok
}

// refuse answers a refused request. RFC 6750 §3: "If the request lacks any
// authentication information ..., the resource server SHOULD NOT include an
// error code"; invalid_token is "expired, revoked, malformed, or invalid for
// other reasons" (401); insufficient_scope "requires higher privileges" (403).
func (a *Authority) refuse(c *echo.Context, err error) error {
	h := c.Response().Header()
	switch {
	case errors.Is(err, errNoToken):
		h.Set("WWW-Authenticate", `Bearer realm="kakunin"`)
		return server.NewProblem(http.StatusUnauthorized, "", err.Error())
	case errors.Is(err, ErrUnauthenticated):
		h.Set("WWW-Authenticate", `Bearer realm="kakunin", error="invalid_token"`)
		return server.NewProblem(http.StatusUnauthorized, "", err.Error())
	case errors.Is(err, ErrForbidden):
		h.Set("WWW-Authenticate", `Bearer realm="kakunin", error="insufficient_scope"`)
		return server.NewProblem(http.StatusForbidden, "", err.Error())
	}
	return err
}
