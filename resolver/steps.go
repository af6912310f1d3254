package resolver

import (
	"context"
	"fmt"

	"github.com/kakunin-dev/kakunin/did"
)

// Step dereferences the resource a DID URL identifies, before its fragment (DID
// Resolution § 5.4.1). Registry.Dereference runs the first step that applies. The
// steps are separate so that each can follow the parts of the specification that are
// still moving (this section is at risk in the CR) without touching the others.
type Step interface {
	Applies(req *Request) bool
	Dereference(ctx context.Context, req *Request) (*did.DereferencingResult, error)
}

// PathDereferencer is the optional capability of a DID method's resolver that gives
// meaning to DID URL paths and queries (§ 5.4.1: "The applicable DID method MAY
// specify how to dereference the DID path and/or DID query"); for example a method
// serving a certificate chain as application/pem-certificate-chain. It receives the
// whole DID URL and the resolution options, opts.Accept holding the caller's Accept,
// and returns the content with its contentType, or an error wrapping a did.ErrorKind
// (did.ErrNotFound for a path it does not know). It uses only package did, so method
// packages implement it without importing this package.
type PathDereferencer interface {
	DereferencePath(ctx context.Context, u did.URL, opts did.ResolutionOptions) (*did.DereferencingResult, error)
}

// DefaultSteps returns the steps of § 5.4.1 in order: the document, a service
// selection, a method-defined path.
func DefaultSteps() []Step { return []Step{DocumentStep{}, ServiceStep{}, PathStep{}} }

// DocumentStep returns the resolved DID document for a DID URL with no path and no
// DID parameters other than versionId, versionTime and hl.
type DocumentStep struct{}

// Applies reports whether req names the document itself.
func (DocumentStep) Applies(req *Request) bool {
	p := req.Params
	return req.URL.Path == "" && p.Service == "" && p.ServiceType == "" && p.RelativeRef == "" && len(p.Other) == 0
}

// Dereference returns the document and its metadata. An Accept that names no DID
// document representation wraps did.ErrRepresentationNotSupported.
func (DocumentStep) Dereference(_ context.Context, req *Request) (*did.DereferencingResult, error) {
	if err := acceptsDocument(req.Options.Accept); err != nil {
		return nil, err
	}
	return documentResult(req, req.Resolved.DIDDocument), nil
}

func documentResult(req *Request, doc *did.Document) *did.DereferencingResult {
	return &did.DereferencingResult{ContentStream: doc, ContentMetadata: req.Resolved.DIDDocumentMetadata,
		DereferencingMetadata: did.DereferencingMetadata{ContentType: req.Representation}}
}

// acceptsDocument accepts an empty Accept, "*/*" and DID document media types.
func acceptsDocument(accept string) error {
	_, err := did.NegotiateRepresentation(accept)
	return err
}

// PathStep hands DID URLs with a path, or with DID parameters this package does not
// know, to the method's resolver when it implements PathDereferencer.
type PathStep struct{}

// Applies reports whether req has a path or unknown parameters.
func (PathStep) Applies(req *Request) bool { return req.URL.Path != "" || len(req.Params.Other) > 0 }

// Dereference delegates to the method. Without the capability it wraps
// did.ErrNotFound, as § 5.4.1 prescribes when nothing can dereference the DID URL.
func (PathStep) Dereference(ctx context.Context, req *Request) (*did.DereferencingResult, error) {
	pd, ok := req.Method.(PathDereferencer)
	if !ok {
		return nil, fmt.Errorf("%w: did:%s defines no DID URL paths or queries", did.ErrNotFound, req.URL.DID.Method)
	}
	u := req.URL
	u.Fragment, u.ForceFragment = "", false
	opts := req.Options.Resolution
	opts.Accept = req.Options.Accept
	res, err := pd.DereferencePath(ctx, u, opts)
	if err != nil {
		return nil, withKind(did.ErrInternal, err)
	}
	if res == nil {
		return nil, fmt.Errorf("%w: method returned no content for %s", did.ErrInternal, truncate(u.String()))
	}
	return res, nil
}
