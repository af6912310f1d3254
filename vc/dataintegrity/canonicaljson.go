package dataintegrity

import (
	"errors"
	"slices"
	"unicode/utf8"

	"github.com/kakunin-dev/kakunin/jcs"
)

// maxJSONDepth bounds the nesting appendJCS walks.
const maxJSONDepth = 128

var errJSONValue = errors.New("value cannot be serialized as I-JSON")

// marshalJCS returns the RFC 8785 (JCS) canonical form of a decoded JSON value
// (maps, slices, strings, numbers, bools, nil). It gives the bytes jcs.Marshal
// gives, without encoding the value and parsing it back; numbers and values of
// other Go types are handed to jcs.Marshal.
func marshalJCS(v any) ([]byte, error) {
	return appendJCS(make([]byte, 0, 1024), v, 0)
}

func appendJCS(dst []byte, v any, depth int) ([]byte, error) {
	if depth > maxJSONDepth {
		return nil, errJSONValue
	}
	switch v := v.(type) {
	case nil:
		return append(dst, "null"...), nil
	case bool:
		if v {
			return append(dst, "true"...), nil
		}
		return append(dst, "false"...), nil
	case string:
		return appendJCSString(dst, v)
	case map[string]any:
		return appendJCSObject(dst, v, depth)
	case []any:
		dst = append(dst, '[')
		for i, e := range v {
			if i > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = appendJCS(dst, e, depth+1); err != nil {
				return nil, err
			}
		}
		return append(dst, ']'), nil
	}
	// Numbers (json.Number, float64, integers) and other Go values: RFC 8785
	// § 3.2.2.3 serializes numbers as ECMAScript does; jcs implements it.
	b, err := jcs.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(dst, b...), nil
}

// appendJCSObject writes the members sorted as RFC 8785 § 3.2.3 requires:
// "Property name strings to be sorted are formatted as arrays of UTF-16
// code units".
func appendJCSObject(dst []byte, m map[string]any, depth int) ([]byte, error) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, compareUTF16)
	dst = append(dst, '{')
	for i, k := range keys {
		if i > 0 {
			dst = append(dst, ',')
		}
		var err error
		if dst, err = appendJCSString(dst, k); err != nil {
			return nil, err
		}
		dst = append(dst, ':')
		if dst, err = appendJCS(dst, m[k], depth+1); err != nil {
			return nil, err
		}
	}
	return append(dst, '}'), nil
}

// compareUTF16 orders strings by their UTF-16 code units. UTF-8 byte order is
// code point order, which differs from UTF-16 order only where a
// supplementary character (a surrogate pair, 0xD800-0xDBFF first) meets a
// character in U+E000-U+FFFF, so the first differing runes decide.
func compareUTF16(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			if ua, ub := firstUnit(ra), firstUnit(rb); ua != ub {
				return int(ua - ub)
			}
			return int(ra - rb) // same high surrogate: the low ones decide
		}
		a, b = a[na:], b[nb:]
	}
	return len(a) - len(b)
}

// firstUnit is the first UTF-16 code unit of r.
func firstUnit(r rune) rune {
	if r >= 0x10000 {
		return 0xD800 + (r-0x10000)>>10
	}
	return r
}

// appendJCSString writes s as RFC 8785 § 3.2.2.2 requires: only '"', '\\'
// and control characters are escaped, with the short forms \b \t \n \f \r
// and lowercase \u00xx otherwise.
func appendJCSString(dst []byte, s string) ([]byte, error) {
	if !utf8.ValidString(s) {
		return nil, errJSONValue
	}
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		// Bytes of multi-byte UTF-8 sequences are all >= 0x80: no escaping.
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' {
			dst = appendEscape(append(dst, s[start:i]...), c)
			start = i + 1
		}
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"'), nil
}

func appendEscape(dst []byte, c byte) []byte {
	const hexDigits = "0123456789abcdef"
	switch c {
	case '"', '\\':
		return append(dst, '\\', c)
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
	}
	return append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
}
