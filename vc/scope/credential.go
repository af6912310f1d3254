package scope

import (
	"time"

	"github.com/kakunin-dev/kakunin/spec"
	"github.com/kakunin-dev/kakunin/vc"
	"github.com/kakunin-dev/kakunin/vc/internal/claims"
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
	doc := claims.Envelope(spec.ScopeCredentialType, spec.ScopeSchemaURL, subject, validFrom, validUntil)
	if err := claims.CheckBuilt(doc, func(c *vc.Credential) error { _, err := ParseScope(c); return err }); err != nil {
		return nil, err
	}
	return doc, nil
}

func partyJSON(p Party) map[string]any {
	m := map[string]any{"id": p.ID}
	if p.Name != "" {
		m["name"] = p.Name
	}
	return m
}
