package scope

import (
	"encoding/json"
	"time"

	"github.com/kakunin-dev/kakunin/spec"
	"github.com/kakunin-dev/kakunin/vc"
)

// NewCredential builds the unsigned KakuninScopeCredential that grants grants to the agent
// agentDID on behalf of delegator, valid from validFrom to validUntil: the VC 2.0 and kakunin
// contexts, both types, credentialSchema and the subject. The issuer adds issuer (and id,
// credentialStatus) and secures the result. The document is checked with [ParseScope] before it
// is returned; errors are those of ParseScope.
func NewCredential(agentDID string, grants []Grant, delegator Party, validFrom, validUntil time.Time) (map[string]any, error) {
	list := make([]any, len(grants))
	for i, g := range grants {
		list[i] = g.doc
	}
	subject := map[string]any{"id": agentDID, "scope": list, "delegator": partyJSON(delegator)}
	doc := envelope(spec.ScopeCredentialType, spec.ScopeSchemaURL, subject, validFrom, validUntil)
	if err := checkBuilt(doc, func(c *vc.Credential) error { _, err := ParseScope(c); return err }); err != nil {
		return nil, err
	}
	return doc, nil
}

// envelope returns the members every kakunin credential of type typ has: contexts, types,
// credentialSchema, validity period and credentialSubject.
func envelope(typ, schemaURL string, subject map[string]any, validFrom, validUntil time.Time) map[string]any {
	return map[string]any{
		"@context":          []any{vc.ContextV2, spec.ContextURL},
		"type":              []any{"VerifiableCredential", typ},
		"credentialSchema":  map[string]any{"id": schemaURL, "type": "JsonSchema"},
		"validFrom":         validFrom.UTC().Format(time.RFC3339),
		"validUntil":        validUntil.UTC().Format(time.RFC3339),
		"credentialSubject": subject,
	}
}

func partyJSON(p Party) map[string]any {
	m := map[string]any{"id": p.ID}
	if p.Name != "" {
		m["name"] = p.Name
	}
	return m
}

// checkBuilt parses doc as a credential (with a placeholder issuer, which the data model
// requires) and applies parse, the type's claim check.
func checkBuilt(doc map[string]any, parse func(*vc.Credential) error) error {
	withIssuer := make(map[string]any, len(doc)+1)
	for k, v := range doc {
		withIssuer[k] = v
	}
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
