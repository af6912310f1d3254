package compliance

import (
	"regexp"
	"strings"
	"time"

	"github.com/kakunin-dev/kakunin/spec"
	"github.com/kakunin-dev/kakunin/vc"
	"github.com/kakunin-dev/kakunin/vc/internal/claims"
)

// Compliance is what a KakuninComplianceCredential says about its subject, an agent.
type Compliance struct {
	Agent string // credentialSubject.id: the agent's DID
	Claims
	ValidFrom  time.Time
	ValidUntil time.Time
}

// Claims are the statements of a compliance credential, in the subject and in evidence.
type Claims struct {
	Frameworks     Frameworks
	Provenance     Provenance // credentialSubject.modelProvenance; from ParseClaims, digests may be ""
	Assessor       Party
	AssessmentDate time.Time
	Evidence       []AuditLogEvidence // the credential's evidence member
	subject        map[string]any     // validated subject members other than id
	evidence       []any              // validated evidence entries
}

// xsd:dateTime with a required time zone.
var dateTimePattern = regexp.MustCompile(`^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,9})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$`)

// ParseCompliance reads the claims of a compliance credential: it must have the types
// VerifiableCredential and KakuninComplianceCredential, the kakunin context, validFrom and
// validUntil, one credentialSubject and an evidence array that follow
// spec/schemas/compliance-credential.json. For a did:kakunin subject, the model and prompt
// digests must be the DID's. Errors are *vc.Error values (errors.Is vc.ErrMalformedValue) with
// the JSON Pointer of the offending member.
func ParseCompliance(cred *vc.Credential) (*Compliance, error) {
	if err := claims.CheckEnvelope(cred, spec.ComplianceCredentialType); err != nil {
		return nil, err
	}
	path, err := claims.SubjectPath(cred)
	if err != nil {
		return nil, err
	}
	ev, _ := cred.Get("evidence")
	c := &Compliance{}
	c.ValidFrom, _ = cred.ValidFrom()
	c.ValidUntil, _ = cred.ValidUntil()
	if c.Agent, c.Claims, err = parseSubject(cred.Subjects()[0], path, ev, "/evidence"); err != nil {
		return nil, err
	}
	return c, nil
}

// parseSubject reads a subject (with id) and the evidence array.
func parseSubject(v any, path string, ev any, evPath string) (string, Claims, error) {
	o, err := claims.AsObject(v, path, "id", "frameworks", "modelProvenance", "assessor", "assessmentDate")
	if err != nil {
		return "", Claims{}, err
	}
	agent, err := o.Str("id", true, maxURL)
	if err != nil {
		return "", Claims{}, err
	}
	if !strings.HasPrefix(agent, "did:") {
		return "", Claims{}, claims.Malformed(claims.At(path, "id"), nil, "the subject must be the agent's DID")
	}
	if parts, ok := kakuninComponents(agent); ok && len(parts) != 3 {
		return "", Claims{}, claims.Malformed(claims.At(path, "id"), nil, "not a did:kakunin identifier")
	}
	claims, err := parseClaims(o, ev, evPath, false)
	if err != nil {
		return "", Claims{}, err
	}
	return agent, claims, checkKakuninSubject(agent, claims.Provenance, path)
}

// parseClaims reads the claims of a subject, or of a request when request is set: then
// modelProvenance, or its digests, may be absent for [NewCredential] to fill in.
func parseClaims(o claims.Object, ev any, evPath string, request bool) (Claims, error) {
	var c Claims
	var err error
	if c.Frameworks, err = required(o, "frameworks", parseFrameworks); err != nil {
		return Claims{}, err
	}
	provenance := parseProvenance
	if request {
		provenance = parseRequestProvenance
	}
	if !request || o.Has("modelProvenance") {
		if c.Provenance, err = required(o, "modelProvenance", provenance); err != nil {
			return Claims{}, err
		}
	}
	if c.Assessor, err = required(o, "assessor", parseParty); err != nil {
		return Claims{}, err
	}
	if c.AssessmentDate, err = dateTime(o, "assessmentDate"); err != nil {
		return Claims{}, err
	}
	if ev == nil {
		return Claims{}, claims.Malformed(evPath, nil, "evidence is required")
	}
	if c.Evidence, err = parseEvidence(ev, evPath); err != nil {
		return Claims{}, err
	}
	c.subject = make(map[string]any, len(o.Members))
	for k, v := range o.Members {
		if k != "id" && k != "evidence" {
			c.subject[k] = v
		}
	}
	c.evidence, _ = ev.([]any)
	return c, nil
}

// required parses the member name of o, which must be present.
func required[T any](o claims.Object, name string, parse func(any, string) (T, error)) (T, error) {
	if !o.Has(name) {
		var zero T
		return zero, claims.Malformed(claims.At(o.Path, name), nil, "%s is required", name)
	}
	return parse(o.Members[name], claims.At(o.Path, name))
}

func dateTime(o claims.Object, name string) (time.Time, error) {
	s, err := o.Str(name, true, 64)
	if err != nil {
		return time.Time{}, err
	}
	t, perr := time.Parse(time.RFC3339Nano, s)
	if !dateTimePattern.MatchString(s) || perr != nil {
		return time.Time{}, claims.Malformed(claims.At(o.Path, name), nil, "must be an XML Schema dateTime with a time zone, such as 2026-01-15T12:00:00Z")
	}
	return t, nil
}

// ParseClaims reads the claims for [NewCredential] from a JSON object with the members
// frameworks, modelProvenance, assessor, assessmentDate and evidence, as a convenience
// endpoint receives them. modelProvenance, or its modelDigest and promptDigest, may be
// omitted: NewCredential takes them from a did:kakunin subject (and rejects their absence
// for any other). data is bounded to 256 KiB. Error paths are relative to the object.
func ParseClaims(data []byte) (Claims, error) {
	v, err := claims.Decode(data)
	if err != nil {
		return Claims{}, err
	}
	o, err := claims.AsObject(v, "", "frameworks", "modelProvenance", "assessor", "assessmentDate", "evidence")
	if err != nil {
		return Claims{}, err
	}
	return parseClaims(o, o.Members["evidence"], "/evidence", true)
}
