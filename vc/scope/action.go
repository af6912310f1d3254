package scope

import (
	"errors"
	"fmt"
	"strings"

	"github.com/kakunin-dev/kakunin/vc/internal/claims"
)

// ErrInvalidPattern is wrapped by every error about the syntax of an action, action pattern or
// URL pattern.
var ErrInvalidPattern = errors.New("scope: invalid pattern")

// Bounds on the strings the grammar accepts (spec/credentials.md §4).
const (
	maxPatternLen = 2048 // an action, action pattern or URL pattern
	maxNameLen    = 128  // a resource segment, verb or MCP tool name
)

// PatternError reports why a pattern or action does not follow the grammar.
type PatternError struct {
	Pattern string
	Reason  string
}

func (e *PatternError) Error() string {
	return fmt.Sprintf("%v %s: %s", ErrInvalidPattern, claims.Quote(e.Pattern), e.Reason)
}

func (e *PatternError) Unwrap() error { return ErrInvalidPattern }

func patternError(p, format string, args ...any) error {
	return &PatternError{Pattern: p, Reason: fmt.Sprintf(format, args...)}
}

// Kind is the family of an action.
type Kind uint8

// Kinds of actions.
const (
	KindResource Kind = iota + 1 // resource:verb, as payments:create or crm.contacts:read
	KindMCP                      // mcp:<server>/<tool>
	KindHTTP                     // http:<METHOD> <URL>
)

// ActionPattern is one entry of a grant's actions: an action, possibly with wildcards, that
// [ActionPattern.Match] compares with the concrete action of a request.
type ActionPattern struct {
	raw  string
	kind Kind
	// KindResource: resource is exact, or a prefix ending in "." when resPrefix, or any when "*".
	resource  string
	resPrefix bool
	verb      string // "*" is any
	// KindMCP: server "*" is any; tool "*" is any; toolPrefix when the tool ended in "*".
	server     string
	tool       string
	toolPrefix bool
	// KindHTTP: method "*" is any.
	method string
	url    URLPattern // in a pattern
	target httpParts  // in a concrete action
}

// String returns the pattern as written.
func (p ActionPattern) String() string { return p.raw }

// Kind returns the pattern's family.
func (p ActionPattern) Kind() Kind { return p.kind }

// ParseActionPattern parses an action pattern of the grammar of spec/credentials.md §4.1. It
// fails with an error wrapping [ErrInvalidPattern].
func ParseActionPattern(s string) (ActionPattern, error) {
	if len(s) > maxPatternLen {
		return ActionPattern{}, patternError(s, "longer than %d bytes", maxPatternLen)
	}
	switch {
	case strings.HasPrefix(s, "mcp:"):
		return parseMCP(s, true)
	case strings.HasPrefix(s, "http:"):
		return parseHTTP(s, true)
	default:
		return parseResourceAction(s, true)
	}
}

// ParseAction parses a concrete action (no wildcards) as a request names it.
func ParseAction(s string) (ActionPattern, error) {
	if len(s) > maxPatternLen {
		return ActionPattern{}, patternError(s, "longer than %d bytes", maxPatternLen)
	}
	switch {
	case strings.HasPrefix(s, "mcp:"):
		return parseMCP(s, false)
	case strings.HasPrefix(s, "http:"):
		return parseHTTP(s, false)
	default:
		return parseResourceAction(s, false)
	}
}

// Match reports whether the concrete action a (from [ParseAction]) is one p allows.
func (p ActionPattern) Match(a ActionPattern) bool {
	if p.kind != a.kind {
		return false
	}
	switch p.kind {
	case KindResource:
		return p.matchResource(a.resource) && (p.verb == "*" || p.verb == a.verb)
	case KindMCP:
		return (p.server == "*" || p.server == a.server) && p.matchTool(a.tool)
	default:
		return (p.method == "*" || p.method == a.method) && p.url.matchParts(a.target)
	}
}

func (p ActionPattern) matchResource(r string) bool {
	switch {
	case p.resource == "*":
		return true
	case p.resPrefix:
		return len(r) > len(p.resource) && strings.HasPrefix(r, p.resource)
	default:
		return r == p.resource
	}
}

func (p ActionPattern) matchTool(t string) bool {
	switch {
	case p.tool == "*":
		return true
	case p.toolPrefix:
		return strings.HasPrefix(t, p.tool)
	default:
		return t == p.tool
	}
}
