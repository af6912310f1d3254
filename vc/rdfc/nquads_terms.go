package rdfc

import "unicode/utf8"

// iri parses IRIREF ::= '<' ([^#x00-#x20<>"{}|^`\] | UCHAR)* '>'.
func (p *parser) iri() (string, error) {
	p.pos++ // '<'
	p.buf = p.buf[:0]
	start := p.pos
	for p.pos < len(p.line) {
		c := p.line[p.pos]
		switch {
		case c == '>':
			p.buf = append(p.buf, p.line[start:p.pos]...)
			p.pos++
			iri := string(p.buf)
			if !hasScheme(iri) {
				return "", p.fail("IRI is not absolute")
			}
			return iri, nil
		case c == '\\':
			p.buf = append(p.buf, p.line[start:p.pos]...)
			r, err := p.uchar()
			if err != nil {
				return "", err
			}
			if forbiddenInIRI(r) {
				return "", p.fail("escaped character U+%04X is not allowed in an IRI", r)
			}
			p.buf = utf8.AppendRune(p.buf, r)
			start = p.pos
		case forbiddenInIRI(rune(c)):
			return "", p.fail("character %q is not allowed in an IRI", c)
		default:
			p.pos++
		}
	}
	return "", p.fail("unterminated IRI")
}

// uchar parses UCHAR ::= '\u' HEX{4} | '\U' HEX{8} at p.pos (the backslash).
func (p *parser) uchar() (rune, error) {
	n := 0
	if p.pos+1 < len(p.line) {
		switch p.line[p.pos+1] {
		case 'u':
			n = 4
		case 'U':
			n = 8
		}
	}
	if n == 0 || p.pos+2+n > len(p.line) {
		return 0, p.fail("invalid escape sequence")
	}
	var r rune
	for _, c := range p.line[p.pos+2 : p.pos+2+n] {
		if !isHex(c) {
			return 0, p.fail("invalid hex digit in escape sequence")
		}
		r = r<<4 | hexVal(c)
	}
	if r > utf8.MaxRune || r >= 0xD800 && r <= 0xDFFF {
		return 0, p.fail("escape sequence is not a Unicode scalar value")
	}
	p.pos += 2 + n
	return r, nil
}

// blankLabel parses BLANK_NODE_LABEL ::= '_:' (PN_CHARS_U | [0-9]) ((PN_CHARS | '.')* PN_CHARS)?
// and returns the label without "_:".
func (p *parser) blankLabel() (string, error) {
	if p.pos+1 >= len(p.line) || p.line[p.pos+1] != ':' {
		return "", p.fail("expected '_:'")
	}
	p.pos += 2
	start, end := p.pos, p.pos // end is just past the last PN_CHARS
	for i := p.pos; i < len(p.line); {
		r, size := utf8.DecodeRune(p.line[i:])
		ok := isPNChars(r) || r == '.'
		if i == start {
			ok = isPNCharsU(r) || r >= '0' && r <= '9'
		}
		if !ok {
			break
		}
		i += size
		if r != '.' {
			end = i
		}
	}
	if end == start {
		return "", p.fail("empty blank node label")
	}
	p.pos = end
	return string(p.line[start:end]), nil
}

// literal parses STRING_LITERAL_QUOTE ('^^' IRIREF | LANGTAG)?.
func (p *parser) literal(t *Term) error {
	var err error
	if t.Value, err = p.quoted(); err != nil {
		return err
	}
	switch {
	case p.pos+1 < len(p.line) && p.line[p.pos] == '^' && p.line[p.pos+1] == '^':
		p.pos += 2
		if p.pos >= len(p.line) || p.line[p.pos] != '<' {
			return p.fail("expected a datatype IRI after '^^'")
		}
		if t.Datatype, err = p.iri(); err != nil {
			return err
		}
		if t.Datatype == RDFLangString {
			return p.fail("rdf:langString literal without a language tag")
		}
	case p.pos < len(p.line) && p.line[p.pos] == '@':
		p.pos++
		start := p.pos
		for p.pos < len(p.line) && isLangChar(p.line[p.pos]) {
			p.pos++
		}
		t.Language = string(p.line[start:p.pos])
		if !validLangTag(t.Language) {
			return p.fail("malformed language tag")
		}
	}
	return nil
}

func isLangChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
}

// quoted parses '"' ([^#x22#x5C#xA#xD] | ECHAR | UCHAR)* '"'.
func (p *parser) quoted() (string, error) {
	p.pos++ // '"'
	p.buf = p.buf[:0]
	start := p.pos
	for p.pos < len(p.line) {
		switch c := p.line[p.pos]; c {
		case '"':
			p.buf = append(p.buf, p.line[start:p.pos]...)
			p.pos++
			return string(p.buf), nil
		case '\\':
			p.buf = append(p.buf, p.line[start:p.pos]...)
			if err := p.stringEscape(); err != nil {
				return "", err
			}
			start = p.pos
		default:
			p.pos++
		}
	}
	return "", p.fail("unterminated string literal")
}

// stringEscape decodes ECHAR ::= '\' [tbnrf"'\] or a UCHAR into p.buf.
func (p *parser) stringEscape() error {
	if p.pos+1 < len(p.line) {
		if c, ok := echar[p.line[p.pos+1]]; ok {
			p.buf = append(p.buf, c)
			p.pos += 2
			return nil
		}
	}
	r, err := p.uchar()
	if err != nil {
		return err
	}
	p.buf = utf8.AppendRune(p.buf, r)
	return nil
}

var echar = map[byte]byte{'t': '\t', 'b': '\b', 'n': '\n', 'r': '\r', 'f': '\f', '"': '"', '\'': '\'', '\\': '\\'}
