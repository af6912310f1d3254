package did

import (
	"fmt"
	"strconv"
	"strings"
)

// MaxLength bounds the DIDs and DID URLs that Parse and ParseURL accept, in bytes.
// DID Core sets no limit; this one keeps hostile input from costing more than a page.
const MaxLength = 2048

// DID is a decentralized identifier: "did:" Method ":" ID. The zero DID is not valid.
// DIDs are comparable with ==, which is the equivalence DID Core defines (exact string
// equality, percent-encoding included).
type DID struct {
	// Method is the method name: one or more of a-z and 0-9.
	Method string
	// ID is the method-specific identifier exactly as written, with its
	// percent-encoding and colons.
	ID string
}

// String returns "did:" + Method + ":" + ID.
func (d DID) String() string { return "did:" + d.Method + ":" + d.ID }

// IsZero reports whether d is the zero DID.
func (d DID) IsZero() bool { return d == DID{} }

// SyntaxError describes why a DID or DID URL was rejected. It wraps ErrInvalidDID or
// ErrInvalidDIDURL.
type SyntaxError struct {
	Input  string // the input, truncated to 64 bytes
	Pos    int    // byte offset of the first offending byte
	Reason string
	kind   *ErrorKind
}

func (e *SyntaxError) Error() string {
	what := "DID"
	if e.kind == ErrInvalidDIDURL {
		what = "DID URL"
	}
	return fmt.Sprintf("did: invalid %s %s at byte %d: %s", what, strconv.Quote(e.Input), e.Pos, e.Reason)
}

func (e *SyntaxError) Unwrap() error { return e.kind }

func syntaxError(kind *ErrorKind, s string, pos int, reason string) error {
	in := s
	if len(in) > 64 {
		in = in[:64] + "…"
	}
	return &SyntaxError{Input: in, Pos: pos, Reason: reason, kind: kind}
}

// Parse parses a DID per the DID Syntax ABNF of DID Core (1.0 and 1.1):
//
//	did                = "did:" method-name ":" method-specific-id
//	method-name        = 1*method-char
//	method-char        = %x61-7A / DIGIT
//	method-specific-id = *( *idchar ":" ) 1*idchar
//	idchar             = ALPHA / DIGIT / "." / "-" / "_" / pct-encoded
//
// Errors wrap ErrInvalidDID. A DID URL (with path, query or fragment) is not a DID;
// use ParseURL for those.
func Parse(s string) (DID, error) {
	d, end, err := scanDID(s, ErrInvalidDID)
	if err != nil {
		return DID{}, err
	}
	if end != len(s) {
		return DID{}, syntaxError(ErrInvalidDID, s, end, fmt.Sprintf("character %q not allowed in a DID", s[end]))
	}
	return d, nil
}

// scanDID reads the DID at the start of s and returns the offset where it stops: the
// end of s or the first byte that no idchar or ":" can start.
func scanDID(s string, kind *ErrorKind) (DID, int, error) {
	if len(s) > MaxLength {
		return DID{}, 0, syntaxError(kind, s, MaxLength, fmt.Sprintf("longer than %d bytes", MaxLength))
	}
	if !strings.HasPrefix(s, "did:") {
		return DID{}, 0, syntaxError(kind, s, 0, `does not start with "did:"`)
	}
	i := len("did:")
	for i < len(s) && isMethodChar(s[i]) {
		i++
	}
	switch {
	case i == len("did:") && (i == len(s) || s[i] == ':'):
		return DID{}, i, syntaxError(kind, s, i, "empty method name")
	case i == len(s) || s[i] != ':':
		return DID{}, i, syntaxError(kind, s, i, "method name must be lower-case letters and digits followed by \":\"")
	}
	method := s[len("did:"):i]
	i++
	start := i
	for i < len(s) {
		n := idcharLen(s, i)
		if n < 0 {
			return DID{}, i, syntaxError(kind, s, i, "bad percent-encoding")
		}
		if n == 0 {
			if s[i] != ':' {
				break
			}
			n = 1
		}
		i += n
	}
	switch {
	case i == start:
		return DID{}, i, syntaxError(kind, s, i, "empty method-specific identifier")
	case s[i-1] == ':':
		return DID{}, i - 1, syntaxError(kind, s, i-1, "method-specific identifier ends with \":\"")
	}
	return DID{Method: method, ID: s[start:i]}, i, nil
}

func isMethodChar(c byte) bool { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' }

func isAlphaDigit(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// idcharLen returns the length of the idchar at s[i] (1, or 3 for pct-encoded), 0 if
// s[i] starts no idchar, and -1 for a "%" not followed by two hex digits.
func idcharLen(s string, i int) int {
	c := s[i]
	switch {
	case isAlphaDigit(c) || c == '.' || c == '-' || c == '_':
		return 1
	case c == '%':
		return pctLen(s, i)
	}
	return 0
}

func pctLen(s string, i int) int {
	if i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
		return 3
	}
	return -1
}
