package jcs

import (
	"bytes"
	"cmp"
	"slices"
	"unicode/utf8"
)

// sortMembers orders members as RFC 8785 section 3.2.3 requires: "property
// name strings to be sorted are formatted as arrays of UTF-16 code units. The
// sorting is based on pure value comparisons, where code units are treated as
// unsigned integers, independent of locale settings". Equal neighbours after
// sorting are duplicate names, which I-JSON forbids; the offset of the later
// one is returned, or -1.
func sortMembers(ms []member) (duplicateAt int) {
	slices.SortStableFunc(ms, func(a, b member) int { return compareUTF16(a.name, b.name) })
	for i := 1; i < len(ms); i++ {
		if bytes.Equal(ms[i].name, ms[i-1].name) {
			return max(ms[i].offset, ms[i-1].offset)
		}
	}
	return -1
}

// compareUTF16 compares two valid UTF-8 byte strings by their UTF-16 code units.
// UTF-8 byte order is code point order, which differs from UTF-16 order only
// where a code point of U+E000..U+FFFF meets one above U+FFFF: the latter
// starts with a surrogate (U+D800..U+DBFF) and so sorts first in UTF-16.
func compareUTF16[T string | []byte](a, b T) int {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	if i == len(a) || i == len(b) {
		return len(a) - len(b)
	}
	for i > 0 && !utf8.RuneStart(a[i]) { // back to the start of the differing code points
		i--
	}
	ra, rb := firstRune(a[i:]), firstRune(b[i:])
	if ua, ub := firstUnit(ra), firstUnit(rb); ua != ub {
		return cmp.Compare(ua, ub)
	}
	// Both are above U+FFFF with the same high surrogate; low surrogates
	// follow code point order.
	return cmp.Compare(ra, rb)
}

// firstRune decodes the first code point of s (ranging over the conversion does
// not copy a byte slice).
func firstRune[T string | []byte](s T) rune {
	for _, r := range string(s) {
		return r
	}
	return utf8.RuneError
}

// firstUnit returns the first UTF-16 code unit of r.
func firstUnit(r rune) rune {
	if r < 0x10000 {
		return r
	}
	return 0xd800 + (r-0x10000)>>10
}
