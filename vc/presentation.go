package vc

import (
	"slices"
)

// Presentation is a verifiable presentation: the complete JSON document with typed views.
// Build one with [ParsePresentation]. It is immutable; returned maps must not be modified.
type Presentation struct {
	doc         map[string]any
	version     Version
	id          string
	types       []string
	holder      Holder
	credentials []PresentedCredential
	terms       []Object
}

// Holder is the holder of a presentation (VC 2.0 §4.13): a URL, given as the whole value or as
// the id of an object, which is kept in Object.
type Holder struct {
	ID     string // "" when the presentation names no holder
	Object map[string]any
}

// PresentedCredential is one verifiableCredential value: exactly one field is set.
type PresentedCredential struct {
	Credential *Credential          // a credential embedded as JSON, checked as ParseCredential does
	Enveloped  *EnvelopedCredential // an EnvelopedVerifiableCredential, for its securing mechanism
}

// EnvelopedCredential is an EnvelopedVerifiableCredential (VC 2.0 §4.13.1): a credential secured
// by an enveloping mechanism such as VC-JOSE-COSE, carried in a data: URL.
type EnvelopedCredential struct {
	ID        string         // the data: URL
	MediaType string         // of the data: URL, e.g. "application/vc+jwt"
	Data      []byte         // the secured credential, e.g. a compact JWS
	Value     map[string]any // the whole object
}

// ParsePresentation decodes data strictly and checks it against the data model, including every
// embedded credential (errors point into /verifiableCredential/…). Errors are as for
// [ParseCredential]. The MUST that a self-asserted credential secured by the presentation's own
// mechanism requires a holder is left to the verifier, which knows how each part is secured.
func ParsePresentation(data []byte, opts ParseOptions) (*Presentation, error) {
	m, err := decodeObject(data, opts)
	if err != nil {
		return nil, err
	}
	p := &Presentation{doc: m}
	for _, check := range []func(*Presentation, ParseOptions) error{
		checkPresentationHeader, checkHolder, checkPresentedCredentials, checkPresentationTerms,
	} {
		if err := check(p, opts); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// checkPresentationHeader checks @context, id and type (VC 2.0 §4.13: "One value of this
// property MUST be VerifiablePresentation").
func checkPresentationHeader(p *Presentation, opts ParseOptions) error {
	var err error
	if p.version, err = contextVersion(p.doc, "", opts); err != nil {
		return err
	}
	if p.id, err = optionalID(p.doc, ""); err != nil {
		return err
	}
	if p.types, err = requiredTypes(p.doc, ""); err != nil {
		return err
	}
	if !contains(p.types, "VerifiablePresentation") {
		return malformed("/type", "type must include VerifiablePresentation")
	}
	return nil
}

// checkHolder: VC 2.0 §4.13 "If present, the value MUST be either a URL or an object containing
// an id property"; the id is held to be a URL, as the holder's identifier is throughout §4.13.
func checkHolder(p *Presentation, _ ParseOptions) error {
	v, ok := p.doc["holder"]
	if !ok {
		return nil
	}
	m, isObject := v.(map[string]any)
	if !isObject {
		id, err := urlValue(v, "/holder")
		p.holder = Holder{ID: id}
		return err
	}
	idv, ok := m["id"]
	if !ok {
		return malformed("/holder/id", "a holder object needs an id")
	}
	id, err := urlValue(idv, "/holder/id")
	p.holder = Holder{ID: id, Object: m}
	return err
}

// checkPresentedCredentials: VC 2.0 §4.13 "The value MUST be one or more verifiable credential
// and/or enveloped verifiable credential objects (the values MUST NOT be non-object values such
// as numbers, strings, or URLs)".
func checkPresentedCredentials(p *Presentation, opts ParseOptions) error {
	v, ok := p.doc["verifiableCredential"]
	if !ok {
		return nil
	}
	objs, err := objectList(v, "/verifiableCredential")
	if err != nil {
		return err
	}
	_, isArray := v.([]any)
	for i, m := range objs {
		pc, err := presentedCredential(m, pathOf("/verifiableCredential", isArray, i), opts)
		if err != nil {
			return err
		}
		p.credentials = append(p.credentials, pc)
	}
	return nil
}

func presentedCredential(m map[string]any, path string, opts ParseOptions) (PresentedCredential, error) {
	types, err := requiredTypes(m, path)
	if err != nil {
		return PresentedCredential{}, err
	}
	if contains(types, "EnvelopedVerifiableCredential") {
		env, err := envelopedCredential(m, path)
		return PresentedCredential{Enveloped: env}, err
	}
	c, err := credentialFromMap(m, path, opts)
	return PresentedCredential{Credential: c}, err
}

// envelopedCredential: VC 2.0 §4.13.1 "The @context property of the object MUST be present and
// include a context, such as the base context … The id value of the object MUST be a data: URL".
// The base context is the only context known to define the three terms without JSON-LD
// processing, so it is required.
func envelopedCredential(m map[string]any, path string) (*EnvelopedCredential, error) {
	ctx, ok := m["@context"]
	if !ok || !slices.Contains(oneOrMany(ctx), any(ContextV2)) {
		return nil, malformed(at(path, "@context"), "an enveloped credential's @context must include %s", ContextV2)
	}
	idv, ok := m["id"]
	if !ok {
		return nil, malformed(at(path, "id"), "an enveloped credential needs a data: URL id")
	}
	id, _ := idv.(string)
	mediaType, data, err := parseDataURL(id)
	if err != nil {
		return nil, malformed(at(path, "id"), "an enveloped credential's id must be a data: URL")
	}
	return &EnvelopedCredential{ID: id, MediaType: mediaType, Data: data, Value: m}, nil
}

func checkPresentationTerms(p *Presentation, _ ParseOptions) error {
	var err error
	p.terms, err = typedObjects(p.doc, "termsOfUse", "", false)
	return err
}

// Version is the data model version of the presentation's base context.
func (p *Presentation) Version() Version { return p.version }

// ID returns the presentation's id, or "".
func (p *Presentation) ID() string { return p.id }

// Types returns the presentation's types, VerifiablePresentation among them.
func (p *Presentation) Types() []string { return slices.Clone(p.types) }

// Holder returns the holder; its ID is "" when there is none.
func (p *Presentation) Holder() Holder { return p.holder }

// Credentials returns the verifiableCredential values in document order.
func (p *Presentation) Credentials() []PresentedCredential { return slices.Clone(p.credentials) }

// TermsOfUse returns the termsOfUse entries.
func (p *Presentation) TermsOfUse() []Object { return slices.Clone(p.terms) }

// Get returns the value of a top-level member, such as "proof".
func (p *Presentation) Get(name string) (any, bool) {
	v, ok := p.doc[name]
	return v, ok
}

// Document returns a deep copy of the whole document.
func (p *Presentation) Document() map[string]any { return deepCopy(p.doc).(map[string]any) }

// MarshalJSON writes the document back, every member and value kept (see
// [Credential.MarshalJSON]).
func (p *Presentation) MarshalJSON() ([]byte, error) { return marshalDocument(p.doc) }

// UnmarshalJSON parses data with [ParsePresentation] and zero [ParseOptions].
func (p *Presentation) UnmarshalJSON(data []byte) error {
	parsed, err := ParsePresentation(data, ParseOptions{})
	if err != nil {
		return err
	}
	*p = *parsed
	return nil
}
