package vc

import (
	"maps"
	"slices"
	"time"

	"github.com/kakunin-dev/kakunin/internal/jsonin"
)

// Credential is a verifiable credential: the complete JSON document, unknown members included,
// with typed views of the members the data model defines. Build one with [ParseCredential].
// A Credential is immutable; the maps it returns are views and must not be modified.
type Credential struct {
	doc        map[string]any
	version    Version
	id         string
	types      []string
	issuer     Issuer
	subjects   []map[string]any
	validFrom  time.Time
	validUntil time.Time
	hasFrom    bool
	hasUntil   bool
	status     []Object
	schemas    []Object
	evidence   []Object
	terms      []Object
	refresh    []Object
	related    []RelatedResource
}

// Issuer is the issuer of a credential (VC 2.0 §4.7): a URL, given either as the whole value or
// as the id of an object, which is kept in Object.
type Issuer struct {
	ID     string
	Object map[string]any // nil when the issuer was given as a string
}

// Object is a member value that the data model requires to be typed: a status entry, a schema,
// evidence, terms of use or a refresh service.
type Object struct {
	ID    string   // "" when absent
	Types []string // at least one
	Value map[string]any
}

// ParseCredential decodes data strictly (size, depth, duplicate names, UTF-8; see
// internal/jsonin) and checks it against the data model. Errors are [*Error] values:
// [ErrParsing] when data is not acceptable JSON, [ErrMalformedValue] when the document does not
// conform, with Path pointing at the offending member.
func ParseCredential(data []byte, opts ParseOptions) (*Credential, error) {
	m, err := decodeObject(data, opts)
	if err != nil {
		return nil, err
	}
	return credentialFromMap(m, "", opts)
}

// ParseCredentialObject is ParseCredential of a document that the caller decoded as
// ParseCredential does, with internal/jsonin (so that duplicate names, invalid UTF-8 and
// excessive depth were refused), for a caller that needs the decoded document too. The
// Credential keeps m: the caller must not modify it afterwards. opts bounds nothing here but
// selects the versions accepted.
func ParseCredentialObject(m map[string]any, opts ParseOptions) (*Credential, error) {
	return credentialFromMap(m, "", opts)
}

func decodeObject(data []byte, opts ParseOptions) (map[string]any, error) {
	v, err := jsonin.Decode(data, opts.json())
	if err != nil {
		e := &Error{Type: ParsingError, Detail: err.Error(), Err: err}
		if je, ok := err.(*jsonin.Error); ok {
			e.Path = je.Pointer
		}
		return nil, e
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, malformed("", "the document must be a JSON object")
	}
	return m, nil
}

func credentialFromMap(m map[string]any, path string, opts ParseOptions) (*Credential, error) {
	c := &Credential{doc: m}
	for _, check := range credentialChecks {
		if err := check(c, path, opts); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// Version is the data model version of the credential's base context.
func (c *Credential) Version() Version { return c.version }

// Context returns the @context items: the base context URL first, then URLs and objects.
func (c *Credential) Context() []any { return slices.Clone(oneOrMany(c.doc["@context"])) }

// ID returns the credential's id, or "" when it has none.
func (c *Credential) ID() string { return c.id }

// Types returns the credential's types, VerifiableCredential among them.
func (c *Credential) Types() []string { return slices.Clone(c.types) }

// HasType reports whether t is one of the credential's types.
func (c *Credential) HasType(t string) bool { return contains(c.types, t) }

// Issuer returns the issuer.
func (c *Credential) Issuer() Issuer { return c.issuer }

// Subjects returns the credentialSubject objects, one or more.
func (c *Credential) Subjects() []map[string]any { return slices.Clone(c.subjects) }

// ValidFrom returns validFrom (issuanceDate for Data Model 1.1) and whether it is present.
func (c *Credential) ValidFrom() (time.Time, bool) { return c.validFrom, c.hasFrom }

// ValidUntil returns validUntil (expirationDate for Data Model 1.1) and whether it is present.
func (c *Credential) ValidUntil() (time.Time, bool) { return c.validUntil, c.hasUntil }

// Status returns the credentialStatus entries.
func (c *Credential) Status() []Object { return slices.Clone(c.status) }

// Schemas returns the credentialSchema entries.
func (c *Credential) Schemas() []Object { return slices.Clone(c.schemas) }

// Evidence returns the evidence entries.
func (c *Credential) Evidence() []Object { return slices.Clone(c.evidence) }

// TermsOfUse returns the termsOfUse entries.
func (c *Credential) TermsOfUse() []Object { return slices.Clone(c.terms) }

// RefreshServices returns the refreshService entries.
func (c *Credential) RefreshServices() []Object { return slices.Clone(c.refresh) }

// RelatedResources returns the relatedResource entries.
func (c *Credential) RelatedResources() []RelatedResource { return slices.Clone(c.related) }

// Get returns the value of a top-level member, such as "proof" or an extension property.
func (c *Credential) Get(name string) (any, bool) {
	v, ok := c.doc[name]
	return v, ok
}

// Document returns a deep copy of the whole document, for a securing mechanism to transform.
func (c *Credential) Document() map[string]any { return deepCopy(c.doc).(map[string]any) }

// MarshalJSON writes the document back. Every member and value is kept (numbers keep their
// literal); member order is not, which neither Data Integrity (it canonicalizes) nor JSON needs.
func (c *Credential) MarshalJSON() ([]byte, error) { return marshalDocument(c.doc) }

// UnmarshalJSON parses data with [ParseCredential] and zero [ParseOptions], so that a Credential
// can sit in a request struct.
func (c *Credential) UnmarshalJSON(data []byte) error {
	parsed, err := ParseCredential(data, ParseOptions{})
	if err != nil {
		return err
	}
	*c = *parsed
	return nil
}

func deepCopy(v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := maps.Clone(v)
		for k, x := range m {
			m[k] = deepCopy(x)
		}
		return m
	case []any:
		a := slices.Clone(v)
		for i, x := range a {
			a[i] = deepCopy(x)
		}
		return a
	default:
		return v
	}
}
