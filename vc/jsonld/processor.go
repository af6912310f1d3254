package jsonld

import (
	"errors"
	"fmt"

	"github.com/piprate/json-gold/ld"
)

// DefaultCachedContexts is the number of processed top-level contexts a
// Processor keeps when Options.CachedContexts is zero.
const DefaultCachedContexts = 64

// Options configures a Processor. The zero value is ready to use.
type Options struct {
	// CachedContexts bounds how many distinct top-level @context values keep
	// their processed active context; 0 means DefaultCachedContexts.
	CachedContexts int
}

// Processor expands JSON-LD documents and converts them to RDF offline, with
// the strictness VC Data Integrity requires, and reuses processed contexts
// across calls. It is safe for concurrent use; build one and share it.
type Processor struct {
	opts     *ld.JsonLdOptions // read-only after construction
	contexts contextCache
}

// NewProcessor returns a Processor that loads contexts through loader; a nil
// loader serves the embedded contexts only.
func NewProcessor(loader *Loader, o Options) *Processor {
	if loader == nil {
		loader, _ = NewLoader(nil) // cannot fail without extra contexts
	}
	// VC Data Integrity 1.0, section 2.4.3: "When deserializing to RDF,
	// implementations MUST ensure that the base URL is set to null."
	opts := ld.NewJsonLdOptions("")
	opts.DocumentLoader = loader
	opts.ProcessingMode = ld.JsonLd_1_1
	opts.SafeMode = true // fail on properties that do not expand to an IRI
	size := o.CachedContexts
	if size <= 0 {
		size = DefaultCachedContexts
	}
	return &Processor{opts: opts, contexts: contextCache{max: size, entries: map[string]*ld.Context{}}}
}

// Expand returns the JSON-LD expanded form of doc (decoded JSON: maps, slices,
// strings, float64 or json.Number, bools, nil), failing where expansion or
// the conversion to RDF would drop data. doc is not modified; the result may
// share @json values with it. Callers bound the size of doc when they decode
// it. It fails with an error wrapping ErrUnknownContext, ErrDataLoss,
// ErrUnsupported or ErrProcessing.
func (p *Processor) Expand(doc any) (expanded []any, err error) {
	if vp, creds, ok := embeddedCredentials(doc); ok {
		return p.expandPresentation(vp, creds)
	}
	return p.expand(doc)
}

func (p *Processor) expand(doc any) (expanded []any, err error) {
	defer recoverPanic(&err)
	if err := checkMemberNames(doc); err != nil {
		return nil, err
	}
	active, body, err := p.activeContext(doc)
	if err != nil {
		return nil, err
	}
	out, err := ld.NewJsonLdApi().Expand(active, "", body, p.opts, false, nil)
	if err != nil {
		return nil, processingError(err)
	}
	expanded = normalizeExpanded(out)
	jsonLiterals, err := checkExpanded(expanded)
	if err != nil {
		return nil, err
	}
	if err := checkNullMembers(doc, jsonLiterals); err != nil {
		return nil, err
	}
	return expanded, nil
}

// ToRDF returns the RDF dataset of doc, as the JSON-LD 1.1 "Deserialize
// JSON-LD to RDF" algorithm produces it with a null base IRI, for RDF Dataset
// Canonicalization. Errors are those of Expand.
func (p *Processor) ToRDF(doc any) (ds *ld.RDFDataset, err error) {
	expanded, err := p.Expand(doc)
	if err != nil {
		return nil, err
	}
	defer recoverPanic(&err)
	return toRDF(expanded)
}

// recoverPanic turns a panic inside json-gold (it type-asserts freely on
// document content) into an ErrProcessing error, so that a hostile document
// cannot crash the caller.
func recoverPanic(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%w: json-gold panicked: %v", ErrProcessing, r)
	}
}

// activeContext returns the processed top-level context of doc, from the
// cache when this @context value was seen before, and doc without its
// @context entry. Processing the entry here and expanding the rest against
// the result is what JSON-LD 1.1 Expansion step 9 does ("If element contains
// the entry @context, set active context to the result of the Context
// Processing algorithm"); only the work is shared across calls.
func (p *Processor) activeContext(doc any) (*ld.Context, any, error) {
	m, ok := doc.(map[string]any)
	if !ok {
		return ld.NewContext(nil, p.opts), doc, nil
	}
	local, ok := m["@context"]
	if !ok {
		return ld.NewContext(nil, p.opts), doc, nil
	}
	key, err := cacheKey(local)
	if err != nil {
		return nil, nil, err
	}
	active, ok := p.contexts.get(key)
	if !ok {
		if active, err = ld.NewContext(nil, p.opts).Parse(local); err != nil {
			return nil, nil, processingError(err)
		}
		if _, nonPropagated := active.AsMap()["previousContext"]; nonPropagated {
			// "@propagate": false: expansion reverts to the previous context
			// for nested nodes, and for the top-level node too if the context
			// is applied before it is entered, so leave it to json-gold.
			active = nil
		}
		p.contexts.put(key, active)
	}
	if active == nil {
		return ld.NewContext(nil, p.opts), doc, nil
	}
	body := make(map[string]any, len(m)-1)
	for k, v := range m {
		if k != "@context" {
			body[k] = v
		}
	}
	return active, body, nil
}

// normalizeExpanded applies the final steps of the Expansion algorithm that
// json-gold runs in its top-level Expand: drop an empty top-level object,
// unwrap a lone @graph, and always return an array.
func normalizeExpanded(v any) []any {
	if m, ok := v.(map[string]any); ok {
		if len(m) == 0 {
			return []any{}
		}
		if g, ok := m["@graph"]; ok && len(m) == 1 {
			v = g
		}
	}
	switch v := v.(type) {
	case nil:
		return []any{}
	case []any:
		return v
	default:
		return []any{v}
	}
}

// processingError wraps a json-gold error, mapping the unknown-context and
// safe-mode failures to this package's sentinels.
func processingError(err error) error {
	if errors.Is(err, ErrUnknownContext) {
		return err
	}
	var jerr *ld.JsonLdError
	if errors.As(err, &jerr) && jerr.Code == ld.InvalidProperty {
		// json-gold's SafeMode error for a property that expands to no IRI.
		return &DataLossError{Reason: "undefined term", Err: ErrDataLoss}
	}
	return fmt.Errorf("%w: %w", ErrProcessing, err)
}
