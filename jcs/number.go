package jcs

import "strconv"

// appendNumber serializes a finite double as ECMAScript's Number::toString
// (ECMA-262, section "Number::toString", radix 10), which RFC 8785 section
// 3.2.2.3 adopts. The caller guarantees that f is finite.
//
// ECMA-262 takes integers n, k and s such that k >= 1, 10^(k-1) <= s < 10^k,
// s × 10^(n-k) is x, and k is as small as possible. Go's shortest formatting
// ('e', precision -1) yields exactly those k digits of s, and the exponent
// n-1; the rules below then choose between integer, fixed and exponential
// notation.
func appendNumber(dst []byte, f float64) []byte {
	if f == 0 {
		return append(dst, '0') // ECMA-262 serializes both +0 and -0 as "0"
	}
	if f < 0 {
		dst = append(dst, '-')
		f = -f
	}
	var scratch, digitBuf [32]byte
	e := strconv.AppendFloat(scratch[:0], f, 'e', -1, 64) // d[.ddd]e±XX
	mant, exp := splitExponent(e)
	digits := digitBuf[:0]
	for _, c := range mant {
		if c != '.' {
			digits = append(digits, c)
		}
	}
	k, n := len(digits), exp+1
	switch {
	case k <= n && n <= 21: // integer: the digits, then n-k zeros
		dst = append(dst, digits...)
		for range n - k {
			dst = append(dst, '0')
		}
	case 0 < n && n <= 21: // fixed with the point inside the digits
		dst = append(dst, digits[:n]...)
		dst = append(dst, '.')
		dst = append(dst, digits[n:]...)
	case -6 < n && n <= 0: // fixed "0.", -n zeros, the digits
		dst = append(dst, '0', '.')
		for range -n {
			dst = append(dst, '0')
		}
		dst = append(dst, digits...)
	default: // exponential: d[.ddd]e±(n-1)
		dst = append(dst, digits[0])
		if k > 1 {
			dst = append(dst, '.')
			dst = append(dst, digits[1:]...)
		}
		dst = append(dst, 'e')
		if n-1 >= 0 {
			dst = append(dst, '+')
		}
		dst = strconv.AppendInt(dst, int64(n-1), 10)
	}
	return dst
}

// splitExponent splits strconv's 'e' format into mantissa and exponent.
func splitExponent(e []byte) ([]byte, int) {
	for i := len(e) - 1; i >= 0; i-- {
		if e[i] == 'e' {
			exp, _ := strconv.Atoi(string(e[i+1:])) // strconv wrote a valid exponent
			return e[:i], exp
		}
	}
	return e, 0
}
