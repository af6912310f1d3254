package scope

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/kakunin-dev/kakunin/internal/jsonin"
	"github.com/kakunin-dev/kakunin/spec"
	"github.com/kakunin-dev/kakunin/vc"
)

// Scope is what a KakuninScopeCredential lets its subject, an agent, do.
type Scope struct {
	Agent      string // credentialSubject.id: the agent's DID
	Delegator  Party  // who granted the scope
	Grants     []Grant
	ValidFrom  time.Time // from the credential's validFrom
	ValidUntil time.Time // from the credential's validUntil; Allows refuses every request after it
}

// ParseScope reads the claims of a scope credential: it must have the types
// VerifiableCredential and KakuninScopeCredential, the kakunin context, validFrom and
// validUntil, and exactly one credentialSubject whose claims follow
// spec/schemas/scope-credential.json. Errors are *vc.Error values (errors.Is
// vc.ErrMalformedValue) with the JSON Pointer of the offending member; a bad action or URL
// pattern also wraps [ErrInvalidPattern].
func ParseScope(cred *vc.Credential) (*Scope, error) {
	if err := checkEnvelope(cred, spec.ScopeCredentialType); err != nil {
		return nil, err
	}
	path, err := subjectPath(cred)
	if err != nil {
		return nil, err
	}
	o, err := asObject(cred.Subjects()[0], path, "id", "scope", "delegator")
	if err != nil {
		return nil, err
	}
	s := &Scope{}
	s.ValidFrom, _ = cred.ValidFrom()
	s.ValidUntil, _ = cred.ValidUntil()
	if s.Agent, err = o.str("id", true, maxPatternLen); err != nil {
		return nil, err
	}
	if !strings.HasPrefix(s.Agent, "did:") {
		return nil, malformed(at(path, "id"), nil, "the subject must be the agent's DID")
	}
	if !o.has("delegator") {
		return nil, malformed(at(path, "delegator"), nil, "delegator is required")
	}
	if s.Delegator, err = parseParty(o.m["delegator"], at(path, "delegator")); err != nil {
		return nil, err
	}
	if !o.has("scope") {
		return nil, malformed(at(path, "scope"), nil, "scope is required")
	}
	s.Grants, err = parseGrants(o.m["scope"], at(path, "scope"))
	return s, err
}

// subjectPath checks that credentialSubject is one object, not an array (the JSON Schema
// says "type": "object"), and returns its JSON Pointer.
func subjectPath(cred *vc.Credential) (string, error) {
	if v, _ := cred.Get("credentialSubject"); v != nil {
		if _, isArray := v.([]any); isArray {
			return "", malformed("/credentialSubject", nil, "must be a single object")
		}
	}
	return "/credentialSubject", nil
}

// checkEnvelope checks what both credential types require outside the subject.
func checkEnvelope(cred *vc.Credential, typ string) error {
	if cred.Version() != vc.Version20 {
		return malformed("/@context/0", nil, "a %s uses the VC Data Model 2.0 context", typ)
	}
	if !slices.Contains(cred.Context(), any(spec.ContextURL)) {
		return malformed("/@context", nil, "the kakunin context %s is required", spec.ContextURL)
	}
	if !cred.HasType(typ) {
		return malformed("/type", nil, "the type %s is required", typ)
	}
	if _, ok := cred.ValidFrom(); !ok {
		return malformed("/validFrom", nil, "validFrom is required")
	}
	if _, ok := cred.ValidUntil(); !ok {
		return malformed("/validUntil", nil, "validUntil is required")
	}
	return nil
}

// ParseGrants reads a JSON array of grants, as a scope credential's credentialSubject.scope
// holds them, for an issuer that builds a credential with [NewCredential]. data is bounded to
// 256 KiB. Error paths are relative to the array ("/0/actions/1").
func ParseGrants(data []byte) ([]Grant, error) {
	v, err := jsonin.Decode(data, jsonin.Options{MaxBytes: 256 << 10, MaxDepth: 16})
	if err != nil {
		return nil, &vc.Error{Type: vc.ParsingError, Detail: err.Error(), Err: err}
	}
	return parseGrants(v, "")
}

// MarshalJSON writes the grant as it was read.
func (g Grant) MarshalJSON() ([]byte, error) { return json.Marshal(g.doc) }
