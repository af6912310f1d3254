package rdfc

// FormatNQuads writes ds as an N-Quads document, one quad a line in the order of ds, each
// in canonical N-Quads form (RDFC-1.0 § A). Blank nodes keep their identifiers and
// duplicates are kept: to canonicalize, call Canonicalize. It fails with a *TermError
// when ds does not validate.
func FormatNQuads(ds Dataset) ([]byte, error) {
	if err := ds.Validate(); err != nil {
		return nil, err
	}
	var out []byte
	for i := range ds {
		out = appendQuad(out, &ds[i])
	}
	return out, nil
}

func appendQuad(dst []byte, q *Quad) []byte {
	dst = appendTerm(dst, &q.Subject)
	dst = append(dst, ' ')
	dst = appendTerm(dst, &q.Predicate)
	dst = append(dst, ' ')
	dst = appendTerm(dst, &q.Object)
	dst = append(dst, ' ')
	if q.Graph.Kind != DefaultGraph {
		dst = appendTerm(dst, &q.Graph)
		dst = append(dst, ' ')
	}
	return append(dst, '.', '\n')
}

// appendTerm writes a validated term in canonical N-Quads form.
func appendTerm(dst []byte, t *Term) []byte {
	switch t.Kind {
	case IRIKind:
		return appendIRI(dst, t.Value)
	case BlankKind:
		dst = append(dst, '_', ':')
		return append(dst, t.Value...)
	}
	dst = appendString(dst, t.Value)
	switch {
	case t.Language != "":
		dst = append(dst, '@')
		dst = append(dst, t.Language...)
	case t.Datatype != "" && t.Datatype != XSDString:
		// "Literals with the datatype http://www.w3.org/2001/XMLSchema#string MUST NOT use
		// the datatype IRI part of the literal" (RDFC-1.0 § A).
		dst = append(dst, '^', '^')
		dst = appendIRI(dst, t.Datatype)
	}
	return dst
}

// appendIRI writes a validated IRI, which holds no character that IRIREF must escape.
func appendIRI(dst []byte, iri string) []byte {
	dst = append(dst, '<')
	dst = append(dst, iri...)
	return append(dst, '>')
}

const upperHex = "0123456789ABCDEF"

// appendString writes s as a STRING_LITERAL_QUOTE under the rules of RDFC-1.0 § A:
//
//	"Characters BS, HT, LF, FF, CR, " and \ MUST be encoded using ECHAR.
//	Characters in the range from U+0000 to U+0007, VT, characters in the range from U+000E
//	to U+001F, DEL, and characters not matching the Char production from [XML11] MUST be
//	represented by UCHAR using a lowercase \u with 4 HEXes. All characters not required to
//	be represented by ECHAR or UCHAR MUST be represented by their native representation."
//
// XML 1.1 Char is [#x1-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]; of what valid UTF-8
// can hold it excludes only U+0000 (handled above) and U+FFFE, U+FFFF.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c != 0x7F && c != 0xEF {
			continue
		}
		if c == 0xEF && !(i+2 < len(s) && s[i+1] == 0xBF && (s[i+2] == 0xBE || s[i+2] == 0xBF)) {
			continue
		}
		dst = append(dst, s[start:i]...)
		if c == 0xEF { // U+FFFE or U+FFFF
			dst = append(dst, `\uFFF`...)
			dst = append(dst, upperHex[s[i+2]-0xB0])
			i += 2
		} else {
			dst = appendEscapedByte(dst, c)
		}
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

func appendEscapedByte(dst []byte, c byte) []byte {
	switch c {
	case '\b':
		return append(dst, '\\', 'b')
	case '\t':
		return append(dst, '\\', 't')
	case '\n':
		return append(dst, '\\', 'n')
	case '\f':
		return append(dst, '\\', 'f')
	case '\r':
		return append(dst, '\\', 'r')
	case '"', '\\':
		return append(dst, '\\', c)
	}
	return append(dst, '\\', 'u', '0', '0', upperHex[c>>4], upperHex[c&0xF])
}
