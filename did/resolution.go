package did

import (
	"context"
	"encoding/json/jsontext"
	"errors"
	"time"
)

// Resolver resolves DIDs: DID Resolution § The resolve() function, with the
// didResolutionMetadata, didDocument and didDocumentMetadata outputs as one
// ResolutionResult. Every DID method package implements it.
//
// On success the error is nil and the result has a document. On failure the error
// wraps one of the ErrorKind sentinels (ErrInvalidDID, ErrNotFound,
// ErrMethodNotSupported, ...) and the result, when not nil, is the body the HTTP
// binding returns with the error (see ErrorResult). A deactivated DID gives
// ErrDeactivated with a result whose DIDDocumentMetadata.Deactivated is true.
type Resolver interface {
	Resolve(ctx context.Context, did string, opts ResolutionOptions) (*ResolutionResult, error)
}

// ResolutionOptions are the DID resolution options (DID Resolution § DID Resolution
// Options). The zero value asks for the current document in the resolver's default
// representation.
type ResolutionOptions struct {
	// Accept is the media type of the preferred representation, as an HTTP Accept value.
	Accept string
	// VersionID and VersionTime select a version of the document; they are mutually
	// exclusive.
	VersionID   string
	VersionTime time.Time
	// ExpandRelativeURLs asks for relative DID URLs in the document to be made absolute.
	ExpandRelativeURLs bool
	// NoCache asks the resolver to bypass its caches (DID Resolution Extensions).
	NoCache bool
	// Method holds method-specific options, by name.
	Method map[string]jsontext.Value
}

// ResolutionResult is the output of resolve(), with the JSON names of the
// application/did-resolution media type.
type ResolutionResult struct {
	DIDDocument           *Document          `json:"didDocument"`
	DIDResolutionMetadata ResolutionMetadata `json:"didResolutionMetadata"`
	DIDDocumentMetadata   DocumentMetadata   `json:"didDocumentMetadata"`
}

// ResolutionMetadata is didResolutionMetadata (and dereferencingMetadata).
type ResolutionMetadata struct {
	// ContentType is the media type of the returned document representation.
	ContentType string
	// Error is set when resolution failed.
	Error *Problem
	// Extra holds other metadata properties, by name.
	Extra map[string]jsontext.Value
}

// DocumentMetadata is didDocumentMetadata (DID Resolution § DID Document Metadata).
// Datetimes are written as UTC whole seconds and must be so when read.
type DocumentMetadata struct {
	Created       time.Time
	Updated       time.Time
	Deactivated   bool
	NextUpdate    time.Time
	VersionID     string
	NextVersionID string
	EquivalentID  []string
	CanonicalID   string
	// Method holds other metadata properties, method-specific ones among them, by name.
	Method map[string]jsontext.Value
}

// DereferencingMetadata is dereferencingMetadata; it has the shape of
// didResolutionMetadata.
type DereferencingMetadata = ResolutionMetadata

// DereferencingResult is the output of dereference() (DID Resolution § DID URL
// Dereferencing), with the JSON names of application/did-url-dereferencing.
type DereferencingResult struct {
	DereferencingMetadata DereferencingMetadata `json:"dereferencingMetadata"`
	// ContentStream is the resource: a *Document, a *VerificationMethod, a *Service, a
	// URL string (service endpoint selection) or any JSON value; nil on failure.
	ContentStream any `json:"contentStream"`
	// ContentMetadata is didDocumentMetadata when the content is a DID document.
	ContentMetadata DocumentMetadata `json:"contentMetadata"`
	// Expires is the nextUpdate of the DID document the content was taken from, which
	// a fragment or a path does not carry in its contentMetadata: no cache may serve
	// the content past it. Zero when the document gives none. It is not serialised.
	Expires time.Time `json:"-"`
}

// ErrorResult returns the resolution result that goes with err: no document, empty
// document metadata, and the problem object of err in the resolution metadata. For
// ErrDeactivated it returns instead the result DID Resolution prescribes, with
// deactivated true and no error property.
func ErrorResult(err error) *ResolutionResult {
	if errors.Is(err, ErrDeactivated) {
		return &ResolutionResult{DIDDocumentMetadata: DocumentMetadata{Deactivated: true}}
	}
	p := ProblemFor(err)
	return &ResolutionResult{DIDResolutionMetadata: ResolutionMetadata{Error: &p}}
}
