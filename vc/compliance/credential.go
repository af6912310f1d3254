package compliance

import (
	"maps"
	"time"

	"github.com/kakunin-dev/kakunin/spec"
	"github.com/kakunin-dev/kakunin/vc"
	"github.com/kakunin-dev/kakunin/vc/internal/claims"
)

// NewCredential builds the unsigned KakuninComplianceCredential stating the claims c about the
// agent agentDID, valid from validFrom to validUntil: the VC 2.0 and kakunin contexts, both types,
// credentialSchema, the subject and evidence. When agentDID is a did:kakunin DID, the model
// and prompt digests the claims omit are the DID's. The issuer adds issuer (and id,
// credentialStatus) and secures the result. The document is checked with [ParseCompliance]
// before it is returned; errors are those of ParseCompliance.
func NewCredential(agentDID string, c Claims, validFrom, validUntil time.Time) (map[string]any, error) {
	subject := maps.Clone(c.subject)
	if subject == nil {
		subject = map[string]any{}
	}
	subject["id"] = agentDID
	fillDigests(subject, agentDID)
	doc := claims.Envelope(spec.ComplianceCredentialType, spec.ComplianceSchemaURL, subject, validFrom, validUntil)
	doc["evidence"] = c.evidence
	if err := claims.CheckBuilt(doc, func(cred *vc.Credential) error { _, err := ParseCompliance(cred); return err }); err != nil {
		return nil, err
	}
	return doc, nil
}
