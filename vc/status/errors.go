package status

import (
	"errors"
	"net/http"

	"github.com/kakunin-dev/kakunin/vc"
)

// ProblemType is the URL of an error type. Bitstring Status List v1.0 §3.5: "The type value of
// the error object MUST be a URL that starts with the value
// https://www.w3.org/ns/credentials/status-list# and ends with the value in the section listed
// below." The Recommendation gives no integer codes (the Candidate Recommendation's -128, -129
// and -130 were removed before publication), so none are defined. §3 also raises two problem
// types of VC Data Model 2.0: MALFORMED_VALUE_ERROR and RANGE_ERROR.
type ProblemType string

// The problem types a status check raises.
const (
	RetrievalError      ProblemType = "https://www.w3.org/ns/credentials/status-list#STATUS_RETRIEVAL_ERROR"
	VerificationError   ProblemType = "https://www.w3.org/ns/credentials/status-list#STATUS_VERIFICATION_ERROR"
	ListLengthError     ProblemType = "https://www.w3.org/ns/credentials/status-list#STATUS_LIST_LENGTH_ERROR"
	MalformedValueError             = ProblemType(vc.MalformedValueError)
	RangeError                      = ProblemType(vc.RangeError)
)

// Sentinels matched by an [*Error] of the corresponding [ProblemType]. An Error of type
// MalformedValueError or RangeError matches [vc.ErrMalformedValue] or [vc.ErrRange].
var (
	ErrRetrieval    = errors.New("status: status retrieval error")
	ErrVerification = errors.New("status: status verification error")
	ErrListLength   = errors.New("status: status list length error")
)

// Finer causes, wrapped by an [*Error] (errors.Is matches both them and the problem type).
var (
	ErrEncoding        = errors.New("status: encodedList is not multibase base64url GZIP data") // MalformedValueError
	ErrListTooLarge    = errors.New("status: decoded status list exceeds the size limit")       // VerificationError
	ErrListTooShort    = errors.New("status: status list shorter than the minimum")             // ListLengthError
	ErrPurposeMismatch = errors.New("status: status list has another purpose")                  // VerificationError
	ErrIssuerMismatch  = errors.New("status: status list from an untrusted issuer")             // VerificationError
	ErrListIDMismatch  = errors.New("status: status list id differs from its URL")              // VerificationError
	ErrUnsupported     = errors.New("status: unsupported status entry")                         // VerificationError
	ErrListFull        = errors.New("status: no free index in the status list")                 // RangeError
	ErrTooManyEntries  = errors.New("status: too many credentialStatus entries")                // VerificationError
)

// Error is a problem found while building, parsing or checking status information.
type Error struct {
	Type   ProblemType
	Path   string // RFC 6901 JSON Pointer into the checked document, such as /credentialStatus/1
	Detail string
	Err    error // the finer cause: a sentinel above, a *vc.Error, or a fetch or verification error
}

func (e *Error) Error() string {
	msg := e.Type.sentinel().Error()
	if e.Path != "" {
		msg += " at " + e.Path
	}
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	if e.Err != nil && (e.Detail == "" || !finer(e.Err)) {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// finer reports whether err is one of the package's finer causes, whose text a Detail already
// says in more words.
func finer(err error) bool {
	switch err {
	case ErrEncoding, ErrListTooLarge, ErrListTooShort, ErrPurposeMismatch, ErrIssuerMismatch,
		ErrListIDMismatch, ErrUnsupported, ErrListFull, ErrTooManyEntries:
		return true
	}
	return false
}

// Is reports whether target is the sentinel of e's problem type.
func (e *Error) Is(target error) bool { return target == e.Type.sentinel() }

// Unwrap returns the finer cause.
func (e *Error) Unwrap() error { return e.Err }

// Problem returns the RFC 9457 object for e. Status is 502 for a status list that could not be
// retrieved (the failure is upstream) and 422 otherwise; a verifier endpoint that reports
// status results inside a 200 response uses Type, Title and Detail only.
func (e *Error) Problem() vc.Problem {
	p := vc.Problem{Type: string(e.Type), Title: e.Type.title(), Detail: e.Detail, Status: http.StatusUnprocessableEntity, Pointer: e.Path}
	if e.Type == RetrievalError {
		p.Status = http.StatusBadGateway
	}
	if e.Err != nil && (p.Detail == "" || !finer(e.Err)) {
		if p.Detail != "" {
			p.Detail += ": "
		}
		p.Detail += e.Err.Error()
	}
	return p
}

func (t ProblemType) sentinel() error {
	switch t {
	case RetrievalError:
		return ErrRetrieval
	case ListLengthError:
		return ErrListLength
	case MalformedValueError:
		return vc.ErrMalformedValue
	case RangeError:
		return vc.ErrRange
	default:
		return ErrVerification
	}
}

func (t ProblemType) title() string {
	switch t {
	case RetrievalError:
		return "Status list retrieval failed"
	case ListLengthError:
		return "Status list length error"
	case MalformedValueError:
		return "Malformed value"
	case RangeError:
		return "Status list index out of range"
	default:
		return "Status verification failed"
	}
}

func newError(t ProblemType, path string, cause error, detail string) *Error {
	return &Error{Type: t, Path: path, Detail: detail, Err: cause}
}
