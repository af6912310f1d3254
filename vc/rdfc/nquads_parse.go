package rdfc

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// Default bounds of ParseOptions.
const (
	DefaultMaxBytes     = 16 << 20
	DefaultMaxLineBytes = 1 << 20
	DefaultMaxQuads     = 1 << 18
)

// ParseOptions bounds an N-Quads input. The zero value uses the defaults above.
type ParseOptions struct {
	MaxBytes     int // whole document, in bytes
	MaxLineBytes int // one line, in bytes, without its end-of-line
	MaxQuads     int // statements
}

func (o ParseOptions) withDefaults() ParseOptions {
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.MaxLineBytes <= 0 {
		o.MaxLineBytes = DefaultMaxLineBytes
	}
	if o.MaxQuads <= 0 {
		o.MaxQuads = DefaultMaxQuads
	}
	return o
}

// ParseNQuads parses an RDF 1.1 N-Quads document strictly: the document must be UTF-8,
// IRIs absolute, and every statement on one line. Comments and blank lines are allowed.
// Errors wrap ErrSyntax (as a *SyntaxError with the line and column) or ErrTooLarge.
//
// Beyond the grammar, an IRI whose UCHAR escapes decode to a character that no IRI may
// hold (U+0000–U+0020, <>"{}|^`\), or a UCHAR naming a surrogate, is rejected.
func ParseNQuads(data []byte, opts ParseOptions) (Dataset, error) {
	opts = opts.withDefaults()
	if len(data) > opts.MaxBytes {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(data), opts.MaxBytes)
	}
	// Pre-size from the line count, but never allocate ahead for more than a few pages.
	ds := make(Dataset, 0, min(bytes.Count(data, []byte{'\n'})+1, opts.MaxQuads, 256))
	p := parser{}
	for lineNo := 1; len(data) > 0; lineNo++ {
		end := bytes.IndexAny(data, "\r\n")
		if end < 0 {
			end = len(data)
		}
		line, rest := data[:end], data[end:]
		if len(rest) > 0 && rest[0] == '\r' && len(rest) > 1 && rest[1] == '\n' {
			rest = rest[2:]
		} else if len(rest) > 0 {
			rest = rest[1:]
		}
		data = rest
		if len(line) > opts.MaxLineBytes {
			return nil, fmt.Errorf("%w: line %d has %d bytes, limit %d", ErrTooLarge, lineNo, len(line), opts.MaxLineBytes)
		}
		q, ok, err := p.parseLine(line, lineNo)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		if len(ds) == opts.MaxQuads {
			return nil, fmt.Errorf("%w: more than %d quads", ErrTooLarge, opts.MaxQuads)
		}
		ds = append(ds, q)
	}
	return ds, nil
}

// parser reads one line at a time; buf is scratch space for unescaping.
type parser struct {
	line []byte
	pos  int
	num  int
	buf  []byte
}

func (p *parser) fail(format string, args ...any) error {
	return &SyntaxError{Line: p.num, Column: p.pos + 1, Msg: fmt.Sprintf(format, args...)}
}

// parseLine parses one line; ok is false for a blank or comment-only line.
func (p *parser) parseLine(line []byte, num int) (q Quad, ok bool, err error) {
	p.line, p.pos, p.num = line, 0, num
	if !utf8.Valid(line) {
		return q, false, p.fail("invalid UTF-8")
	}
	p.skipSpace()
	if p.atEnd() {
		return q, false, nil
	}
	if q.Subject, err = p.term("subject", 1<<IRIKind|1<<BlankKind); err != nil {
		return q, false, err
	}
	if q.Predicate, err = p.term("predicate", 1<<IRIKind); err != nil {
		return q, false, err
	}
	if q.Object, err = p.term("object", 1<<IRIKind|1<<BlankKind|1<<LiteralKind); err != nil {
		return q, false, err
	}
	if p.pos < len(p.line) && p.line[p.pos] != '.' {
		if q.Graph, err = p.term("graph label", 1<<IRIKind|1<<BlankKind); err != nil {
			return q, false, err
		}
	}
	if p.pos >= len(p.line) || p.line[p.pos] != '.' {
		return q, false, p.fail("expected '.' to end the statement")
	}
	p.pos++
	p.skipSpace()
	if !p.atEnd() {
		return q, false, p.fail("unexpected text after the statement")
	}
	return q, true, nil
}

func (p *parser) skipSpace() {
	for p.pos < len(p.line) && (p.line[p.pos] == ' ' || p.line[p.pos] == '\t') {
		p.pos++
	}
}

// atEnd reports whether only a comment, if anything, is left on the line.
func (p *parser) atEnd() bool { return p.pos == len(p.line) || p.line[p.pos] == '#' }

// term parses one term of an allowed kind and the white space after it.
func (p *parser) term(what string, allowed uint8) (Term, error) {
	var t Term
	var err error
	if p.pos >= len(p.line) {
		return t, p.fail("missing %s", what)
	}
	switch c := p.line[p.pos]; {
	case c == '<':
		t.Kind = IRIKind
		t.Value, err = p.iri()
	case c == '_':
		t.Kind = BlankKind
		t.Value, err = p.blankLabel()
	case c == '"':
		t.Kind = LiteralKind
		err = p.literal(&t)
	default:
		return t, p.fail("expected %s", what)
	}
	if err != nil {
		return t, err
	}
	if allowed&(1<<t.Kind) == 0 {
		return t, p.fail("a %s may not be a %s", what, kindNames[t.Kind])
	}
	p.skipSpace()
	return t, nil
}

var kindNames = [...]string{"default graph", "IRI", "blank node", "literal"}
