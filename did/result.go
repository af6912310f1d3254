package did

import "fmt"

// DocumentResult returns the successful resolution result of doc in the representation
// mediaType, one that NegotiateRepresentation chose: doc's @context is set for that
// representation (Document.ContextFor) and the resolution metadata names it.
func DocumentResult(doc *Document, mediaType string) (*ResolutionResult, error) {
	var err error
	if doc.Context, err = doc.ContextFor(mediaType); err != nil {
		return nil, err
	}
	return &ResolutionResult{DIDDocument: doc, DIDResolutionMetadata: ResolutionMetadata{ContentType: mediaType}}, nil
}

// ResolveDerived is Resolver.Resolve for a method whose DID document follows from the DID
// alone, such as did:key and did:jwk. It negotiates the representation from opts.Accept,
// parses id, refuses a method other than method with ErrMethodNotSupported, builds the
// document with derive and returns its DocumentResult. On failure it returns the
// ErrorResult of the error with the error.
func ResolveDerived(id string, opts ResolutionOptions, method string, derive func(DID) (*Document, error)) (*ResolutionResult, error) {
	res, err := resolveDerived(id, opts, method, derive)
	if err != nil {
		return ErrorResult(err), err
	}
	return res, nil
}

func resolveDerived(id string, opts ResolutionOptions, method string, derive func(DID) (*Document, error)) (*ResolutionResult, error) {
	mediaType, err := NegotiateRepresentation(opts.Accept)
	if err != nil {
		return nil, err
	}
	d, err := Parse(id)
	if err != nil {
		return nil, err
	}
	if d.Method != method {
		return nil, fmt.Errorf("%w: %q is not did:%s", ErrMethodNotSupported, d.Method, method)
	}
	doc, err := derive(d)
	if err != nil {
		return nil, err
	}
	return DocumentResult(doc, mediaType)
}
