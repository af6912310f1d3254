package jcs

import (
	"unicode/utf16"
	"unicode/utf8"
)

// string parses a JSON string starting at its opening quote and returns its
// decoded value. The common case, a string without escapes, is sliced from the
// input without copying.
func (p *parser) string() ([]byte, error) {
	p.pos++ // opening quote
	start := p.pos
	var buf []byte // decoded bytes, only once an escape has been seen
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			s := p.data[start:p.pos]
			p.pos++
			if buf != nil {
				return append(buf, s...), nil
			}
			return s, nil
		case c == '\\':
			buf = append(buf, p.data[start:p.pos]...)
			r, err := p.escape()
			if err != nil {
				return nil, err
			}
			buf = utf8.AppendRune(buf, r)
			start = p.pos
		case c < 0x20:
			return nil, p.fail(ErrSyntax) // RFC 8259: control characters must be escaped
		case c < utf8.RuneSelf:
			p.pos++
		default:
			r, size := utf8.DecodeRune(p.data[p.pos:])
			if (r == utf8.RuneError && size == 1) || isNoncharacter(r) {
				return nil, p.fail(ErrInvalidString)
			}
			p.pos += size
		}
	}
	return nil, p.fail(ErrSyntax)
}

// escape decodes one escape sequence starting at its backslash. A \u escape of
// a high surrogate must be followed by an escaped low surrogate; RFC 8785
// section 3.2.2.2: "occurrences of such data [lone surrogates] MUST cause a
// compliant JCS implementation to terminate with an appropriate error".
func (p *parser) escape() (rune, error) {
	if p.pos+1 >= len(p.data) {
		return 0, p.fail(ErrSyntax)
	}
	c := p.data[p.pos+1]
	p.pos += 2
	switch c {
	case '"', '\\', '/':
		return rune(c), nil
	case 'b':
		return '\b', nil
	case 'f':
		return '\f', nil
	case 'n':
		return '\n', nil
	case 'r':
		return '\r', nil
	case 't':
		return '\t', nil
	case 'u':
		return p.unicodeEscape()
	}
	p.pos -= 2
	return 0, p.fail(ErrSyntax)
}

func (p *parser) unicodeEscape() (rune, error) {
	r, ok := p.hex4()
	if !ok {
		return 0, p.fail(ErrSyntax)
	}
	if utf16.IsSurrogate(r) {
		if r >= 0xdc00 || p.pos+1 >= len(p.data) || p.data[p.pos] != '\\' || p.data[p.pos+1] != 'u' {
			return 0, p.fail(ErrInvalidString)
		}
		p.pos += 2
		lo, ok := p.hex4()
		if !ok {
			return 0, p.fail(ErrSyntax)
		}
		if r = utf16.DecodeRune(r, lo); r == utf8.RuneError {
			return 0, p.fail(ErrInvalidString)
		}
	}
	if isNoncharacter(r) {
		return 0, p.fail(ErrInvalidString)
	}
	return r, nil
}

// hex4 reads the four hexadecimal digits of a \u escape.
func (p *parser) hex4() (rune, bool) {
	if len(p.data)-p.pos < 4 {
		return 0, false
	}
	var r rune
	for _, c := range p.data[p.pos : p.pos+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	p.pos += 4
	return r, true
}

// isNoncharacter reports the 66 Unicode noncharacters (U+FDD0..U+FDEF and the
// last two code points of every plane), which I-JSON strings must not contain.
func isNoncharacter(r rune) bool {
	return (r >= 0xfdd0 && r <= 0xfdef) || r&0xfffe == 0xfffe
}

// appendString serializes s as RFC 8785 section 3.2.2.2 requires: U+0008,
// U+0009, U+000A, U+000C and U+000D as \b, \t, \n, \f, \r; the other controls
// below U+0020 as lowercase \u00hh; '"' and '\' as \" and \\; everything else
// "as is".
func appendString[T string | []byte](dst []byte, s T) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\t':
			dst = append(dst, '\\', 't')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\f':
			dst = append(dst, '\\', 'f')
		case '\r':
			dst = append(dst, '\\', 'r')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
