package resolver

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kakunin-dev/kakunin/did"
)

// DereferenceOptions are the DID URL dereferencing options (DID Resolution § 5.1).
// The zero value asks for the resource in its default representation.
type DereferenceOptions struct {
	// Accept is the media type the caller prefers for the content, as an HTTP Accept
	// value: a DID document representation, MediaTypeURIList for service endpoint
	// URLs, or a type a method's PathDereferencer serves.
	Accept string
	// VerificationRelationship, when set, requires the DID URL to dereference to a
	// verification method authorized for that relationship (e.g. "assertionMethod").
	VerificationRelationship did.Relationship
	// Resolution holds the resolution options passed on to resolve() (noCache,
	// method-specific options); versionId and versionTime of the DID URL are added to
	// it. Its Accept is ignored.
	Resolution did.ResolutionOptions
}

// MediaTypeURIList is the content type of service endpoint URL selections (RFC 2483).
const MediaTypeURIList = "text/uri-list"

// Request is one DID URL being dereferenced, as each Step sees it.
type Request struct {
	URL     did.URL
	Params  did.Params
	Options DereferenceOptions
	// Resolved is the resolution result of the DID URL's DID, rendered in
	// Representation; Representation is the DID document media type chosen.
	Resolved       *did.ResolutionResult
	Representation string
	// Method is the DID method's resolver, for optional capabilities (PathDereferencer).
	Method did.Resolver

	raw *did.ResolutionResult // the method's result Resolved was rendered from (the cache's)
}

// Dereference runs the DID URL dereferencing algorithm (§ 5.4): it resolves the DID
// with the DID URL's versionId/versionTime, lets the first Step that applies
// dereference the resource (the document, a service selection, or a method-defined
// path), then the fragment step. Errors wrap a did.ErrorKind: ErrInvalidDIDURL,
// ErrNotFound, ErrRepresentationNotSupported, ErrInvalidVerificationMethod,
// ErrInvalidRelationship, or those of Resolve; the result is then the error result.
// A deactivated DID gives did.ErrDeactivated with contentMetadata deactivated true.
func (r *Registry) Dereference(ctx context.Context, didURL string, opts DereferenceOptions) (*did.DereferencingResult, error) {
	res, _, err := r.dereference(ctx, didURL, opts)
	if err == nil {
		return res, nil
	}
	return failedDereference(res, err), err
}

// failedDereference is the result Dereference returns with err: the error result, or
// for a deactivated DID the document and its metadata.
func failedDereference(res *did.DereferencingResult, err error) *did.DereferencingResult {
	if !errors.Is(err, did.ErrDeactivated) {
		p := did.ProblemFor(err)
		return &did.DereferencingResult{DereferencingMetadata: did.DereferencingMetadata{Error: &p}}
	}
	if res == nil {
		return &did.DereferencingResult{}
	}
	return res
}

// dereference is Dereference without the error result; on success it also returns
// the method's resolution result the content came from (nil when none is cached).
func (r *Registry) dereference(ctx context.Context, didURL string, opts DereferenceOptions) (*did.DereferencingResult, *did.ResolutionResult, error) {
	if r.cfg.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, r.cfg.timeout)
		defer cancel()
	}
	req, err := r.prepare(ctx, didURL, opts)
	if req == nil {
		return nil, nil, err
	}
	if err != nil { // deactivated: the document and its metadata, status 410
		return &did.DereferencingResult{ContentStream: req.Resolved.DIDDocument,
			ContentMetadata:       req.Resolved.DIDDocumentMetadata,
			DereferencingMetadata: did.DereferencingMetadata{ContentType: req.Resolved.DIDResolutionMetadata.ContentType}}, nil, err
	}
	var res *did.DereferencingResult
	for _, s := range r.cfg.steps {
		if s.Applies(req) {
			if res, err = s.Dereference(ctx, req); err != nil {
				return nil, nil, err
			}
			break
		}
	}
	if res == nil {
		return nil, nil, fmt.Errorf("%w: nothing dereferences %s", did.ErrNotFound, truncate(didURL))
	}
	if res, err = (Fragment{}).Dereference(ctx, req, res); err != nil {
		return nil, nil, err
	}
	out := *res
	out.Expires = earliest(res.Expires, req.Resolved.DIDDocumentMetadata.NextUpdate)
	return &out, req.raw, checkRelationship(req, &out)
}

// prepare parses the DID URL and resolves its DID. It returns a request and
// did.ErrDeactivated for a deactivated DID.
func (r *Registry) prepare(ctx context.Context, didURL string, opts DereferenceOptions) (*Request, error) {
	u, err := did.ParseURL(didURL)
	if err != nil {
		return nil, err
	}
	params, err := u.Params()
	if err != nil {
		return nil, err
	}
	ropts, err := resolutionOptions(params, opts)
	if err != nil {
		return nil, err
	}
	res, raw, err := r.resolveRaw(ctx, u.DID.String(), ropts)
	if err != nil && (res == nil || !res.DIDDocumentMetadata.Deactivated) {
		return nil, err
	}
	m, _ := r.method(u.DID.Method)
	return &Request{URL: u, Params: params, Options: opts, Resolved: res,
		Representation: res.DIDResolutionMetadata.ContentType, Method: m, raw: raw}, err
}

// resolutionOptions passes the DID parameters versionId and versionTime to
// resolution (§ 5.4.1: "All dereferencing options and all DID parameters of the input
// DID URL MUST be passed as resolution options"). A DID document representation in
// Accept is passed on; other types (text/uri-list, a method's) leave the default.
func resolutionOptions(p did.Params, opts DereferenceOptions) (did.ResolutionOptions, error) {
	ro := opts.Resolution
	ro.Accept = ""
	if _, err := did.NegotiateRepresentation(opts.Accept); err == nil {
		ro.Accept = opts.Accept
	}
	if p.VersionID != "" {
		if ro.VersionID != "" && ro.VersionID != p.VersionID {
			return ro, fmt.Errorf("%w: versionId option and DID parameter differ", did.ErrInvalidOptions)
		}
		ro.VersionID = p.VersionID
	}
	if !p.VersionTime.IsZero() {
		if !ro.VersionTime.IsZero() && !ro.VersionTime.Equal(p.VersionTime) {
			return ro, fmt.Errorf("%w: versionTime option and DID parameter differ", did.ErrInvalidOptions)
		}
		ro.VersionTime = p.VersionTime
	}
	return ro, nil
}

// checkRelationship enforces the verificationRelationship option (§ 5.4.2): the
// content must be a verification method (INVALID_VERIFICATION_METHOD).
func checkRelationship(req *Request, res *did.DereferencingResult) error {
	if req.Options.VerificationRelationship == "" {
		return nil
	}
	if _, ok := res.ContentStream.(*did.VerificationMethod); !ok {
		return fmt.Errorf("%w: %s is not a verification method", did.ErrInvalidVerificationMethod, truncate(req.URL.String()))
	}
	return nil
}

func truncate(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}

// earliest returns the earlier of two times, a zero time standing for none.
func earliest(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}
