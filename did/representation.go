package did

import (
	"encoding/json/jsontext"
	"fmt"
	"slices"
)

// Media types of DID document representations.
const (
	// MediaTypeDID is the DID 1.1 media type of a DID document (JSON, with @context).
	MediaTypeDID = "application/did"
	// MediaTypeDIDJSON is the DID 1.0 JSON representation (no @context).
	MediaTypeDIDJSON = "application/did+json"
	// MediaTypeDIDLDJSON is the DID 1.0 JSON-LD representation.
	MediaTypeDIDLDJSON = "application/did+ld+json"
)

// The DID JSON-LD contexts.
const (
	ContextV1   = "https://www.w3.org/ns/did/v1"
	ContextV1_1 = "https://www.w3.org/ns/did/v1.1"
)

// methodContexts are the contexts that define the verification method types the
// DID v1 context does not define. The v1.1 context defines Multikey and JsonWebKey
// itself, as @protected terms, so adding their own contexts after it would be a JSON-LD
// protected-term redefinition; they are added for v1 only.
var methodContexts = []struct {
	typ, context string
	v1Only       bool
}{
	{TypeMultikey, "https://w3id.org/security/multikey/v1", true},
	{TypeJSONWebKey, "https://w3id.org/security/jwk/v1", true},
	{TypeEd25519VerificationKey2020, "https://w3id.org/security/suites/ed25519-2020/v1", false},
	{TypeEd25519VerificationKey2018, "https://w3id.org/security/suites/ed25519-2018/v1", false},
	{TypeJSONWebKey2020, "https://w3id.org/security/suites/jws-2020/v1", false},
}

// Marshal produces the representation of d for mediaType:
//
//   - MediaTypeDIDLDJSON (DID 1.0 JSON-LD): @context is DID v1 first, then the
//     document's other contexts, then those its verification method types need.
//   - MediaTypeDIDJSON (DID 1.0 JSON): no @context.
//   - MediaTypeDID (DID 1.1): @context is DID v1.1 first, then the document's other
//     contexts and those of legacy method types. DID 1.1 § JSON-LD requires the v1.1
//     context first when JSON-LD processing is to occur, its media-type-precision rule
//     identifies an application/did payload by that first context, and every example of
//     the CR carries it, so this representation always has it.
//
// Output is deterministic: members in a fixed order, extension properties sorted.
// Other media types wrap ErrRepresentationNotSupported.
func (d *Document) Marshal(mediaType string) ([]byte, error) {
	ctx, err := d.ContextFor(mediaType)
	if err != nil {
		return nil, err
	}
	return d.object(ctx).MarshalJSON()
}

// ContextFor returns the @context that Marshal writes for mediaType (nil for
// MediaTypeDIDJSON). Resolvers set Document.Context to it so that the document
// embedded in a resolution result matches the contentType they report.
func (d *Document) ContextFor(mediaType string) ([]any, error) {
	switch mediaType {
	case MediaTypeDIDLDJSON:
		return d.contextFor(ContextV1), nil
	case MediaTypeDID:
		return d.contextFor(ContextV1_1), nil
	case MediaTypeDIDJSON:
		return nil, nil
	}
	return nil, fmt.Errorf("%w: %q", ErrRepresentationNotSupported, truncate(mediaType))
}

// MarshalJSON writes d with its @context as it is (none when empty), for embedding in
// resolution results; use Marshal to produce a representation.
func (d Document) MarshalJSON() ([]byte, error) { return d.object(d.Context).MarshalJSON() }

// MarshalJSONTo is MarshalJSON into enc.
func (d Document) MarshalJSONTo(enc *jsontext.Encoder) error {
	return d.object(d.Context).MarshalJSONTo(enc)
}

// UnmarshalJSON reads a document with ParseDocument.
func (d *Document) UnmarshalJSON(b []byte) error {
	p, err := ParseDocument(b)
	if err != nil {
		return err
	}
	*d = *p
	return nil
}

func (d *Document) contextFor(base string) []any {
	ctx := []any{base}
	for _, c := range d.Context {
		if c != ContextV1 && c != ContextV1_1 && !(base == ContextV1_1 && definedByV1_1(c)) {
			ctx = append(ctx, c)
		}
	}
	types := d.methodTypes()
	for _, mc := range methodContexts {
		if slices.Contains(types, mc.typ) && (base == ContextV1 || !mc.v1Only) && !slices.Contains(ctx, any(mc.context)) {
			ctx = append(ctx, mc.context)
		}
	}
	return ctx
}

// definedByV1_1 reports whether c is a context whose terms the v1.1 context defines
// as protected terms, which may not be redefined after it.
func definedByV1_1(c any) bool {
	for _, mc := range methodContexts {
		if mc.v1Only && c == any(mc.context) {
			return true
		}
	}
	return false
}

func (d *Document) methodTypes() []string {
	var types []string
	for _, vm := range d.VerificationMethod {
		types = append(types, vm.Type)
	}
	for _, rel := range relationships {
		for _, r := range d.Relationship(rel) {
			if r.Embedded != nil {
				types = append(types, r.Embedded.Type)
			}
		}
	}
	return types
}

func (d *Document) object(ctx []any) object {
	var o object
	switch len(ctx) {
	case 0:
	case 1:
		o.add("@context", ctx[0])
	default:
		o.add("@context", ctx)
	}
	o.add("id", d.ID)
	o.addSet("controller", d.Controller)
	if len(d.AlsoKnownAs) > 0 {
		o.add("alsoKnownAs", d.AlsoKnownAs)
	}
	if len(d.VerificationMethod) > 0 {
		o.add("verificationMethod", d.VerificationMethod)
	}
	for _, rel := range relationships {
		if refs := d.Relationship(rel); len(refs) > 0 {
			o.add(string(rel), refs)
		}
	}
	if len(d.Service) > 0 {
		services := make([]object, len(d.Service))
		for i := range d.Service {
			services[i] = d.Service[i].object()
		}
		o.add("service", services)
	}
	o.addExtra(d.Extra)
	return o
}

// MarshalJSON writes the reference as a string or the embedded method as an object.
func (r MethodRef) MarshalJSON() ([]byte, error) {
	if r.Embedded != nil {
		return r.Embedded.MarshalJSON()
	}
	return jsontext.AppendQuote(nil, r.Ref)
}
