package scope

import "time"

// parsePeriod parses the ISO 8601 duration subset of the grammar: "P" then days and/or "T"
// with hours, minutes and seconds, each a number from 1 to 9999 ("PT1M", "P1D", "P1DT12H").
// Years, months and weeks are not accepted: their length varies. It is an xsd:dayTimeDuration.
func parsePeriod(s string) (time.Duration, bool) {
	if len(s) < 3 || s[0] != 'P' {
		return 0, false
	}
	rest := s[1:]
	var total time.Duration
	days, rest, ok := component(rest, 'D')
	if !ok {
		return 0, false
	}
	total += time.Duration(days) * 24 * time.Hour
	if rest == "" {
		return total, days > 0
	}
	if rest[0] != 'T' || len(rest) == 1 {
		return 0, false
	}
	rest = rest[1:]
	units := [...]struct {
		d byte
		u time.Duration
	}{{'H', time.Hour}, {'M', time.Minute}, {'S', time.Second}}
	found := false
	for _, u := range units {
		n, r, ok := component(rest, u.d)
		if !ok {
			return 0, false
		}
		found = found || n > 0
		total += time.Duration(n) * u.u
		rest = r
	}
	return total, rest == "" && found
}

// component reads an optional "nnnnX" (1 to 9999, no leading zero) with designator d. When
// s does not start with digits followed by d, the component is absent: it returns 0 and s
// unchanged, and the caller's check of what remains rejects stray input. ok is false for a
// present but malformed number.
func component(s string, d byte) (n int, rest string, ok bool) {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i == 0 || i == len(s) || s[i] != d {
		return 0, s, true
	}
	if i > 4 || s[0] == '0' {
		return 0, s, false
	}
	v, _ := digits(s[:i])
	return int(v), s[i+1:], true
}
