package resolverhttp

import (
	"context"
	"encoding/json/v2"
	"net/http"
	"time"

	"github.com/labstack/echo/v5"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/resolver"
)

// Resolver is what the binding needs: *resolver.Registry implements it.
type Resolver interface {
	Resolve(ctx context.Context, id string, opts did.ResolutionOptions) (*did.ResolutionResult, error)
	Dereference(ctx context.Context, didURL string, opts resolver.DereferenceOptions) (*did.DereferencingResult, error)
	Methods() []string
}

var _ Resolver = (*resolver.Registry)(nil)

// Config configures the binding. The zero value is usable.
type Config struct {
	// TestIdentifiers are the example DIDs of GET /1.0/testIdentifiers, by method.
	TestIdentifiers map[string][]string
	// Properties is the object of GET /1.0/properties.
	Properties map[string]any
	// MaxDIDURLBytes bounds the DID or DID URL (decoded); default did.MaxLength.
	MaxDIDURLBytes int
	// MaxQueryBytes bounds the request query; default 4096.
	MaxQueryBytes int
	// MaxOptionsBytes bounds the JSON options of a POST request; default 8192
	// (a certificate chain option takes about 2 KB).
	MaxOptionsBytes int
	// MaxAge caps Cache-Control max-age on successful answers; it should not exceed
	// the resolver cache's MaxAge. Default 5 minutes. nextUpdate always caps it.
	MaxAge time.Duration
	// AllowOrigin is the CORS Access-Control-Allow-Origin of every answer; default "*"
	// (resolution is public and uses no credentials).
	AllowOrigin string
	// Now is the clock; default time.Now.
	Now func() time.Time
}

func (c Config) withDefaults() Config {
	if c.MaxDIDURLBytes <= 0 {
		c.MaxDIDURLBytes = did.MaxLength
	}
	if c.MaxQueryBytes <= 0 {
		c.MaxQueryBytes = 4096
	}
	if c.MaxOptionsBytes <= 0 {
		c.MaxOptionsBytes = 8192
	}
	if c.MaxAge <= 0 {
		c.MaxAge = 5 * time.Minute
	}
	if c.AllowOrigin == "" {
		c.AllowOrigin = "*"
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// Handler serves the binding; it implements server.Mounter.
type Handler struct {
	res           Resolver
	rendered      renderer      // res, when it keeps rendered resolution answers
	derefRendered derefRenderer // res, when it keeps rendered dereferencing answers
	cfg           Config
	fixed         fixedHeaders
}

// fixedHeaders are header values that do not change between answers, built once and
// assigned rather than Set, so that no answer allocates them. Each slice has length
// and capacity 1: a later Add to the same field copies it instead of writing into the
// shared array, and nothing in net/http or echo writes header values in place.
type fixedHeaders struct {
	allowOrigin, exposeHeaders, varyAccept []string
}

// New returns the handler for res. When res keeps rendered answers with its cache,
// as a *resolver.Registry does, a cached resolution is answered with the bytes
// rendered for the first request that asked for the same representation.
func New(res Resolver, cfg Config) *Handler {
	h := &Handler{res: res, cfg: cfg.withDefaults()}
	h.rendered, _ = res.(renderer)
	h.derefRendered, _ = res.(derefRenderer)
	h.fixed = fixedHeaders{allowOrigin: []string{h.cfg.AllowOrigin},
		exposeHeaders: []string{"Location, ETag"}, varyAccept: []string{"Accept"}}
	return h
}

// Mount adds the routes to e.
func (h *Handler) Mount(e *echo.Echo) {
	e.GET(identifiersPrefix+"*", h.identifiers)
	e.HEAD(identifiersPrefix+"*", h.identifiers)
	e.POST(identifiersPrefix+"*", h.identifiersPost)
	e.OPTIONS(identifiersPrefix+"*", h.preflight)
	e.GET("/1.0/methods", func(c *echo.Context) error { return h.json(c, h.res.Methods()) })
	e.GET("/1.0/testIdentifiers", func(c *echo.Context) error { return h.json(c, nonNilMap(h.cfg.TestIdentifiers)) })
	e.GET("/1.0/properties", func(c *echo.Context) error { return h.json(c, nonNilMap(h.cfg.Properties)) })
}

func nonNilMap[V any](m map[string]V) map[string]V {
	if m == nil {
		return map[string]V{}
	}
	return m
}

func (h *Handler) json(c *echo.Context, v any) error {
	h.cors(c.Response().Header())
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "application/json", b)
}

func (h *Handler) cors(hd http.Header) {
	hd["Access-Control-Allow-Origin"] = h.fixed.allowOrigin
	hd["Access-Control-Expose-Headers"] = h.fixed.exposeHeaders
}

// preflight answers CORS preflight requests: GET, HEAD and POST with Accept,
// If-None-Match and (for a JSON body) Content-Type.
func (h *Handler) preflight(c *echo.Context) error {
	hd := c.Response().Header()
	h.cors(hd)
	hd.Set("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS")
	hd.Set("Access-Control-Allow-Headers", "Accept, If-None-Match, Content-Type")
	hd.Set("Access-Control-Max-Age", "600")
	return c.NoContent(http.StatusNoContent)
}
