package jcs

import (
	"errors"
	"fmt"
)

// Errors that Transform and Marshal wrap. Use errors.Is to branch on them.
var (
	// ErrSyntax: the input is not a JSON text.
	ErrSyntax = errors.New("jcs: invalid JSON")
	// ErrInvalidString: a string holds invalid UTF-8, a lone surrogate (raw or
	// escaped) or a Unicode noncharacter, all of which I-JSON (RFC 7493 section
	// 2.1) forbids; RFC 8785 section 3.1 requires I-JSON input.
	ErrInvalidString = errors.New("jcs: invalid UTF-8, lone surrogate or noncharacter in string")
	// ErrDuplicateKey: an object has two members with the same name.
	ErrDuplicateKey = errors.New("jcs: duplicate object member name")
	// ErrNumber: a number does not fit an IEEE-754 double (it overflows to
	// infinity), so it has no canonical form.
	ErrNumber = errors.New("jcs: number outside IEEE-754 double range")
	// ErrTooLarge: the input exceeds Options.MaxBytes.
	ErrTooLarge = errors.New("jcs: input too large")
	// ErrTooDeep: arrays and objects nest deeper than Options.MaxDepth.
	ErrTooDeep = errors.New("jcs: nesting too deep")
)

// SyntaxError locates a failure in the input. It wraps one of the sentinels.
type SyntaxError struct {
	Offset int   // byte offset in the input where the failure was found
	Err    error // one of the package sentinels
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%v at byte offset %d", e.Err, e.Offset)
}

func (e *SyntaxError) Unwrap() error { return e.Err }
