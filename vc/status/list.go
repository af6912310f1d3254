package status

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/kakunin-dev/kakunin/vc"
)

// ListParams describe a BitstringStatusListCredential for [NewListCredential].
type ListParams struct {
	// ID is the URL at which the list credential is served: the statusListCredential of its
	// entries (§2.2: the list "MAY express an id property that matches the value specified in
	// statusListCredential"). Required.
	ID string
	// Issuer is the issuer URL, usually the DID whose key signs the list. Required.
	Issuer string
	// Purposes are the list's statusPurpose values; at least one.
	Purposes []Purpose
	// ValidFrom is required; ValidUntil is optional (zero: absent). Both are written in UTC
	// with whole seconds, truncated.
	ValidFrom, ValidUntil time.Time
	// TTL is the credentialSubject.ttl, written in milliseconds; zero leaves it out.
	TTL time.Duration
	// SubjectID is the credentialSubject id; empty means ID + "#list", as in §2.2 Example 3.
	SubjectID string
}

// NewListCredential builds the unsigned BitstringStatusListCredential for bits (§3.1, Generate
// Algorithm; the encodedList is [Bitstring.Encode]). The issuer signs the result's
// [vc.Credential.Document] and publishes it at p.ID. It fails with an [*Error] of type
// MalformedValueError naming the bad parameter, or with the [*vc.Error] of a document that is
// not a conforming credential.
func NewListCredential(p ListParams, bits *Bitstring) (*vc.Credential, error) {
	if err := p.check(bits); err != nil {
		return nil, err
	}
	subject := map[string]any{
		"id":            p.subjectID(),
		"type":          ListType,
		"statusPurpose": purposeValue(p.Purposes),
		"encodedList":   bits.Encode(),
	}
	if p.TTL > 0 {
		subject["ttl"] = max(p.TTL.Milliseconds(), 1)
	}
	doc := map[string]any{
		"@context":          []any{vc.ContextV2},
		"id":                p.ID,
		"type":              []any{"VerifiableCredential", ListCredentialType},
		"issuer":            p.Issuer,
		"validFrom":         formatTime(p.ValidFrom),
		"credentialSubject": subject,
	}
	if !p.ValidUntil.IsZero() {
		doc["validUntil"] = formatTime(p.ValidUntil)
	}
	data, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("status: encoding the list credential: %w", err)
	}
	return vc.ParseCredential(data, vc.ParseOptions{MaxBytes: int64(len(data)), RejectV1: true})
}

func (p ListParams) check(bits *Bitstring) error {
	switch {
	case bits == nil:
		return malformedAt("/credentialSubject/encodedList", "a bitstring is required")
	case !isURL(p.ID):
		return malformedAt("/id", "the list credential id must be a URL")
	case !isURL(p.Issuer):
		return malformedAt("/issuer", "the issuer must be a URL")
	case len(p.Purposes) == 0 || slices.Contains(p.Purposes, ""):
		return malformedAt("/credentialSubject/statusPurpose", "at least one non-empty statusPurpose is required")
	case p.ValidFrom.IsZero():
		return malformedAt("/validFrom", "validFrom is required")
	case !p.ValidUntil.IsZero() && p.ValidUntil.Before(p.ValidFrom):
		return malformedAt("/validUntil", "validUntil is earlier than validFrom")
	case p.TTL < 0:
		return malformedAt("/credentialSubject/ttl", "ttl must not be negative")
	case p.SubjectID != "" && !isURL(p.SubjectID):
		return malformedAt("/credentialSubject/id", "the subject id must be a URL")
	}
	return nil
}

func (p ListParams) subjectID() string {
	if p.SubjectID != "" {
		return p.SubjectID
	}
	return p.ID + "#list"
}

func purposeValue(ps []Purpose) any {
	if len(ps) == 1 {
		return string(ps[0])
	}
	out := make([]any, len(ps))
	for i, p := range ps {
		out[i] = string(p)
	}
	return out
}

func formatTime(t time.Time) string { return t.UTC().Truncate(time.Second).Format(time.RFC3339) }
