package did

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// NegotiateRepresentation picks the DID document representation for an Accept value
// (the accept resolution option or an HTTP Accept header, RFC 9110 § 12.5.1): the
// supported media type with the highest q, earlier entries winning ties. An empty
// value, "*/*" and "application/*" give MediaTypeDIDLDJSON, the representation DID
// 1.0 consumers and Data Integrity verifiers read. Nothing acceptable wraps
// ErrRepresentationNotSupported.
func NegotiateRepresentation(accept string) (string, error) {
	if strings.TrimSpace(accept) == "" {
		return MediaTypeDIDLDJSON, nil
	}
	type choice struct {
		mediaType string
		q         float64
	}
	var choices []choice
	for part := range strings.SplitSeq(accept, ",") {
		fields := strings.Split(part, ";")
		mt := strings.ToLower(strings.TrimSpace(fields[0]))
		q := 1.0
		for _, p := range fields[1:] {
			k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.EqualFold(k, "q") {
				if f, err := strconv.ParseFloat(v, 64); err == nil && f >= 0 && f <= 1 {
					q = f
				}
			}
		}
		switch mt {
		case "*/*", "application/*":
			mt = MediaTypeDIDLDJSON
		case MediaTypeDID, MediaTypeDIDJSON, MediaTypeDIDLDJSON:
		default:
			continue
		}
		if q > 0 {
			choices = append(choices, choice{mt, q})
		}
	}
	if len(choices) == 0 {
		return "", fmt.Errorf("%w: %q", ErrRepresentationNotSupported, truncate(accept))
	}
	slices.SortStableFunc(choices, func(a, b choice) int { return cmp.Compare(b.q, a.q) })
	return choices[0].mediaType, nil
}
