package dataintegrity

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/kakunin-dev/kakunin/vc"
)

// ErrorType is the URL of a Data Integrity processing error. VC Data Integrity
// 1.0 § Processing Errors: "The type value of the error object MUST be a URL
// that starts with the value https://w3id.org/security# and ends with the value
// in the section listed below." The Recommendation assigns no integer codes.
type ErrorType string

// The processing errors of VC Data Integrity 1.0. MalformedProof and
// MismatchedProofPurpose are the finer names the Candidate Recommendations and
// the cryptosuite specifications use; the Recommendation's Verify Proof
// algorithm raises PROOF_VERIFICATION_ERROR for them, so errors of those two
// types also match ErrProofVerification.
const (
	ProofGenerationError        ErrorType = "https://w3id.org/security#PROOF_GENERATION_ERROR"
	ProofVerificationError      ErrorType = "https://w3id.org/security#PROOF_VERIFICATION_ERROR"
	ProofTransformationError    ErrorType = "https://w3id.org/security#PROOF_TRANSFORMATION_ERROR"
	MalformedProofError         ErrorType = "https://w3id.org/security#MALFORMED_PROOF_ERROR"
	MismatchedProofPurposeError ErrorType = "https://w3id.org/security#MISMATCHED_PROOF_PURPOSE_ERROR"
	InvalidDomainError          ErrorType = "https://w3id.org/security#INVALID_DOMAIN_ERROR"
	InvalidChallengeError       ErrorType = "https://w3id.org/security#INVALID_CHALLENGE_ERROR"
)

// Sentinels, one per ErrorType; an [*Error] matches the sentinel of its type
// with errors.Is.
var (
	ErrProofGeneration        = errors.New("dataintegrity: PROOF_GENERATION_ERROR")
	ErrProofVerification      = errors.New("dataintegrity: PROOF_VERIFICATION_ERROR")
	ErrProofTransformation    = errors.New("dataintegrity: PROOF_TRANSFORMATION_ERROR")
	ErrMalformedProof         = errors.New("dataintegrity: MALFORMED_PROOF_ERROR")
	ErrMismatchedProofPurpose = errors.New("dataintegrity: MISMATCHED_PROOF_PURPOSE_ERROR")
	ErrInvalidDomain          = errors.New("dataintegrity: INVALID_DOMAIN_ERROR")
	ErrInvalidChallenge       = errors.New("dataintegrity: INVALID_CHALLENGE_ERROR")
)

// Finer causes, wrapped by an [*Error] (errors.Is matches both them and the
// error type).
var (
	ErrUnsupportedCryptosuite = errors.New("dataintegrity: unsupported or disallowed cryptosuite")
	ErrKeyType                = errors.New("dataintegrity: key type does not fit the cryptosuite")
	ErrInvalidSignature       = errors.New("dataintegrity: signature does not verify")
	ErrProofExpired           = errors.New("dataintegrity: proof expired")
	ErrUnauthorizedMethod     = errors.New("dataintegrity: verification method not authorized for the proof purpose")
	ErrPreviousProof          = errors.New("dataintegrity: previousProof names no proof of the document")
	ErrNoProof                = errors.New("dataintegrity: document has no proof")
)

// Error is a Data Integrity processing error. Verification errors (every type
// but ProofGenerationError) also match vc.ErrCryptographicSecurity, so that a
// credential verifier can report CRYPTOGRAPHIC_SECURITY_ERROR.
type Error struct {
	Type   ErrorType
	Proof  int    // index of the proof in the document's proof set; -1 when none applies
	Detail string // human-readable; never contains key material
	Err    error  // the finer cause, if any
}

func (e *Error) Error() string {
	msg := e.Type.sentinel().Error()
	if e.Proof >= 0 {
		msg += fmt.Sprintf(" (proof %d)", e.Proof)
	}
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Is reports whether target is the sentinel of e's type, of a more general
// type, or vc.ErrCryptographicSecurity for a verification error.
func (e *Error) Is(target error) bool {
	switch target {
	case e.Type.sentinel():
		return true
	case ErrProofVerification:
		return e.Type == MalformedProofError || e.Type == MismatchedProofPurposeError
	case vc.ErrCryptographicSecurity:
		return e.Type != ProofGenerationError
	}
	return false
}

// Unwrap returns the finer cause.
func (e *Error) Unwrap() error { return e.Err }

// Problem returns the RFC 9457 problem details object for e, as Data Integrity
// § Processing Errors asks an HTTP interface to send. The status is 422 for
// verification errors and 400 for generation errors (the request was refused).
func (e *Error) Problem() vc.Problem {
	status := http.StatusUnprocessableEntity
	if e.Type == ProofGenerationError {
		status = http.StatusBadRequest
	}
	return vc.Problem{Type: string(e.Type), Title: e.Type.title(), Detail: e.Error(), Status: status}
}

func (t ErrorType) sentinel() error {
	switch t {
	case ProofGenerationError:
		return ErrProofGeneration
	case ProofTransformationError:
		return ErrProofTransformation
	case MalformedProofError:
		return ErrMalformedProof
	case MismatchedProofPurposeError:
		return ErrMismatchedProofPurpose
	case InvalidDomainError:
		return ErrInvalidDomain
	case InvalidChallengeError:
		return ErrInvalidChallenge
	default:
		return ErrProofVerification
	}
}

func (t ErrorType) title() string {
	switch t {
	case ProofGenerationError:
		return "Proof generation error"
	case ProofTransformationError:
		return "Proof transformation error"
	case MalformedProofError:
		return "Malformed proof"
	case MismatchedProofPurposeError:
		return "Mismatched proof purpose"
	case InvalidDomainError:
		return "Invalid domain"
	case InvalidChallengeError:
		return "Invalid challenge"
	default:
		return "Proof verification error"
	}
}

// fail returns an *Error of type t for proof i with detail and cause.
func fail(t ErrorType, i int, cause error, format string, args ...any) *Error {
	return &Error{Type: t, Proof: i, Detail: fmt.Sprintf(format, args...), Err: cause}
}

var errProofValue = errors.New("proofValue must be a base58-btc multibase value")
