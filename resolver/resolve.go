package resolver

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/kakunin-dev/kakunin/did"
)

var _ did.Resolver = (*Registry)(nil)

// Resolve runs the DID Resolution algorithm (§ 4.4) for id: it checks the DID syntax
// (ErrInvalidDID), the method (ErrMethodNotSupported), the options (ErrInvalidOptions:
// versionId and versionTime together) and the representation asked for by opts.Accept
// (ErrRepresentationNotSupported), then calls the method's resolver, through the cache
// unless opts.NoCache is set or method-specific options are given (their results
// depend on those options, so they are never cached). The document is checked to carry
// the DID (or its canonicalId) as id, given the @context of the representation, and
// its relative DID URLs expanded when opts.ExpandRelativeURLs is set.
//
// On failure the error wraps a did.ErrorKind and the result is the one the HTTP
// binding returns. A deactivated DID gives did.ErrDeactivated with the method's result.
func (r *Registry) Resolve(ctx context.Context, id string, opts did.ResolutionOptions) (*did.ResolutionResult, error) {
	res, err := r.resolve(ctx, id, opts)
	if err == nil {
		return res, nil
	}
	return failed(res, err), err
}

// failed gives one shape to every error result, whatever the method returned with
// the error: no document, empty metadata, the problem of err (DID Resolution § 4.4);
// a deactivated DID keeps its document and metadata.
func failed(res *did.ResolutionResult, err error) *did.ResolutionResult {
	if res == nil || !res.DIDDocumentMetadata.Deactivated {
		return did.ErrorResult(err)
	}
	return res
}

func (r *Registry) resolve(ctx context.Context, id string, opts did.ResolutionOptions) (*did.ResolutionResult, error) {
	res, _, err := r.resolveRaw(ctx, id, opts)
	return res, err
}

// resolveRaw resolves id and returns, on success, the rendered result and the
// method's result it was rendered from (the one the cache holds).
func (r *Registry) resolveRaw(ctx context.Context, id string, opts did.ResolutionOptions) (out, raw *did.ResolutionResult, err error) {
	d, err := did.Parse(id)
	if err != nil {
		return nil, nil, err
	}
	mediaType, err := did.NegotiateRepresentation(opts.Accept)
	if err != nil {
		return nil, nil, err
	}
	if opts.VersionID != "" && !opts.VersionTime.IsZero() {
		return nil, nil, fmt.Errorf("%w: versionId and versionTime are mutually exclusive", did.ErrInvalidOptions)
	}
	m, ok := r.method(d.Method)
	if !ok {
		return nil, nil, fmt.Errorf("%w: did:%s", did.ErrMethodNotSupported, d.Method)
	}
	opts.Accept = mediaType
	res, err := r.fetch(ctx, m, d, opts)
	if err != nil {
		if res == nil && errors.Is(err, did.ErrDeactivated) {
			res = did.ErrorResult(err)
		}
		if res != nil && res.DIDDocumentMetadata.Deactivated {
			return render(res, mediaType, false), nil, err
		}
		return res, nil, withKind(did.ErrInternal, err)
	}
	if res.DIDDocumentMetadata.Deactivated { // a method that reported it without the error
		return render(res, mediaType, false), nil, fmt.Errorf("%w: %s", did.ErrDeactivated, d)
	}
	out = render(res, mediaType, opts.ExpandRelativeURLs)
	if opts.ExpandRelativeURLs {
		if err := out.DIDDocument.ExpandRelativeURLs(); err != nil {
			return nil, nil, err
		}
	}
	return out, res, nil
}

// fetch returns the method's result for d, from the cache when allowed.
func (r *Registry) fetch(ctx context.Context, m did.Resolver, d did.DID, opts did.ResolutionOptions) (*did.ResolutionResult, error) {
	c := r.cfg.cache
	cacheable := c != nil && len(opts.Method) == 0
	key := cacheKey(d.String(), opts)
	if cacheable && !opts.NoCache {
		if res, ok := c.get(key); ok {
			return res, nil
		}
	}
	var epoch uint64
	if cacheable {
		epoch = c.epoch()
	}
	res, err := r.call(ctx, m, d, opts)
	if err != nil {
		return res, err
	}
	if cacheable {
		c.put(key, canonical(d, res), res, epoch)
	}
	return res, nil
}

// MethodOptionReader is a did.Resolver that reads method-specific resolution options
// (did.ResolutionOptions.Method). It names them; the registry refuses any other
// option, and every method option for a method that is no MethodOptionReader.
type MethodOptionReader interface {
	MethodOptions() []string
}

// checkMethodOptions applies DID Resolution § 7.1: resolution options the resolver
// does not support give FEATURE_NOT_SUPPORTED.
func checkMethodOptions(m did.Resolver, d did.DID, opts did.ResolutionOptions) error {
	if len(opts.Method) == 0 {
		return nil
	}
	var known []string
	if o, ok := m.(MethodOptionReader); ok {
		known = o.MethodOptions()
	}
	for name := range opts.Method {
		if !slices.Contains(known, name) {
			return fmt.Errorf("%w: resolution option %q is not supported for did:%s", did.ErrFeatureNotSupported, truncate(name), d.Method)
		}
	}
	return nil
}

// call runs the method resolver under the registry's timeout and checks its result.
func (r *Registry) call(ctx context.Context, m did.Resolver, d did.DID, opts did.ResolutionOptions) (*did.ResolutionResult, error) {
	if err := checkMethodOptions(m, d, opts); err != nil {
		return nil, err
	}
	if r.cfg.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, r.cfg.timeout)
		defer cancel()
	}
	res, err := m.Resolve(ctx, d.String(), opts)
	if err != nil {
		return res, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%w: %w", did.ErrInternal, err)
	}
	if err := check(d, res); err != nil {
		return nil, err
	}
	return res, nil
}

// check enforces what DID Resolution requires of a successful result.
func check(d did.DID, res *did.ResolutionResult) error {
	if res == nil || res.DIDDocument == nil {
		return fmt.Errorf("%w: method returned no document for %s", did.ErrInternal, d)
	}
	want := d.String()
	canon := res.DIDDocumentMetadata.CanonicalID
	if canon != "" {
		c, err := did.Parse(canon)
		if err != nil || c.Method != d.Method {
			return fmt.Errorf("%w: %w: %q", did.ErrInvalidDocument, ErrBadCanonicalID, canon)
		}
	}
	if id := res.DIDDocument.ID; id != want && (canon == "" || id != canon) {
		return fmt.Errorf("%w: %w: resolved %s, document id %q", did.ErrInvalidDocument, ErrIDMismatch, want, id)
	}
	return nil
}

// canonical is the DID a result is indexed under for Invalidate.
func canonical(d did.DID, res *did.ResolutionResult) string {
	if c := res.DIDDocumentMetadata.CanonicalID; c != "" {
		return c
	}
	return d.String()
}

// render returns a copy of res whose document carries the @context of mediaType.
// The cached result is never modified.
func render(res *did.ResolutionResult, mediaType string, expand bool) *did.ResolutionResult {
	out := *res
	out.DIDResolutionMetadata.ContentType = ""
	if res.DIDDocument == nil {
		return &out
	}
	out.DIDDocument = cloneDocument(res.DIDDocument, expand)
	if ctx, err := out.DIDDocument.ContextFor(mediaType); err == nil {
		out.DIDDocument.Context = ctx
		out.DIDResolutionMetadata.ContentType = mediaType
	}
	return &out
}
