package status

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/kakunin-dev/kakunin/vc"
)

// List is a parsed BitstringStatusListCredential.
type List struct {
	Credential *vc.Credential // the whole list credential, for its id, issuer and validity period
	Purposes   []Purpose      // credentialSubject.statusPurpose, one or more
	Bits       *Bitstring     // the expanded encodedList
	// TTL is credentialSubject.ttl, "the 'time to live' in milliseconds before a refresh SHOULD
	// be attempted"; HasTTL is false when it is absent ("no default value is assumed").
	TTL    time.Duration
	HasTTL bool

	proofExpires time.Time // Verified.Expires: zero, or when a proof stops vouching for the list
}

// until is when the list stops being usable without a new verification: the earlier of its
// validUntil and the expiry of its proofs.
func (l *List) until() (time.Time, bool) {
	until, ok := l.Credential.ValidUntil()
	if !l.proofExpires.IsZero() && (!ok || l.proofExpires.Before(until)) {
		return l.proofExpires, true
	}
	return until, ok
}

// HasPurpose reports whether p is one of the list's purposes (§3.2: "The statusListCredential
// might contain multiple status purposes in a single list").
func (l *List) HasPurpose(p Purpose) bool { return slices.Contains(l.Purposes, p) }

// ParseList reads a credential, whose proofs the caller has verified, as a
// BitstringStatusListCredential (§2.2) and expands its list with [Decode] under opts. It fails
// with an [*Error] whose Path points into the list credential: of type MalformedValueError when
// a member breaks a MUST of §2.2, or the errors of Decode.
func ParseList(c *vc.Credential, opts DecodeOptions) (*List, error) {
	if c.Version() != vc.Version20 {
		// §2.2: "it MUST be a conforming document, as defined in [VC-DATA-MODEL-2.0]".
		return nil, malformedAt("/@context", "a status list credential must be a Data Model 2.0 credential")
	}
	if !c.HasType(ListCredentialType) {
		return nil, malformedAt("/type", "a status list credential's type must include BitstringStatusListCredential")
	}
	subjects := c.Subjects()
	if len(subjects) != 1 {
		return nil, malformedAt("/credentialSubject", "a status list credential has one credentialSubject")
	}
	path := "/credentialSubject"
	if _, isArray := mustGet(c, "credentialSubject").([]any); isArray {
		path += "/0"
	}
	l := &List{Credential: c}
	if err := l.readSubject(subjects[0], opts); err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.Path = path + e.Path
		}
		return nil, err
	}
	return l, nil
}

func (l *List) readSubject(s map[string]any, opts DecodeOptions) error {
	if s["type"] != ListType && !isSingle(s["type"], ListType) {
		return malformedAt("/type", "the credential subject's type must be BitstringStatusList")
	}
	var err error
	if l.Purposes, err = purposes(s["statusPurpose"]); err != nil {
		return err
	}
	if l.TTL, l.HasTTL, err = ttl(s); err != nil {
		return err
	}
	encoded, ok := s["encodedList"].(string)
	if !ok {
		return malformedAt("/encodedList", "encodedList must be a string")
	}
	l.Bits, err = Decode(encoded, opts)
	var e *Error
	if errors.As(err, &e) {
		e.Path = "/encodedList"
	}
	return err
}

// purposes: §2.2 "The value of the purpose property of the status entry, statusPurpose, MUST be
// one or more strings."
func purposes(v any) ([]Purpose, error) {
	if s, ok := v.(string); ok && s != "" {
		return []Purpose{Purpose(s)}, nil
	}
	items, ok := v.([]any)
	if !ok || len(items) == 0 {
		return nil, malformedAt("/statusPurpose", "statusPurpose must be one or more strings")
	}
	out := make([]Purpose, len(items))
	for i, item := range items {
		s, ok := item.(string)
		if !ok || s == "" {
			return nil, malformedAt(fmt.Sprintf("/statusPurpose/%d", i), "statusPurpose must be a non-empty string")
		}
		out[i] = Purpose(s)
	}
	return out, nil
}

// ttl reads the optional time to live, a non-negative integer number of milliseconds, capped
// at 100 years so that the Duration cannot overflow.
func ttl(s map[string]any) (time.Duration, bool, error) {
	v, ok := s["ttl"]
	if !ok {
		return 0, false, nil
	}
	ms, ok := integer(v)
	if !ok || ms < 0 {
		return 0, false, malformedAt("/ttl", "ttl must be a non-negative integer number of milliseconds")
	}
	const maxMS = 100 * 365 * 24 * int64(time.Hour/time.Millisecond)
	return time.Duration(min(ms, maxMS)) * time.Millisecond, true, nil
}

func mustGet(c *vc.Credential, name string) any {
	v, _ := c.Get(name)
	return v
}
