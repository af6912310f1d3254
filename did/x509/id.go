package x509

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/kakunin-dev/kakunin/did"
)

// ID is a parsed did:x509 identifier (method version 0):
//
//	did:x509:0:<ca-fingerprint-alg>:<ca-fingerprint>::<predicate-name>:<predicate-value>...
type ID struct {
	DID         did.DID
	Algorithm   string // "sha256", "sha384" or "sha512"
	Fingerprint string // base64url, as written
	Predicates  []Predicate
}

// Predicate is one "::name:value" part; Value is as written (percent-encoded).
type Predicate struct{ Name, Value string }

// Predicate names.
const (
	PredicateSubject      = "subject"
	PredicateSAN          = "san"
	PredicateEKU          = "eku"
	PredicateFulcioIssuer = "fulcio-issuer"
)

var (
	base64url   = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
	oidPattern  = regexp.MustCompile(`^[0-9]+(\.[0-9]+)*$`)
	subjectKeys = map[string]bool{"CN": true, "L": true, "ST": true, "O": true, "OU": true, "C": true, "STREET": true}
)

// ParseID parses a did:x509 DID, or a DID URL whose fragment is ignored (the spec
// keeps fragments for resources of the document; a path or a query is an error).
// Errors wrap did.ErrInvalidDID (or did.ErrMethodNotSupported for another method)
// and one of this package's syntax errors.
func ParseID(s string) (ID, error) {
	u, err := did.ParseURL(s)
	if err != nil {
		return ID{}, fmt.Errorf("%w: %w", did.ErrInvalidDID, err)
	}
	switch {
	case u.DID.Method != "x509":
		return ID{}, fmt.Errorf("%w: %w: did:%s", did.ErrMethodNotSupported, ErrInvalidPrefix, u.DID.Method)
	case u.Path != "":
		return ID{}, invalid(ErrPathNotSupported, "")
	case u.Query != "" || u.ForceQuery:
		return ID{}, invalid(ErrQueryNotSupported, "")
	}
	id := ID{DID: u.DID}
	version, rest, _ := strings.Cut(u.DID.ID, ":")
	if version != "0" {
		return ID{}, invalid(ErrInvalidPrefix, "version %q", version)
	}
	parts := strings.Split(rest, "::")
	var ok bool
	if id.Algorithm, id.Fingerprint, ok = strings.Cut(parts[0], ":"); !ok || !base64url.MatchString(id.Fingerprint) {
		return ID{}, invalid(ErrPredicateSyntax, "CA fingerprint %q", truncate(parts[0]))
	}
	if _, err := hashFor(id.Algorithm); err != nil {
		return ID{}, err
	}
	if len(parts) == 1 {
		return ID{}, invalid(ErrNoPredicate, "")
	}
	for _, p := range parts[1:] {
		pred, err := parsePredicate(p)
		if err != nil {
			return ID{}, err
		}
		id.Predicates = append(id.Predicates, pred)
	}
	return id, nil
}

func invalid(err error, format string, args ...any) error {
	if format == "" {
		return fmt.Errorf("%w: %w", did.ErrInvalidDID, err)
	}
	return fmt.Errorf("%w: %w: %s", did.ErrInvalidDID, err, fmt.Sprintf(format, args...))
}

func parsePredicate(p string) (Predicate, error) {
	name, value, ok := strings.Cut(p, ":")
	if !ok || value == "" {
		if name != PredicateSubject && name != PredicateSAN && name != PredicateEKU && name != PredicateFulcioIssuer {
			return Predicate{}, invalid(ErrUnknownPredicate, "%q", truncate(name))
		}
		return Predicate{}, invalid(ErrPredicateSyntax, "%s predicate without a value", name)
	}
	pred := Predicate{Name: name, Value: value}
	var err error
	switch name {
	case PredicateSubject:
		_, err = subjectFields(value)
	case PredicateSAN:
		_, _, err = sanValue(value)
	case PredicateEKU:
		if !oidPattern.MatchString(value) {
			err = invalid(ErrPredicateSyntax, "eku %q is not an OID", truncate(value))
		}
	case PredicateFulcioIssuer:
		if strings.Contains(value, ":") {
			err = invalid(ErrPredicateSyntax, "fulcio-issuer %q contains \":\"", truncate(value))
		}
	default:
		err = invalid(ErrUnknownPredicate, "%q", truncate(name))
	}
	return pred, err
}

// subjectFields reads "key:value(:key:value)*" with keys the RFC 4514 labels of the
// spec or dotted OIDs, each once, values percent-decoded.
func subjectFields(v string) (map[string]string, error) {
	items := strings.Split(v, ":")
	if len(items)%2 != 0 {
		return nil, invalid(ErrPredicateSyntax, "subject predicate requires key-value pairs")
	}
	out := make(map[string]string, len(items)/2)
	for i := 0; i < len(items); i += 2 {
		k := items[i]
		if !subjectKeys[k] && !oidPattern.MatchString(k) {
			return nil, invalid(ErrPredicateSyntax, "subject predicate contains an unknown key %q", truncate(k))
		}
		if _, dup := out[k]; dup {
			return nil, invalid(ErrPredicateSyntax, "subject predicate contains duplicate fields")
		}
		val, err := url.PathUnescape(items[i+1])
		if err != nil {
			return nil, invalid(ErrPredicateSyntax, "subject value %q", truncate(items[i+1]))
		}
		out[k] = val
	}
	return out, nil
}

// sanValue reads "type:value" with type email, dns or uri and a percent-encoded value.
func sanValue(v string) (typ, value string, err error) {
	parts := strings.Split(v, ":")
	if len(parts) != 2 {
		return "", "", invalid(ErrPredicateSyntax, "SAN predicate requires exactly one type and value")
	}
	switch parts[0] {
	case "email", "dns", "uri":
	default:
		return "", "", invalid(ErrPredicateSyntax, "SAN type %q", truncate(parts[0]))
	}
	value, err = url.PathUnescape(parts[1])
	if err != nil {
		return "", "", invalid(ErrPredicateSyntax, "SAN value %q", truncate(parts[1]))
	}
	return parts[0], value, nil
}

func truncate(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}
