package vc

import (
	"encoding/json"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/kakunin-dev/kakunin/internal/jsonin"
)

// maxEncodeDepth bounds the nesting the hand encoder writes; deeper documents (and cyclic
// ones) are left to encoding/json.
const maxEncodeDepth = 64

// marshalDocument writes doc exactly as json.Marshal does, without reflection for the values
// that internal/jsonin decodes (objects, arrays, strings, json.Number, booleans, null). Any
// other value, an invalid number or invalid UTF-8 is handed to json.Marshal, whose output and
// errors are then the result.
func marshalDocument(doc map[string]any) ([]byte, error) {
	if out, ok := appendJSON(make([]byte, 0, 1024), doc, 0); ok {
		return out, nil
	}
	return json.Marshal(doc)
}

func appendJSON(dst []byte, v any, depth int) ([]byte, bool) {
	if depth > maxEncodeDepth {
		return nil, false
	}
	switch v := v.(type) {
	case nil:
		return append(dst, "null"...), true
	case bool:
		if v {
			return append(dst, "true"...), true
		}
		return append(dst, "false"...), true
	case string:
		return appendJSONString(dst, v)
	case json.Number:
		return appendJSONNumber(dst, v)
	case map[string]any:
		if v == nil {
			return nil, false
		}
		return appendJSONObject(dst, v, depth)
	case []any:
		if v == nil {
			return nil, false
		}
		dst = append(dst, '[')
		for i, e := range v {
			if i > 0 {
				dst = append(dst, ',')
			}
			var ok bool
			if dst, ok = appendJSON(dst, e, depth+1); !ok {
				return nil, false
			}
		}
		return append(dst, ']'), true
	}
	return nil, false
}

// appendJSONObject writes the members in the order of their names' bytes, as json.Marshal
// sorts map keys.
func appendJSONObject(dst []byte, m map[string]any, depth int) ([]byte, bool) {
	type member struct {
		name  string
		value any
	}
	var buf [16]member // most objects fit, and then sorting allocates nothing
	members := buf[:0]
	for k, v := range m {
		members = append(members, member{k, v})
	}
	slices.SortFunc(members, func(a, b member) int { return strings.Compare(a.name, b.name) })
	dst = append(dst, '{')
	for i := range members {
		if i > 0 {
			dst = append(dst, ',')
		}
		var ok bool
		if dst, ok = appendJSONString(dst, members[i].name); !ok {
			return nil, false
		}
		dst = append(dst, ':')
		if dst, ok = appendJSON(dst, members[i].value, depth+1); !ok {
			return nil, false
		}
	}
	return append(dst, '}'), true
}

// appendJSONNumber writes a valid literal as is and an empty one as 0, as json.Marshal does.
func appendJSONNumber(dst []byte, n json.Number) ([]byte, bool) {
	if n == "" {
		return append(dst, '0'), true
	}
	if !jsonin.ValidNumber(string(n)) {
		return nil, false
	}
	return append(dst, n...), true
}

// appendJSONString quotes s with json.Marshal's escapes: \" \\ \b \f \n \r \t, \u00XX for
// the other control characters, and \u003c, \u003e, \u0026, \u2028, \u2029 for <, >, &,
// U+2028 and U+2029. Invalid UTF-8, which json.Marshal replaces, is left to it.
func appendJSONString(dst []byte, s string) ([]byte, bool) {
	if !utf8.ValidString(s) {
		return nil, false
	}
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if verbatim[c] {
			continue
		}
		lineSep := c == 0xe2 && i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xa8 || s[i+2] == 0xa9)
		if c == 0xe2 && !lineSep {
			continue
		}
		dst = append(dst, s[start:i]...)
		dst = appendEscape(dst, s, i, lineSep)
		if lineSep {
			i += 2
		}
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"'), true
}

// verbatim marks the bytes appendJSONString copies as they are: all but '"', '\\', control
// characters, '<', '>', '&' and 0xE2, the lead byte of U+2028 and U+2029.
var verbatim = func() (t [256]bool) {
	for c := range t {
		t[c] = c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' && c != 0xe2
	}
	return t
}()

// appendEscape writes the escape of the byte at s[i], or of U+2028 or U+2029 there.
func appendEscape(dst []byte, s string, i int, lineSep bool) []byte {
	const hex = "0123456789abcdef"
	if lineSep {
		return append(dst, '\\', 'u', '2', '0', '2', hex[s[i+2]&0xf])
	}
	switch c := s[i]; c {
	case '"', '\\':
		return append(dst, '\\', c)
	case '\b':
		return append(dst, '\\', 'b')
	case '\f':
		return append(dst, '\\', 'f')
	case '\n':
		return append(dst, '\\', 'n')
	case '\r':
		return append(dst, '\\', 'r')
	case '\t':
		return append(dst, '\\', 't')
	default: // other control characters, <, > and &
		return append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
	}
}
