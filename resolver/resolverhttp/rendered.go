package resolverhttp

import (
	"context"
	"fmt"

	"github.com/labstack/echo/v5"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/resolver"
)

// renderer is the optional capability of a Resolver that keeps rendered resolution
// answers with its cached results (*resolver.Registry).
type renderer interface {
	Rendered(id string, opts did.ResolutionOptions, view string) (*resolver.Rendering, bool)
	ResolveRendered(ctx context.Context, id string, opts did.ResolutionOptions, view string,
		render func(*did.ResolutionResult) (*resolver.Rendering, error)) (*resolver.Rendering, *did.ResolutionResult, error)
}

// derefRenderer is the optional capability of a Resolver that keeps rendered
// dereferencing answers with its cached results (*resolver.Registry). It is separate
// from renderer, so that a wrapper without it still keeps resolution answers.
type derefRenderer interface {
	DereferenceRendered(ctx context.Context, didURL string, opts resolver.DereferenceOptions, view string,
		render func(*did.DereferencingResult) (*resolver.Rendering, error)) (*resolver.Rendering, *did.DereferencingResult, error)
}

var (
	_ renderer      = (*resolver.Registry)(nil)
	_ derefRenderer = (*resolver.Registry)(nil)
)

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

// dereferenceRendered dereferences didURL, through the renderings kept with the cached
// resolution when the resolver keeps them. It returns the rendering of a successful
// answer with a body, or else the result and error to answer with (a redirect to a
// service endpoint is never kept).
func (h *Handler) dereferenceRendered(c *echo.Context, didURL string, opts resolver.DereferenceOptions,
	ch choice) (*resolver.Rendering, *did.DereferencingResult, error) {
	ctx := c.Request().Context()
	if h.derefRendered == nil {
		res, err := h.res.Dereference(ctx, didURL, opts)
		return nil, res, err
	}
	var renderErr error
	r, res, err := h.derefRendered.DereferenceRendered(ctx, didURL, opts, ch.derefView(),
		func(res *did.DereferencingResult) (*resolver.Rendering, error) {
			if serviceURLs(res) != nil {
				return nil, nil
			}
			b, ctype, err := dereferencedBody(res, ch)
			if err != nil {
				renderErr = err
				return nil, err
			}
			return newRendering(b, ctype), nil
		})
	if renderErr != nil {
		return nil, nil, fmt.Errorf("%w: %w", did.ErrInternal, renderErr)
	}
	return r, res, err
}

// derefView names what the rendering of a dereferencing depends on besides the
// result, the DID URL and the dereferencing options: the whole choice.
func (ch choice) derefView() string {
	return fmt.Sprintf("%t %t %t %s %s %s", ch.full, ch.deref, ch.legacy, ch.rep, ch.ctype, ch.other)
}
