package web

import "errors"

// Errors of did:web resolution, for errors.Is. Resolve wraps each together with a
// did.ErrorKind: did.ErrInvalidDID for ErrInvalidHost and ErrInvalidPath,
// did.ErrNotFound for ErrForbiddenAddress, ErrUnreachable, ErrRedirect and ErrStatus,
// and did.ErrInvalidDocument for ErrTooLarge, ErrContentType and ErrIDMismatch (and
// the document's own parse errors).
var (
	ErrInvalidHost      = errors.New("web: host is not a domain name with an optional port")
	ErrInvalidPath      = errors.New("web: invalid path segment")
	ErrForbiddenAddress = errors.New("web: host resolves to a non-public address")
	ErrUnreachable      = errors.New("web: DID document could not be fetched")
	ErrRedirect         = errors.New("web: redirects are not followed")
	ErrStatus           = errors.New("web: unexpected HTTP status")
	ErrTooLarge         = errors.New("web: DID document too large")
	ErrContentType      = errors.New("web: unexpected content type")
	ErrIDMismatch       = errors.New("web: document id does not match the DID")
)
