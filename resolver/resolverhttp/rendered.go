package resolverhttp

import (
	"context"
	"fmt"

	"github.com/labstack/echo/v5"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/resolver"
)

// renderer is the optional capability of a Resolver that keeps rendered answers
// with its cached results (*resolver.Registry).
type renderer interface {
	Rendered(id string, opts did.ResolutionOptions, view string) (*resolver.Rendering, bool)
	ResolveRendered(ctx context.Context, id string, opts did.ResolutionOptions, view string,
		render func(*did.ResolutionResult) (*resolver.Rendering, error)) (*resolver.Rendering, *did.ResolutionResult, error)
}

var _ renderer = (*resolver.Registry)(nil)

// resolveRendered answers a resolution from the rendering kept with the cached
// result, rendering it on a miss. The bytes, Content-Type and ETag are those of
// resolutionBody; only Cache-Control (the remaining lifetime) is computed per request.
func (h *Handler) resolveRendered(c *echo.Context, id string, opts did.ResolutionOptions, ch choice) error {
	view := ch.view()
	if r, ok := h.rendered.Rendered(id, opts, view); ok {
		return h.writeRendering(c, false, r)
	}
	var renderErr error
	r, res, err := h.rendered.ResolveRendered(c.Request().Context(), id, opts, view,
		func(res *did.ResolutionResult) (*resolver.Rendering, error) {
			b, ctype, err := resolutionBody(res, ch)
			if err != nil {
				renderErr = err
				return nil, err
			}
			return newRendering(b, ctype), nil
		})
	switch {
	case renderErr != nil:
		return fmt.Errorf("%w: %w", did.ErrInternal, renderErr)
	case err != nil:
		return h.writeResult(c, statusFor(err), ch, res, false)
	}
	return h.writeRendering(c, opts.NoCache, r)
}

// Views of a resolution besides the document media types, which are their own view
// (choice.ctype).
const (
	viewResult       = "result"
	viewLegacyResult = "legacy-result"
)

// view names what the rendering of a resolution depends on besides the result and
// the resolution options: the full result, in its current or legacy form, or the
// document with its Content-Type.
func (ch choice) view() string {
	switch {
	case ch.full && ch.legacy:
		return viewLegacyResult
	case ch.full:
		return viewResult
	}
	return ch.ctype
}
