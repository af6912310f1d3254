// Package accept reads HTTP Accept values (RFC 9110 § 12.5.1) into their media ranges
// and weights, for the packages that negotiate a representation.
package accept

import (
	"strconv"
	"strings"
)

// Range is one element of an Accept value.
type Range struct {
	MediaType string  // lower case, without parameters: "application/did", "application/*", "*/*"
	Q         float64 // the weight, 1 when absent or not a number in [0, 1]
}

// Parse returns the ranges of an Accept value in their order, empty elements included
// as ranges with an empty MediaType.
func Parse(accept string) []Range {
	var out []Range
	for part := range strings.SplitSeq(accept, ",") {
		fields := strings.Split(part, ";")
		r := Range{MediaType: strings.ToLower(strings.TrimSpace(fields[0])), Q: 1}
		for _, p := range fields[1:] {
			k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.EqualFold(k, "q") {
				if f, err := strconv.ParseFloat(v, 64); err == nil && f >= 0 && f <= 1 {
					r.Q = f
				}
			}
		}
		out = append(out, r)
	}
	return out
}
