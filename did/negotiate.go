package did

import (
	"fmt"
	"strings"

	"github.com/kakunin-dev/kakunin/internal/accept"
)

// NegotiateRepresentation picks the DID document representation for an Accept value
// (the accept resolution option or an HTTP Accept header, RFC 9110 § 12.5.1). Each
// representation takes the q of the most specific range that names it (its media
// type, else "application/*", else "*/*"); the highest q wins, ranges naming a
// type before wildcards and earlier entries before later ones on ties. Among
// representations only a wildcard reaches, MediaTypeDID comes first: the media
// type of DID 1.1 (a JSON-LD document with the v1.1 @context, which Data
// Integrity verifiers read), as the W3C DID Resolution examples and the Universal
// Resolver use; it is also the answer to an empty value. Nothing acceptable wraps
// ErrRepresentationNotSupported.
func NegotiateRepresentation(value string) (string, error) {
	if strings.TrimSpace(value) == "" {
		return MediaTypeDID, nil
	}
	ranges := acceptRanges(accept.Parse(value))
	best, bestRank := "", rank{}
	for i, mt := range representations {
		r := ranges.rankOf(mt, i)
		if r.q > 0 && (best == "" || r.before(bestRank)) {
			best, bestRank = mt, r
		}
	}
	if best == "" {
		return "", fmt.Errorf("%w: %q", ErrRepresentationNotSupported, truncate(value))
	}
	return best, nil
}

// representations are the DID document media types, in the order a wildcard
// reaches them.
var representations = []string{MediaTypeDID, MediaTypeDIDLDJSON, MediaTypeDIDJSON}

// acceptRanges are the ranges of an Accept value.
type acceptRanges []accept.Range

// rank orders the representations an Accept value reaches.
type rank struct {
	q          float64
	wildcard   bool // reached by application/* or */* only
	pos, order int  // position of the range in the value; of the type in representations
}

func (a rank) before(b rank) bool {
	switch {
	case a.q != b.q:
		return a.q > b.q
	case a.wildcard != b.wildcard:
		return !a.wildcard
	case a.pos != b.pos:
		return a.pos < b.pos
	}
	return a.order < b.order
}

// rankOf returns the rank of mediaType, the order-th representation: the q of the
// most specific range that names it, and of the first such range when several do;
// q 0 when none does.
func (rs acceptRanges) rankOf(mediaType string, order int) rank {
	best := rank{order: order}
	specificity := 0
	for i, r := range rs {
		s := 0
		switch r.MediaType {
		case mediaType:
			s = 3
		case "application/*":
			s = 2
		case "*/*":
			s = 1
		}
		if s > specificity {
			specificity = s
			best = rank{q: r.Q, wildcard: s < 3, pos: i, order: order}
		}
	}
	return best
}
