package cahttp

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v5"

	"github.com/kakunin-dev/kakunin/ca"
	"github.com/kakunin-dev/kakunin/internal/jsonin"
	"github.com/kakunin-dev/kakunin/server"
	"github.com/kakunin-dev/kakunin/server/idempotency"
)

// DefaultMaxBody bounds JSON request bodies when Options.MaxBody is zero: a chain of
// ten RSA-8192 certificates in PEM fits.
const DefaultMaxBody = 96 << 10

// Options configure a Handler. The zero value is ready to use.
type Options struct {
	// MaxBody bounds JSON request bodies; zero means DefaultMaxBody.
	MaxBody int64
	// Now returns the current time for cache lifetimes; nil means time.Now.
	Now func() time.Time
	// Logger receives OCSP internal errors; nil means slog.Default().
	Logger *slog.Logger
	// Idempotency, when not nil, honours the Idempotency-Key header of write
	// requests (package server/idempotency); nil ignores it.
	Idempotency IdempotencyStore
}

// Handler serves the CA's HTTP endpoints; it is a server.Mounter.
type Handler struct {
	ca    *ca.CA
	auth  Authorizer
	opts  Options
	locks idempotency.Locks
}

var _ server.Mounter = (*Handler)(nil)

// New returns the handlers of c, authorising write requests with auth.
func New(c *ca.CA, auth Authorizer, opts Options) *Handler {
	if opts.MaxBody <= 0 {
		opts.MaxBody = DefaultMaxBody
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	return &Handler{ca: c, auth: auth, opts: opts}
}

// Mount registers the routes listed in the documentation of package ca.
func (h *Handler) Mount(e *echo.Echo) {
	e.GET("/ca/owners/:owner", h.owner)
	e.GET("/ca/owners/:owner/ca.crt", h.ownerDER)
	e.GET("/ca/owners/:owner/crl", h.crl)
	e.GET("/ca/owners/:owner/crl.pem", h.crlPEM)
	e.POST("/ca/owners/:owner/ocsp", h.ocspPost)
	e.GET("/ca/owners/:owner/ocsp/*", h.ocspGet)
	e.POST("/ca/owners/:owner/enroll", h.enroll)
	e.POST("/ca/owners/:owner/renew", h.renewAuthenticated)
	e.POST("/ca/owners/:owner/revoke", h.revoke)
	e.POST("/ca/dids/:did/deactivate", h.deactivate)
	e.POST("/ca/dids/:did/link", h.link)
	e.POST("/ca/publish", h.publish)
}

// authorize asks the Authorizer, answering 401 with a Bearer challenge.
func (h *Handler) authorize(c *echo.Context, owner string, action Action) (Principal, error) {
	p, err := h.auth.Authorize(c.Request().Context(), c.Request(), owner, action)
	if errors.Is(err, ErrUnauthenticated) {
		c.Response().Header().Set("WWW-Authenticate", `Bearer realm="kakunin-ca"`)
	}
	if err != nil {
		return p, problem(err)
	}
	return p, nil
}

// decode reads a bounded JSON body into v with the strict I-JSON rules of jsonin.
// An empty body is accepted only when optional, and leaves v unchanged.
func (h *Handler) decode(c *echo.Context, v any, optional bool) error {
	opts := jsonin.Options{MaxBytes: h.opts.MaxBody}
	data, err := jsonin.ReadAll(c.Request().Body, opts)
	if err == nil && optional && len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	if err == nil {
		err = jsonin.Unmarshal(data, v, opts)
	}
	switch {
	case errors.Is(err, jsonin.ErrTooLarge):
		return problem(err)
	case err != nil:
		return problem(fmt.Errorf("%w: %w", errBadJSON, err))
	}
	return nil
}

// param returns a path parameter, percent-decoded.
func param(c *echo.Context, name string) (string, error) {
	v, err := url.PathUnescape(c.Param(name))
	if err != nil {
		return "", problem(fmt.Errorf("%w: path parameter %s", ca.ErrInvalidRequest, name))
	}
	return v, nil
}

// maxAge is the Cache-Control value of a response usable until next.
func (h *Handler) maxAge(next time.Time) string {
	secs := int64(next.Sub(h.opts.Now()) / time.Second)
	if secs < 0 {
		secs = 0
	}
	return fmt.Sprintf("public, max-age=%d, no-transform, must-revalidate", secs)
}

func (h *Handler) setCaching(c *echo.Context, this, next time.Time) {
	hd := c.Response().Header()
	hd.Set("Cache-Control", h.maxAge(next))
	hd.Set("Last-Modified", this.UTC().Format(http.TimeFormat))
	hd.Set("Expires", next.UTC().Format(http.TimeFormat))
}
