package x509

import "errors"

// Errors of did:x509 resolution, for errors.Is. Resolve wraps each together with the
// did.ErrorKind that fixes its problem type: did.ErrInvalidDID for the identifier
// (ErrInvalidPrefix, ErrUnsupportedAlgorithm, ErrNoPredicate, ErrUnknownPredicate,
// ErrPredicateSyntax, ErrPathNotSupported, ErrQueryNotSupported) and
// did.ErrInvalidOptions for the x509chain option and everything checked against it.
var (
	ErrInvalidPrefix        = errors.New("x509: DID prefix is invalid")
	ErrUnsupportedAlgorithm = errors.New("x509: fingerprint algorithm is not supported")
	ErrNoPredicate          = errors.New("x509: DID must contain at least one predicate")
	ErrUnknownPredicate     = errors.New("x509: DID contains an unknown predicate")
	ErrPredicateSyntax      = errors.New("x509: malformed predicate")
	ErrPathNotSupported     = errors.New("x509: DID URL paths are not supported")
	ErrQueryNotSupported    = errors.New("x509: DID URL queries are not supported")

	ErrChainRequired         = errors.New("x509: the x509chain resolution option is required")
	ErrChainMalformed        = errors.New("x509: x509chain is not a list of base64url DER certificates")
	ErrChainTooShort         = errors.New("x509: certificate chain must contain at least two certificates")
	ErrChainInvalid          = errors.New("x509: certificate chain verification failed")
	ErrChainMismatch         = errors.New("x509: supplied chain does not match the verified chain")
	ErrCriticalExtension     = errors.New("x509: unhandled critical extension")
	ErrDuplicateAttribute    = errors.New("x509: certificate name contains duplicate attributes")
	ErrUnsupportedSAN        = errors.New("x509: certificate contains an unsupported SAN type")
	ErrCAFingerprintMismatch = errors.New("x509: CA fingerprint does not match the certificate chain")
	ErrMissingExtension      = errors.New("x509: certificate lacks the extension the predicate needs")
	ErrPredicateMismatch     = errors.New("x509: predicate does not match the certificate")
	ErrKeyUsage              = errors.New("x509: leaf certificate key usage does not support DID operations")
)
