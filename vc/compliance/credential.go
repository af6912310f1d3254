package compliance

import (
	"encoding/json"
	"maps"
	"time"

	"github.com/kakunin-dev/kakunin/spec"
	"github.com/kakunin-dev/kakunin/vc"
)

// NewCredential builds the unsigned KakuninComplianceCredential stating claims about the agent
// agentDID, valid from validFrom to validUntil: the VC 2.0 and kakunin contexts, both types,
// credentialSchema, the subject and evidence. The issuer adds issuer (and id,
// credentialStatus) and secures the result. The document is checked with [ParseCompliance]
// before it is returned; errors are those of ParseCompliance.
func NewCredential(agentDID string, claims Claims, validFrom, validUntil time.Time) (map[string]any, error) {
	subject := maps.Clone(claims.subject)
	if subject == nil {
		subject = map[string]any{}
	}
	subject["id"] = agentDID
	doc := map[string]any{
		"@context":          []any{vc.ContextV2, spec.ContextURL},
		"type":              []any{"VerifiableCredential", spec.ComplianceCredentialType},
		"credentialSchema":  map[string]any{"id": spec.ComplianceSchemaURL, "type": "JsonSchema"},
		"validFrom":         validFrom.UTC().Format(time.RFC3339),
		"validUntil":        validUntil.UTC().Format(time.RFC3339),
		"credentialSubject": subject,
		"evidence":          claims.evidence,
	}
	if err := check(doc); err != nil {
		return nil, err
	}
	return doc, nil
}

// check parses doc as a credential, with a placeholder issuer that the data model requires.
func check(doc map[string]any) error {
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
	_, err = ParseCompliance(c)
	return err
}
