package vc

import (
	"errors"
	"fmt"
	"net/http"
)

// ProblemType is the URL of a problem type of VC Data Model 2.0 §7.2. The Recommendation gives
// no integer codes (the drafts' -64…-67 were removed before publication), so none are defined.
type ProblemType string

// The problem types defined by VC Data Model 2.0 §7.2.
const (
	ParsingError               ProblemType = "https://www.w3.org/TR/vc-data-model#PARSING_ERROR"
	CryptographicSecurityError ProblemType = "https://www.w3.org/TR/vc-data-model#CRYPTOGRAPHIC_SECURITY_ERROR"
	MalformedValueError        ProblemType = "https://www.w3.org/TR/vc-data-model#MALFORMED_VALUE_ERROR"
	RangeError                 ProblemType = "https://www.w3.org/TR/vc-data-model#RANGE_ERROR"
)

// Sentinels matched by an [*Error] of the corresponding [ProblemType].
var (
	ErrParsing               = errors.New("vc: parsing error")
	ErrCryptographicSecurity = errors.New("vc: cryptographic security error")
	ErrMalformedValue        = errors.New("vc: malformed value")
	ErrRange                 = errors.New("vc: value out of range")
)

// Finer causes, wrapped by an [*Error] (errors.Is matches both them and the problem type).
var (
	ErrExpired           = errors.New("vc: credential expired")            // RangeError
	ErrNotYetValid       = errors.New("vc: credential not yet valid")      // RangeError
	ErrDigestMismatch    = errors.New("vc: digest mismatch")               // CryptographicSecurityError
	ErrUnsupportedDigest = errors.New("vc: no supported digest algorithm") // CryptographicSecurityError
)

// Error is a problem found in a credential or presentation.
type Error struct {
	Type   ProblemType
	Path   string // RFC 6901 JSON Pointer to the offending member; "" is the whole document
	Detail string
	Err    error // the finer cause, if any
}

func (e *Error) Error() string {
	msg := e.Type.sentinel().Error()
	if e.Path != "" {
		msg += " at " + e.Path
	}
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

// Is reports whether target is the sentinel of e's problem type.
func (e *Error) Is(target error) bool { return target == e.Type.sentinel() }

// Unwrap returns the finer cause.
func (e *Error) Unwrap() error { return e.Err }

// Problem is an RFC 9457 problem details object. Pointer is an extension member that carries
// the JSON Pointer VC Data Model 2.0 §7.2 asks MALFORMED_VALUE_ERROR reports to include.
type Problem struct {
	Type    string `json:"type"`
	Title   string `json:"title"`
	Detail  string `json:"detail,omitempty"`
	Status  int    `json:"status"`
	Pointer string `json:"pointer,omitempty"`
}

// Problem returns the RFC 9457 object for e. Status is 400 for input that is not JSON and 422
// (RFC 9110 §15.5.21) for JSON that is not a conforming or acceptable document.
func (e *Error) Problem() Problem {
	p := Problem{Type: string(e.Type), Title: e.Type.title(), Detail: e.Detail, Status: http.StatusUnprocessableEntity, Pointer: e.Path}
	if e.Type == ParsingError {
		p.Status = http.StatusBadRequest
	}
	if p.Detail == "" && e.Err != nil {
		p.Detail = e.Err.Error()
	}
	return p
}

func (t ProblemType) sentinel() error {
	switch t {
	case ParsingError:
		return ErrParsing
	case CryptographicSecurityError:
		return ErrCryptographicSecurity
	case RangeError:
		return ErrRange
	default:
		return ErrMalformedValue
	}
}

func (t ProblemType) title() string {
	switch t {
	case ParsingError:
		return "Parsing error"
	case CryptographicSecurityError:
		return "Cryptographic security error"
	case RangeError:
		return "Range error"
	default:
		return "Malformed value"
	}
}

// malformed reports a MALFORMED_VALUE_ERROR at path.
func malformed(path, format string, args ...any) error {
	return &Error{Type: MalformedValueError, Path: path, Detail: fmt.Sprintf(format, args...)}
}
