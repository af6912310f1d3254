package jsonin

import "unicode/utf8"

// invalidUTF8Offset returns the offset of the first invalid UTF-8 sequence in b, or -1.
func invalidUTF8Offset(b []byte) int64 {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return int64(i)
		}
		i += n
	}
	return -1
}

// loneSurrogateAt reports whether the input at off is a \u escape of a surrogate code point,
// which is where jsontext stops when a surrogate escape is not part of a valid pair.
func loneSurrogateAt(b []byte, off int64) bool {
	if off < 0 || off+6 > int64(len(b)) {
		return false
	}
	esc := b[off : off+6]
	if esc[0] != '\\' || esc[1] != 'u' || (esc[2] != 'd' && esc[2] != 'D') {
		return false
	}
	switch esc[3] {
	case '8', '9', 'a', 'b', 'c', 'd', 'e', 'f', 'A', 'B', 'C', 'D', 'E', 'F':
		return true
	}
	return false
}

// firstNoncharacter finds the first Unicode noncharacter in s: U+FDD0..U+FDEF and the last two
// code points of every plane. RFC 7493 §2.1: "Object member names, and string values in arrays
// and object members, MUST NOT include code points that identify Surrogates or Noncharacters".
func firstNoncharacter(s []byte) (rune, bool) {
	for i := 0; i < len(s); {
		if s[i] < 0xEF { // every noncharacter encodes with a lead byte of 0xEF or above
			i++
			continue
		}
		r, n := utf8.DecodeRune(s[i:])
		if isNoncharacter(r) {
			return r, true
		}
		i += n
	}
	return 0, false
}

func isNoncharacter(r rune) bool {
	return (r >= 0xFDD0 && r <= 0xFDEF) || r&0xFFFE == 0xFFFE
}
