package claims

import (
	"encoding/json"
	"maps"
	"slices"
	"time"

	"github.com/kakunin-dev/kakunin/spec"
	"github.com/kakunin-dev/kakunin/vc"
)

// Envelope returns the members every kakunin credential of type typ has: the VC 2.0 and
// kakunin contexts, both types, credentialSchema, the validity period and credentialSubject.
func Envelope(typ, schemaURL string, subject map[string]any, validFrom, validUntil time.Time) map[string]any {
	return map[string]any{
		"@context":          []any{vc.ContextV2, spec.ContextURL},
		"type":              []any{"VerifiableCredential", typ},
		"credentialSchema":  map[string]any{"id": schemaURL, "type": "JsonSchema"},
		"validFrom":         validFrom.UTC().Format(time.RFC3339),
		"validUntil":        validUntil.UTC().Format(time.RFC3339),
		"credentialSubject": subject,
	}
}

// CheckEnvelope checks what every kakunin credential of type typ requires outside its
// subject: the VC Data Model 2.0 context, the kakunin context, the type, validFrom and
// validUntil.
func CheckEnvelope(cred *vc.Credential, typ string) error {
	if cred.Version() != vc.Version20 {
		return Malformed("/@context/0", nil, "a %s uses the VC Data Model 2.0 context", typ)
	}
	if !slices.Contains(cred.Context(), any(spec.ContextURL)) {
		return Malformed("/@context", nil, "the kakunin context %s is required", spec.ContextURL)
	}
	if !cred.HasType(typ) {
		return Malformed("/type", nil, "the type %s is required", typ)
	}
	if _, ok := cred.ValidFrom(); !ok {
		return Malformed("/validFrom", nil, "validFrom is required")
	}
	if _, ok := cred.ValidUntil(); !ok {
		return Malformed("/validUntil", nil, "validUntil is required")
	}
	return nil
}

// SubjectPath checks that credentialSubject is one object, not an array (the JSON Schemas
// of the kakunin credentials say "type": "object"), and returns its JSON Pointer.
func SubjectPath(cred *vc.Credential) (string, error) {
	if v, _ := cred.Get("credentialSubject"); v != nil {
		if _, isArray := v.([]any); isArray {
			return "", Malformed("/credentialSubject", nil, "must be a single object")
		}
	}
	return "/credentialSubject", nil
}

// CheckBuilt parses a credential that a NewCredential built, with a placeholder issuer (the
// data model requires one), and applies parse, the type's claim check, to it.
func CheckBuilt(doc map[string]any, parse func(*vc.Credential) error) error {
	withIssuer := maps.Clone(doc)
	withIssuer["issuer"] = "did:example:issuer"
	b, err := json.Marshal(withIssuer)
	if err != nil {
		return &vc.Error{Type: vc.MalformedValueError, Detail: err.Error(), Err: err}
	}
	c, err := vc.ParseCredential(b, vc.ParseOptions{RejectV1: true})
	if err != nil {
		return err
	}
	return parse(c)
}
