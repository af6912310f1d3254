package rdfc

import (
	"errors"
	"fmt"
)

var (
	// ErrSyntax is wrapped by every N-Quads syntax error; the error is a *SyntaxError.
	ErrSyntax = errors.New("rdfc: N-Quads syntax error")
	// ErrTooLarge is wrapped when an N-Quads input exceeds a ParseOptions bound.
	ErrTooLarge = errors.New("rdfc: input too large")
	// ErrInvalidTerm is wrapped when a Dataset holds a term that RDF or canonical
	// N-Quads does not allow (a literal subject, a relative IRI, a malformed language
	// tag, invalid UTF-8 …); the error is a *TermError.
	ErrInvalidTerm = errors.New("rdfc: invalid term")
	// ErrTooComplex is wrapped when canonicalization exceeds Options.MaxWork: the
	// dataset is treated as a poison dataset (RDFC-1.0 § Dataset Poisoning) and no result is given.
	ErrTooComplex = errors.New("rdfc: dataset too complex to canonicalize")
	// ErrUnsupportedHash is wrapped when Options.Hash is neither SHA-256 nor SHA-384.
	ErrUnsupportedHash = errors.New("rdfc: unsupported hash algorithm")
)

// SyntaxError locates an N-Quads syntax error. It matches ErrSyntax with errors.Is.
type SyntaxError struct {
	Line   int // 1-based line number
	Column int // 1-based byte offset in the line
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("rdfc: N-Quads syntax error at line %d, column %d: %s", e.Line, e.Column, e.Msg)
}

// Is reports whether target is ErrSyntax.
func (e *SyntaxError) Is(target error) bool { return target == ErrSyntax }

// TermError locates an invalid term in a Dataset. It matches ErrInvalidTerm with errors.Is.
type TermError struct {
	Quad     int    // index of the quad in the Dataset
	Position string // "subject", "predicate", "object" or "graph"
	Msg      string
}

func (e *TermError) Error() string {
	return fmt.Sprintf("rdfc: invalid term: quad %d, %s: %s", e.Quad, e.Position, e.Msg)
}

// Is reports whether target is ErrInvalidTerm.
func (e *TermError) Is(target error) bool { return target == ErrInvalidTerm }
