package scope

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/kakunin-dev/kakunin/spec"
	"github.com/kakunin-dev/kakunin/vc"
	"github.com/kakunin-dev/kakunin/vc/internal/claims"
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
	if err := claims.CheckEnvelope(cred, spec.ScopeCredentialType); err != nil {
		return nil, err
	}
	path, err := claims.SubjectPath(cred)
	if err != nil {
		return nil, err
	}
	o, err := claims.AsObject(cred.Subjects()[0], path, "id", "scope", "delegator")
	if err != nil {
		return nil, err
	}
	s := &Scope{}
	s.ValidFrom, _ = cred.ValidFrom()
	s.ValidUntil, _ = cred.ValidUntil()
	if s.Agent, err = o.Str("id", true, maxPatternLen); err != nil {
		return nil, err
	}
	if !strings.HasPrefix(s.Agent, "did:") {
		return nil, claims.Malformed(claims.At(path, "id"), nil, "the subject must be the agent's DID")
	}
	if !o.Has("delegator") {
		return nil, claims.Malformed(claims.At(path, "delegator"), nil, "delegator is required")
	}
	if s.Delegator, err = parseParty(o.Members["delegator"], claims.At(path, "delegator")); err != nil {
		return nil, err
	}
	if !o.Has("scope") {
		return nil, claims.Malformed(claims.At(path, "scope"), nil, "scope is required")
	}
	s.Grants, err = parseGrants(o.Members["scope"], claims.At(path, "scope"))
	return s, err
}

// ParseGrants reads a JSON array of grants, as a scope credential's credentialSubject.scope
// holds them, for an issuer that builds a credential with [NewCredential]. data is bounded to
// 256 KiB. Error paths are relative to the array ("/0/actions/1").
func ParseGrants(data []byte) ([]Grant, error) {
	v, err := claims.Decode(data)
	if err != nil {
		return nil, err
	}
	return parseGrants(v, "")
}

// MarshalJSON writes the grant as it was read.
func (g Grant) MarshalJSON() ([]byte, error) { return json.Marshal(g.doc) }
