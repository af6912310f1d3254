package jcs

import (
	"slices"
	"strconv"
)

// parser is a strict recursive-descent JSON (RFC 8259) parser with the I-JSON
// (RFC 7493) restrictions, since RFC 8785 section 3.1 requires its input to be
// I-JSON compatible: no duplicate names, no surrogates or noncharacters, and
// numbers that fit an IEEE-754 double.
type parser struct {
	data     []byte
	pos      int
	depth    int
	maxDepth int
	// elems and members are stacks shared by all nesting levels: a container
	// collects its children on top and takes an exactly sized copy when it
	// closes, instead of growing a slice of its own.
	elems   []node
	members []member
}

func (p *parser) fail(err error) error {
	return &SyntaxError{Offset: p.pos, Err: err}
}

// document parses a complete JSON text: one value with optional whitespace.
func (p *parser) document() (node, error) {
	p.skipSpace()
	v, err := p.value()
	if err != nil {
		return node{}, err
	}
	p.skipSpace()
	if p.pos != len(p.data) {
		return node{}, p.fail(ErrSyntax)
	}
	return v, nil
}

func (p *parser) skipSpace() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *parser) value() (node, error) {
	if p.pos >= len(p.data) {
		return node{}, p.fail(ErrSyntax)
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		s, err := p.string()
		return node{kind: kindString, str: s}, err
	case c == 't':
		return node{kind: kindTrue}, p.literal("true")
	case c == 'f':
		return node{kind: kindFalse}, p.literal("false")
	case c == 'n':
		return node{kind: kindNull}, p.literal("null")
	case c == '-' || isDigit(c):
		return p.number()
	default:
		return node{}, p.fail(ErrSyntax)
	}
}

func (p *parser) literal(word string) error {
	if len(p.data)-p.pos < len(word) || string(p.data[p.pos:p.pos+len(word)]) != word {
		return p.fail(ErrSyntax)
	}
	p.pos += len(word)
	return nil
}

// enter counts one level of nesting and enforces the depth bound.
func (p *parser) enter() error {
	p.depth++
	if p.depth > p.maxDepth {
		return p.fail(ErrTooDeep)
	}
	p.pos++ // the opening bracket or brace
	p.skipSpace()
	return nil
}

func (p *parser) array() (node, error) {
	if err := p.enter(); err != nil {
		return node{}, err
	}
	n := node{kind: kindArray}
	if p.consume(']') {
		p.depth--
		return n, nil
	}
	base := len(p.elems)
	for {
		p.skipSpace()
		v, err := p.value()
		if err != nil {
			return node{}, err
		}
		p.elems = append(p.elems, v)
		p.skipSpace()
		if p.consume(']') {
			n.elems = slices.Clone(p.elems[base:])
			p.elems = p.elems[:base]
			p.depth--
			return n, nil
		}
		if !p.consume(',') {
			return node{}, p.fail(ErrSyntax)
		}
	}
}

func (p *parser) object() (node, error) {
	if err := p.enter(); err != nil {
		return node{}, err
	}
	n := node{kind: kindObject}
	if p.consume('}') {
		p.depth--
		return n, nil
	}
	base := len(p.members)
	for {
		m, err := p.member()
		if err != nil {
			return node{}, err
		}
		p.members = append(p.members, m)
		p.skipSpace()
		if p.consume('}') {
			n.members = slices.Clone(p.members[base:])
			p.members = p.members[:base]
			p.depth--
			return n, nil
		}
		if !p.consume(',') {
			return node{}, p.fail(ErrSyntax)
		}
	}
}

func (p *parser) member() (member, error) {
	p.skipSpace()
	m := member{offset: p.pos}
	if p.pos >= len(p.data) || p.data[p.pos] != '"' {
		return member{}, p.fail(ErrSyntax)
	}
	name, err := p.string()
	if err != nil {
		return member{}, err
	}
	m.name = name
	p.skipSpace()
	if !p.consume(':') {
		return member{}, p.fail(ErrSyntax)
	}
	p.skipSpace()
	m.value, err = p.value()
	return m, err
}

func (p *parser) consume(c byte) bool {
	if p.pos < len(p.data) && p.data[p.pos] == c {
		p.pos++
		return true
	}
	return false
}

// number scans the RFC 8259 number grammar
// [ minus ] int [ frac ] [ exp ] and converts it to the nearest double.
func (p *parser) number() (node, error) {
	start := p.pos
	p.consume('-')
	switch {
	case p.consume('0'):
	case p.pos < len(p.data) && isDigit(p.data[p.pos]):
		p.digits()
	default:
		return node{}, p.fail(ErrSyntax)
	}
	if p.consume('.') && !p.digits() {
		return node{}, p.fail(ErrSyntax)
	}
	if p.consume('e') || p.consume('E') {
		if !p.consume('+') {
			p.consume('-')
		}
		if !p.digits() {
			return node{}, p.fail(ErrSyntax)
		}
	}
	f, err := strconv.ParseFloat(string(p.data[start:p.pos]), 64)
	if err != nil {
		// The grammar was checked above, so the only failure left is a
		// magnitude beyond the largest double (underflow rounds to zero, as
		// in ECMAScript's JSON.parse).
		return node{}, &SyntaxError{Offset: start, Err: ErrNumber}
	}
	return node{kind: kindNumber, num: f}, nil
}

// digits consumes one or more decimal digits and reports whether there was any.
func (p *parser) digits() bool {
	start := p.pos
	for p.pos < len(p.data) && isDigit(p.data[p.pos]) {
		p.pos++
	}
	return p.pos > start
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
