package resolver

import (
	"context"

	"github.com/kakunin-dev/kakunin/did"
)

// Rendered returns the rendering that ResolveRendered kept for id, opts and view, if
// the cache still holds it. It neither parses id nor calls a method (the entry
// exists only because an earlier resolution of the same id and options succeeded),
// so it is the cheap path of a front end answering a cached resolution. It reports
// false without a cache, with opts.NoCache, and with method-specific options.
func (r *Registry) Rendered(id string, opts did.ResolutionOptions, view string) (*Rendering, bool) {
	c := r.cfg.cache
	if c == nil || opts.NoCache || len(opts.Method) > 0 {
		return nil, false
	}
	mediaType, ok := representation(opts.Accept)
	if !ok {
		return nil, false
	}
	return c.rendering(cacheKey(id, opts), viewKey{view, mediaType, opts.ExpandRelativeURLs})
}

// ResolveRendered is Resolve for front ends that serialise the result: it returns
// the rendering Rendered finds or, failing that, resolves id as Resolve does, calls
// render with the result (which it may not modify) and keeps the rendering it returns with
// the result's cache entry. view names everything besides the result and opts that
// render's output depends on (the HTTP binding's result or document media type): the
// same id, options and view must always render the same bytes.
//
// On success the result is not returned (a kept rendering has none at hand). On
// failure the error and result are those of Resolve; an error of render is returned
// as it is, with a nil result.
func (r *Registry) ResolveRendered(ctx context.Context, id string, opts did.ResolutionOptions, view string,
	render func(*did.ResolutionResult) (*Rendering, error)) (*Rendering, *did.ResolutionResult, error) {
	if out, ok := r.Rendered(id, opts, view); ok {
		return out, nil, nil
	}
	res, raw, err := r.resolveRaw(ctx, id, opts)
	if err != nil {
		return nil, failed(res, err), err
	}
	out, err := render(res)
	if err != nil {
		return nil, nil, err
	}
	out.NextUpdate = res.DIDDocumentMetadata.NextUpdate
	if c := r.cfg.cache; c != nil && len(opts.Method) == 0 {
		mediaType, _ := representation(opts.Accept) // accepted by resolveRaw
		c.keep(cacheKey(id, opts), raw, viewKey{view, mediaType, opts.ExpandRelativeURLs}, out)
	}
	return out, nil, nil
}

// representation is did.NegotiateRepresentation, without its allocations for the
// Accept values a front end passes on every request: none, or one media type.
func representation(accept string) (string, bool) {
	switch accept {
	case "":
		return did.MediaTypeDID, true
	case did.MediaTypeDID, did.MediaTypeDIDJSON, did.MediaTypeDIDLDJSON:
		return accept, true
	}
	mt, err := did.NegotiateRepresentation(accept)
	return mt, err == nil
}
