package jsonin

import (
	"errors"
	"fmt"
)

// Sentinels wrapped by every [*Error]; callers branch on them with errors.Is.
var (
	ErrTooLarge     = errors.New("jsonin: input too large")
	ErrTooDeep      = errors.New("jsonin: nesting too deep")
	ErrDuplicateKey = errors.New("jsonin: duplicate object member name")
	// ErrInvalidUTF8 reports text that RFC 7493 §2.1 forbids: invalid UTF-8, an escaped
	// surrogate that is not part of a valid pair, or a Unicode noncharacter.
	ErrInvalidUTF8 = errors.New("jsonin: invalid UTF-8 or forbidden code point")
	ErrSyntax      = errors.New("jsonin: syntax error")
)

// Error describes why an input was refused and where.
type Error struct {
	// Err is one of the package sentinels.
	Err error
	// Offset is the byte offset in the input at which the problem was found.
	Offset int64
	// Pointer is the RFC 6901 JSON Pointer of the value being read ("" for the root).
	Pointer string
	// Detail is a human-readable explanation; it never holds more than a short excerpt of input.
	Detail string
}

func (e *Error) Error() string {
	at := fmt.Sprintf(" at offset %d", e.Offset)
	if e.Pointer != "" {
		at += fmt.Sprintf(" (%s)", e.Pointer)
	}
	if e.Detail == "" {
		return e.Err.Error() + at
	}
	return e.Err.Error() + at + ": " + e.Detail
}

// Unwrap returns the sentinel.
func (e *Error) Unwrap() error { return e.Err }
