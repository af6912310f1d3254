package scope

import "strings"

// Amount is a sum of money: a decimal string and an ISO 4217 alphabetic currency code. Values
// are compared exactly, never through floating point.
type Amount struct {
	Value    string // "250.00": up to 18 integer and 18 fraction digits, no sign or exponent
	Currency string // "EUR": three upper-case letters
}

// IsZero reports whether a is the zero Amount (no value and no currency): "not given".
func (a Amount) IsZero() bool { return a.Value == "" && a.Currency == "" }

// decimal is an exact non-negative decimal: whole + frac·10⁻¹⁸.
type decimal struct{ whole, frac uint64 }

const (
	maxDigits = 18
	fracScale = 1_000_000_000_000_000_000 // 10^18
)

// parseDecimal parses the value grammar ("0" / nonzero-digit *17DIGIT, then optionally "." and
// 1 to 18 digits) without allocating.
func parseDecimal(s string) (decimal, bool) {
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" || len(whole) > maxDigits || whole[0] == '0' && len(whole) > 1 {
		return decimal{}, false
	}
	if hasFrac && (frac == "" || len(frac) > maxDigits) {
		return decimal{}, false
	}
	w, ok := digits(whole)
	if !ok {
		return decimal{}, false
	}
	f, ok := digits(frac)
	if !ok {
		return decimal{}, false
	}
	for range maxDigits - len(frac) {
		f *= 10
	}
	return decimal{whole: w, frac: f}, true
}

func digits(s string) (uint64, bool) {
	var n uint64
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0, false
		}
		n = n*10 + uint64(s[i]-'0')
	}
	return n, true
}

// cmp returns -1, 0 or +1 as d is less than, equal to or greater than e.
func (d decimal) cmp(e decimal) int {
	switch {
	case d.whole != e.whole:
		return cmpUint(d.whole, e.whole)
	default:
		return cmpUint(d.frac, e.frac)
	}
}

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// add returns d+e. Both wholes are below 10^18, so the sum cannot overflow.
func (d decimal) add(e decimal) decimal {
	s := decimal{whole: d.whole + e.whole, frac: d.frac + e.frac}
	if s.frac >= fracScale {
		s.whole++
		s.frac -= fracScale
	}
	return s
}

// validCurrency checks the ISO 4217 alphabetic form: three upper-case letters. Membership in
// the ISO list is not checked, so that codes used for crypto-assets can be named.
func validCurrency(c string) bool {
	return len(c) == 3 && isUpper(c[0]) && isUpper(c[1]) && isUpper(c[2])
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
