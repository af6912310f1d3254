package resolverhttp

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kakunin-dev/kakunin/did"
)

// Media types of results.
const (
	MediaTypeResolution    = "application/did-resolution"
	MediaTypeDereferencing = "application/did-url-dereferencing"
	// The legacy forms that the Universal Resolver still accepts and sends.
	LegacyMediaTypeResolution    = `application/ld+json;profile="https://w3id.org/did-resolution"`
	LegacyMediaTypeDereferencing = `application/ld+json;profile="https://w3id.org/did-url-dereferencing"`

	profileResolution    = "https://w3id.org/did-resolution"
	profileDereferencing = "https://w3id.org/did-url-dereferencing"
	// legacyContext is the @context the legacy result media types carry.
	legacyContext = "https://w3id.org/did-resolution/v1"
)

// choice is what an Accept header asks for.
type choice struct {
	full   bool   // the whole result
	deref  bool   // the whole dereferencing result, even for a plain DID
	legacy bool   // as the legacy application/ld+json profile
	rep    string // DID document representation, when a document is wanted
	ctype  string // Content-Type of the document (application/ld+json, application/json or rep)
	other  string // another media type, passed to dereferencing as its accept option
}

type acceptEntry struct {
	mt, profile string
	q           float64
}

// negotiate reads an Accept header (RFC 9110 § 12.5.1): the entry with the highest q
// that this binding can produce wins, earlier entries winning ties. For a DID, no
// Accept, "*/*" and "application/*" give the full result, as the Universal Resolver
// does. For a DID URL they give the content itself (a service selection then answers
// 303, as § 12.1 prescribes for text/uri-list content), the full result needing
// application/did-url-dereferencing; other media types are passed on to
// dereferencing. Nothing acceptable wraps did.ErrRepresentationNotSupported.
func negotiate(accept string, dereference bool) (choice, error) {
	if strings.TrimSpace(accept) == "" {
		return choice{full: !dereference}, nil
	}
	// One pass, no allocation: the acceptable entry of highest q, the earliest on ties.
	var best choice
	bestQ := 0.0
	for part := range strings.SplitSeq(accept, ",") {
		e, ok := parseAcceptEntry(part)
		if !ok || e.q <= bestQ {
			continue
		}
		if c, ok := choose(e, dereference); ok {
			best, bestQ = c, e.q
		}
	}
	if bestQ > 0 {
		return best, nil
	}
	return choice{full: true}, fmt.Errorf("%w: %q", did.ErrRepresentationNotSupported, truncate(accept))
}

func choose(e acceptEntry, dereference bool) (choice, bool) {
	switch e.mt {
	case MediaTypeResolution:
		return choice{full: true}, true
	case MediaTypeDereferencing:
		return choice{full: true, deref: true}, true
	case "*/*", "application/*":
		return choice{full: !dereference}, true
	case "application/ld+json":
		switch e.profile {
		case profileResolution:
			return choice{full: true, legacy: true}, true
		case profileDereferencing:
			return choice{full: true, legacy: true, deref: true}, true
		case "":
			return choice{rep: did.MediaTypeDIDLDJSON, ctype: e.mt}, true
		}
		return choice{}, false
	case "application/json":
		return choice{rep: did.MediaTypeDID, ctype: e.mt}, true
	case did.MediaTypeDID, did.MediaTypeDIDJSON, did.MediaTypeDIDLDJSON:
		return choice{rep: e.mt, ctype: e.mt}, true
	}
	if dereference && strings.Count(e.mt, "/") == 1 {
		return choice{other: e.mt}, true
	}
	return choice{}, false
}

// parseAcceptEntry reads one element of an Accept list: the media type, q and the
// profile parameter. It reports false for an empty media type or q = 0.
func parseAcceptEntry(part string) (acceptEntry, bool) {
	mt, params, _ := strings.Cut(part, ";")
	e := acceptEntry{mt: strings.ToLower(strings.TrimSpace(mt)), q: 1}
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		v = strings.Trim(strings.TrimSpace(v), `"`)
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "q":
			if f, err := strconv.ParseFloat(v, 64); err == nil && f >= 0 && f <= 1 {
				e.q = f
			}
		case "profile":
			e.profile = v
		}
	}
	return e, e.q > 0 && e.mt != ""
}

func truncate(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}
