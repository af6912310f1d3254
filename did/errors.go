package did

import (
	"errors"
	"net/http"
)

// ErrorKind is one error type of W3C DID Resolution (§ Errors) or of the Controlled
// Identifiers specification (§ Processing Errors) that DID Resolution reuses. Each
// kind is a sentinel: functions of this package and of the DID method packages wrap
// one of them with %w, callers branch with errors.Is, and ProblemFor turns any error
// into the RFC 9457 problem object an HTTP binding returns.
type ErrorKind struct {
	name   string
	url    string
	title  string
	status int
}

// NewErrorKind returns a kind for an error type that this package does not define
// (a DID method's own error registered in DID Resolution Extensions, for example).
// typeURL must be a URL, as DID Resolution requires of the problem type; status is
// the HTTP status a resolver front end returns for it.
func NewErrorKind(name, typeURL, title string, status int) *ErrorKind {
	return &ErrorKind{name: name, url: typeURL, title: title, status: status}
}

func (k *ErrorKind) Error() string { return "did: " + k.title }

// Name is the error name, for example "NOT_FOUND".
func (k *ErrorKind) Name() string { return k.name }

// Type is the problem type URL, for example "https://www.w3.org/ns/did#NOT_FOUND".
func (k *ErrorKind) Type() string { return k.url }

// Status is the HTTP status code the DID Resolution HTTP(S) binding assigns to it.
func (k *ErrorKind) Status() int { return k.status }

const (
	didErrorBase = "https://www.w3.org/ns/did#"
	// The Controlled Identifiers specification (§ 3.5 Processing Errors) names its
	// error types under https://w3id.org/security#.
	cidErrorBase = "https://w3id.org/security#"
)

// The error kinds of W3C DID Resolution (CR, July 2026, § Errors), with the HTTP status
// codes of its HTTP(S) binding table. Parse and ParseURL wrap ErrInvalidDID and
// ErrInvalidDIDURL; ParseDocument wraps ErrInvalidDocument.
var (
	ErrInvalidDID                 = newKind(didErrorBase, "INVALID_DID", "invalid DID", http.StatusBadRequest)
	ErrInvalidDIDURL              = newKind(didErrorBase, "INVALID_DID_URL", "invalid DID URL", http.StatusBadRequest)
	ErrInvalidOptions             = newKind(didErrorBase, "INVALID_OPTIONS", "invalid resolution options", http.StatusBadRequest)
	ErrNotFound                   = newKind(didErrorBase, "NOT_FOUND", "DID not found", http.StatusNotFound)
	ErrRepresentationNotSupported = newKind(didErrorBase, "REPRESENTATION_NOT_SUPPORTED", "representation not supported", http.StatusNotAcceptable)
	ErrInvalidDocument            = newKind(didErrorBase, "INVALID_DID_DOCUMENT", "invalid DID document", http.StatusInternalServerError)
	ErrMethodNotSupported         = newKind(didErrorBase, "METHOD_NOT_SUPPORTED", "DID method not supported", http.StatusNotImplemented)
	ErrFeatureNotSupported        = newKind(didErrorBase, "FEATURE_NOT_SUPPORTED", "feature not supported", http.StatusNotImplemented)
	ErrInternal                   = newKind(didErrorBase, "INTERNAL_ERROR", "internal error", http.StatusInternalServerError)
)

// Error kinds of the Controlled Identifiers specification used by DID URL dereferencing
// with a verification relationship. The HTTP binding table of DID Resolution gives
// "any other error URI" the status 500.
var (
	ErrInvalidVerificationMethod = newKind(cidErrorBase, "INVALID_VERIFICATION_METHOD", "invalid verification method", http.StatusInternalServerError)
	ErrInvalidRelationship       = newKind(cidErrorBase, "INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD", "verification method not authorized for the relationship", http.StatusInternalServerError)
)

// ErrDeactivated reports a deactivated DID. DID Resolution defines no error type for
// it: the result carries didDocument null and didDocumentMetadata.deactivated true,
// and the HTTP binding answers 410 with that result and no error property. Resolvers
// return it together with such a result so that a caller checking only err cannot use
// a deactivated DID by mistake. ProblemFor gives it the type "about:blank" (RFC 9457
// § 4.2.1: no semantics beyond the status code).
var ErrDeactivated = newKind("", "DEACTIVATED", "DID deactivated", http.StatusGone)

func newKind(base, name, title string, status int) *ErrorKind {
	u := "about:blank"
	if base != "" {
		u = base + name
	}
	return &ErrorKind{name: name, url: u, title: title, status: status}
}

// Problem is an RFC 9457 problem details object, the form of the error property in
// DID resolution and dereferencing metadata.
type Problem struct {
	Type   string `json:"type"`
	Title  string `json:"title,omitempty"`
	Detail string `json:"detail,omitempty"`
	// Status is the HTTP status code a front end should answer with. It is advisory in
	// RFC 9457 and omitted from JSON when zero.
	Status int `json:"status,omitempty"`
}

// ProblemFor maps any error to its problem object: the first ErrorKind found in err's
// chain gives type, title and status, and err's message is the detail. Errors of no kind
// (context cancellation among them) are INTERNAL_ERROR. ProblemFor(nil) is the zero
// Problem.
func ProblemFor(err error) Problem {
	if err == nil {
		return Problem{}
	}
	kind := ErrInternal
	var k *ErrorKind
	if errors.As(err, &k) {
		kind = k
	}
	p := Problem{Type: kind.url, Title: kind.title, Status: kind.status}
	if err != error(kind) {
		p.Detail = err.Error()
	}
	return p
}
