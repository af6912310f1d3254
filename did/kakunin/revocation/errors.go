package revocation

import (
	"errors"
	"fmt"
)

// Errors callers branch on; Check wraps them with %w.
var (
	// ErrNoAnswer: no source gave a verified answer. It wraps the error of every source tried.
	ErrNoAnswer = errors.New("revocation: no verified answer")
	// ErrNoSource: the certificate names no OCSP responder or CRL distribution point
	// the checker can use, and the local source has no CRL for its issuer.
	ErrNoSource = errors.New("revocation: no revocation source")
	// ErrMalformed: a CRL or OCSP response does not parse or breaks its profile.
	ErrMalformed = errors.New("revocation: malformed response")
	// ErrTooLarge: a response exceeded the configured size limit.
	ErrTooLarge = errors.New("revocation: response too large")
	// ErrBadSignature: a CRL or OCSP response is not signed by the issuer or an
	// authorised responder.
	ErrBadSignature = errors.New("revocation: bad signature")
	// ErrUnauthorizedResponder: an OCSP response is signed by a certificate that is not
	// the issuer nor a delegated responder it issued with the id-kp-OCSPSigning EKU.
	ErrUnauthorizedResponder = errors.New("revocation: unauthorised OCSP responder")
	// ErrIssuerMismatch: a CRL's issuer name or authority key identifier, or an OCSP
	// response's issuer hashes, do not match the issuer.
	ErrIssuerMismatch = errors.New("revocation: issuer mismatch")
	// ErrSerialMismatch: an OCSP response has no answer for the certificate's serial.
	ErrSerialMismatch = errors.New("revocation: serial number mismatch")
	// ErrNonceMismatch: an OCSP response did not echo the request's nonce.
	ErrNonceMismatch = errors.New("revocation: OCSP nonce mismatch")
	// ErrNotYetValid: thisUpdate is after the current time.
	ErrNotYetValid = errors.New("revocation: response not yet valid")
	// ErrStale: the CRL or OCSP response is past nextUpdate (and past the stale window).
	ErrStale = errors.New("revocation: response expired")
	// ErrCRLNumberRegressed: a CRL has a lower cRLNumber than one already accepted for
	// the same issuer; the newer CRL is kept.
	ErrCRLNumberRegressed = errors.New("revocation: older CRL after newer")
	// ErrUnknownStatus: the OCSP responder answered "unknown".
	ErrUnknownStatus = errors.New("revocation: status unknown")
)

// SourceError tells which source failed and how.
type SourceError struct {
	Source Source
	URL    string // empty for the local CRL source
	Err    error
}

func (e *SourceError) Error() string {
	where := e.URL
	if where == "" {
		where = "local source"
	}
	return fmt.Sprintf("revocation: %v %s: %v", e.Source, where, e.Err)
}

func (e *SourceError) Unwrap() error { return e.Err }
