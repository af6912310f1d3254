package did

import (
	"encoding/json/jsontext"
	"fmt"
)

// Document is a DID document (DID Core § Core Properties). ParseDocument reads one
// strictly; Marshal writes one of the three representations.
type Document struct {
	// Context is the JSON-LD @context as read: strings and JSON objects (jsontext.Value).
	// Marshal sets the DID context for the representation asked for; see Marshal.
	Context []any
	// ID is the DID of the subject.
	ID string
	// Controller is a set of DIDs.
	Controller []string
	// AlsoKnownAs is a set of URIs.
	AlsoKnownAs []string

	VerificationMethod []VerificationMethod

	// The five verification relationships, each entry a reference or an embedded method.
	Authentication       []MethodRef
	AssertionMethod      []MethodRef
	KeyAgreement         []MethodRef
	CapabilityInvocation []MethodRef
	CapabilityDelegation []MethodRef

	Service []Service

	// Extra holds the extension properties, as JSON values, kept through parse and
	// marshal.
	Extra map[string]jsontext.Value
}

// MethodRef is an entry of a verification relationship: a reference (an absolute or
// relative DID URL) to a verification method, or an embedded one.
type MethodRef struct {
	Ref      string              // set for a reference
	Embedded *VerificationMethod // set for an embedded method
}

// Relationship names a verification relationship, as its property name.
type Relationship string

// The verification relationships of DID Core.
const (
	Authentication       Relationship = "authentication"
	AssertionMethod      Relationship = "assertionMethod"
	KeyAgreement         Relationship = "keyAgreement"
	CapabilityInvocation Relationship = "capabilityInvocation"
	CapabilityDelegation Relationship = "capabilityDelegation"
)

var relationships = [...]Relationship{Authentication, AssertionMethod, KeyAgreement, CapabilityInvocation, CapabilityDelegation}

// Relationship returns the entries of rel, or nil for an unknown name.
func (d *Document) Relationship(rel Relationship) []MethodRef {
	if p := d.relationship(rel); p != nil {
		return *p
	}
	return nil
}

func (d *Document) relationship(rel Relationship) *[]MethodRef {
	switch rel {
	case Authentication:
		return &d.Authentication
	case AssertionMethod:
		return &d.AssertionMethod
	case KeyAgreement:
		return &d.KeyAgreement
	case CapabilityInvocation:
		return &d.CapabilityInvocation
	case CapabilityDelegation:
		return &d.CapabilityDelegation
	}
	return nil
}

// absolute returns ref resolved against the document's DID, as a string, or "" when
// it does not resolve. Use absoluter for many references.
func (d *Document) absolute(ref string) string { return d.absoluter()(ref) }

// absoluter returns absolute with the document's DID parsed once, and a fast path for
// the common "#fragment" references.
func (d *Document) absoluter() func(string) string {
	base, err := Parse(d.ID)
	if err != nil {
		return func(string) string { return "" }
	}
	return func(ref string) string {
		if ref != "" && ref[0] == '#' {
			if _, err := uriPart(ref, 1, len(ref), "/?:@", "fragment"); err != nil {
				return ""
			}
			return d.ID + ref
		}
		u, err := base.ResolveReference(ref)
		if err != nil {
			return ""
		}
		return u.String()
	}
}

// VerificationMethodByID finds the verification method whose id, resolved against
// the document's DID, equals ref resolved the same way ("#key-1" and
// "did:example:123#key-1" find the same method). It searches verificationMethod and
// the methods embedded in verification relationships. The result points into d.
func (d *Document) VerificationMethodByID(ref string) (*VerificationMethod, bool) {
	abs := d.absoluter()
	want := abs(ref)
	if want == "" {
		return nil, false
	}
	for i := range d.VerificationMethod {
		if abs(d.VerificationMethod[i].ID) == want {
			return &d.VerificationMethod[i], true
		}
	}
	for _, rel := range relationships {
		for _, r := range d.Relationship(rel) {
			if r.Embedded != nil && abs(r.Embedded.ID) == want {
				return r.Embedded, true
			}
		}
	}
	return nil, false
}

// Authorized returns the verification method ref (absolute or relative DID URL) if it
// is listed under rel, by reference or embedded, and defined in this document.
// Errors wrap ErrInvalidVerificationMethod when the document has no such method and
// ErrInvalidRelationship when it is not listed under rel, as CID § 3.3 (Retrieve
// Verification Method) and DID Resolution name them.
func (d *Document) Authorized(ref string, rel Relationship) (*VerificationMethod, error) {
	entries := d.relationship(rel)
	if entries == nil {
		return nil, fmt.Errorf("%w: unknown verification relationship %q", ErrInvalidRelationship, truncate(string(rel)))
	}
	vm, ok := d.VerificationMethodByID(ref)
	if !ok {
		return nil, fmt.Errorf("%w: %q is not a verification method of %s", ErrInvalidVerificationMethod, truncate(ref), d.ID)
	}
	abs := d.absoluter()
	want := abs(vm.ID)
	for _, r := range *entries {
		if r.Embedded == vm || r.Embedded == nil && abs(r.Ref) == want {
			return vm, nil
		}
	}
	return nil, fmt.Errorf("%w: %q is not listed under %s", ErrInvalidRelationship, truncate(ref), rel)
}
