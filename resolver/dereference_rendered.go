package resolver

import (
	"context"
	"strings"

	"github.com/kakunin-dev/kakunin/did"
)

// DereferenceRendered is Dereference for front ends that serialise the result, as
// ResolveRendered is for resolution: it returns the rendering kept for didURL, opts and
// view with the cached resolution of the DID URL's DID or, failing that, dereferences
// didURL, calls render with the result (which it may not modify) and keeps the rendering
// it returns with that resolution. The rendering therefore lives no longer than the
// resolution: never past its nextUpdate, and not after Invalidate.
//
// Only DID URLs without a path are kept (a path is a method's to dereference, from
// state the resolution result may not hold), and nothing is kept without a cache, with
// opts.Resolution.NoCache, or with method-specific options. render may return a nil
// rendering to decline (an answer it does not serialise, such as a redirect); the
// result is then returned with it.
//
// On success with a rendering the result is not returned. On failure the error and
// result are those of Dereference; an error of render is returned as it is.
func (r *Registry) DereferenceRendered(ctx context.Context, didURL string, opts DereferenceOptions, view string,
	render func(*did.DereferencingResult) (*Rendering, error)) (*Rendering, *did.DereferencingResult, error) {
	key, vk, cacheable := r.dereferenceKeys(didURL, opts, view)
	if cacheable {
		if out, ok := r.cfg.cache.rendering(key, vk); ok {
			return out, nil, nil
		}
	}
	res, raw, err := r.dereference(ctx, didURL, opts)
	if err != nil {
		return nil, failedDereference(res, err), err
	}
	out, err := render(res)
	if err != nil || out == nil {
		return nil, res, err
	}
	out.NextUpdate = res.Expires
	if cacheable && raw != nil {
		r.cfg.cache.keep(key, raw, vk, out)
	}
	return out, nil, nil
}

// dereferenceKeys returns the cache entry of the resolution that dereferencing didURL
// with opts makes, and the view under which its rendering is kept there: the whole DID
// URL and every dereferencing option besides those of the resolution, which the entry's
// key holds. It reports false when nothing may be kept.
func (r *Registry) dereferenceKeys(didURL string, opts DereferenceOptions, view string) (entryKey, viewKey, bool) {
	c := r.cfg.cache
	if c == nil || opts.Resolution.NoCache || len(opts.Resolution.Method) > 0 {
		return entryKey{}, viewKey{}, false
	}
	u, err := did.ParseURL(didURL)
	if err != nil || u.Path != "" {
		return entryKey{}, viewKey{}, false
	}
	params, err := u.Params()
	if err != nil {
		return entryKey{}, viewKey{}, false
	}
	ropts, err := resolutionOptions(params, opts)
	if err != nil {
		return entryKey{}, viewKey{}, false
	}
	name := strings.Join([]string{"dereference", view, didURL, opts.Accept, string(opts.VerificationRelationship)}, "\x00")
	return cacheKey(u.DID.String(), ropts), viewKey{name: name, mediaType: ropts.Accept, expand: ropts.ExpandRelativeURLs}, true
}
