package jsonld

import (
	"errors"
	"fmt"
)

// Errors that the functions of this package wrap. Use errors.Is to branch.
var (
	// ErrUnknownContext: a document names a context that is neither embedded
	// nor registered with the Loader. Nothing is fetched from the network.
	ErrUnknownContext = errors.New("jsonld: unknown context")
	// ErrInvalidContext: a context document given to NewLoader is not a JSON
	// object with an @context entry, or would replace an embedded context.
	ErrInvalidContext = errors.New("jsonld: invalid context document")
	// ErrDataLoss: JSON-LD processing would drop part of the document, such as
	// an undefined term, a relative IRI, a member named "", a null value or an
	// @index. VC Data Integrity 1.0 calls this a DATA_LOSS_DETECTION_ERROR.
	ErrDataLoss = errors.New("jsonld: data would be dropped (DATA_LOSS_DETECTION_ERROR)")
	// ErrUnsupported: the document uses a JSON-LD construct whose conversion
	// to RDF this package cannot produce correctly (a @json literal that is
	// not a JSON object or boolean).
	ErrUnsupported = errors.New("jsonld: unsupported JSON-LD construct")
	// ErrProcessing: JSON-LD expansion or conversion to RDF failed; the
	// json-gold error is wrapped as well.
	ErrProcessing = errors.New("jsonld: processing failed")
)

// DataLossError says what would be dropped. It wraps ErrDataLoss or
// ErrUnsupported.
type DataLossError struct {
	Reason string // what kind of data, e.g. "relative @id reference"
	Value  string // the offending term or IRI, when there is one
	// Path is the JSON Pointer (RFC 6901) of the offending member in the
	// input document, when it is known; "/a/" names a member "" of "a".
	Path string
	Err  error
}

func (e *DataLossError) Error() string {
	msg := fmt.Sprintf("%v: %s", e.Err, e.Reason)
	if e.Value != "" {
		msg += fmt.Sprintf(" %q", e.Value)
	}
	if e.Path != "" {
		msg += fmt.Sprintf(" at %q", e.Path)
	}
	return msg
}

func (e *DataLossError) Unwrap() error { return e.Err }
