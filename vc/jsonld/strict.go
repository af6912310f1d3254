package jsonld

import (
	"reflect"
	"strings"

	"github.com/piprate/json-gold/ld"
)

// checkExpanded rejects an expanded document that the conversion to RDF would
// silently shorten. VC Data Integrity 1.0, section 2.4.3 "Securing Data
// Losslessly": "Implementations that use JSON-LD processing, such as RDF
// Dataset Canonicalization, MUST throw an error, which SHOULD be
// DATA_LOSS_DETECTION_ERROR, when data is dropped by a JSON-LD processor, such
// as when an undefined term is detected in an input document."
//
// Undefined terms (and keyword-like keys) are caught during expansion by
// json-gold's SafeMode. This walk catches what "Deserialize JSON-LD to RDF"
// and json-gold's quad validation would drop afterwards, as jsonld.js's safe
// mode does: relative subject, type, property, graph and object references,
// blank node predicates, and IRIs or language tags that json-gold considers
// invalid; and also base directions, which json-gold does not convert, and
// @index values (index maps or explicit), which RDF does not keep. Members
// that expansion drops silently (an empty member name, null values) are
// caught on the input by checkMemberNames and checkNullMembers; the latter
// needs the @json literal maps returned here, which keep their members in the
// RDF literal.
func checkExpanded(nodes []any) (jsonLiterals map[uintptr]bool, err error) {
	var c checker
	for _, n := range nodes {
		if err := c.object(n); err != nil {
			return nil, err
		}
	}
	return c.jsonLiterals, nil
}

// checker walks an expanded document.
type checker struct {
	jsonLiterals map[uintptr]bool // @value maps of @json literals, by identity
}

func loss(reason, value string) error {
	return &DataLossError{Reason: reason, Value: value, Err: ErrDataLoss}
}

// object checks a member of an expanded array: a value, list or node object.
func (c *checker) object(v any) error {
	m, ok := v.(map[string]any)
	if !ok {
		return loss("free-floating scalar", "")
	}
	if index, ok := m["@index"]; ok {
		// From an index map or an explicit @index: "Deserialize JSON-LD to
		// RDF" has no place for it (the node map keeps only the property
		// values), so it could be changed under a signature.
		s, _ := index.(string)
		return loss("@index value", s)
	}
	if _, ok := m["@value"]; ok {
		return c.value(m)
	}
	if list, ok := m["@list"]; ok {
		return c.array(list)
	}
	return c.node(m)
}

func (c *checker) array(v any) error {
	items, _ := v.([]any)
	for _, item := range items {
		if err := c.object(item); err != nil {
			return err
		}
	}
	return nil
}

// node checks a node object or node reference and everything it contains.
func (c *checker) node(m map[string]any) error {
	for key, v := range m {
		var err error
		switch key {
		case "@id":
			id, _ := v.(string)
			err = c.reference(id, "relative or invalid @id reference")
		case "@type":
			types, _ := v.([]any)
			for _, t := range types {
				s, _ := t.(string)
				if err = c.reference(s, "relative or invalid @type reference"); err != nil {
					break
				}
			}
		case "@graph", "@included":
			err = c.array(v)
		case "@reverse":
			err = c.properties(v)
		default:
			if !strings.HasPrefix(key, "@") {
				err = c.property(key, v)
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// properties checks a map of properties to values, such as @reverse.
func (c *checker) properties(v any) error {
	m, _ := v.(map[string]any)
	for key, values := range m {
		if err := c.property(key, values); err != nil {
			return err
		}
	}
	return nil
}

func (c *checker) property(key string, values any) error {
	if strings.HasPrefix(key, "_:") {
		return loss("blank node predicate", key)
	}
	if !c.validIRI(key) {
		return loss("relative or invalid property IRI", key)
	}
	return c.array(values)
}

// reference accepts a blank node identifier or an absolute IRI that json-gold
// keeps.
func (c *checker) reference(id, reason string) error {
	if strings.HasPrefix(id, "_:") || c.validIRI(id) {
		return nil
	}
	return loss(reason, id)
}

// value checks a value object's datatype and language, and that a @json
// literal is one json-gold converts correctly (it canonicalizes only objects;
// booleans take its boolean path).
func (c *checker) value(m map[string]any) error {
	switch t, _ := m["@type"].(string); {
	case t == "@json":
		switch v := m["@value"].(type) {
		case map[string]any:
			if c.jsonLiterals == nil {
				c.jsonLiterals = map[uintptr]bool{}
			}
			c.jsonLiterals[reflect.ValueOf(v).Pointer()] = true
		case bool:
		default:
			return &DataLossError{Reason: "@json literal that is not an object", Err: ErrUnsupported}
		}
	case t != "" && !c.validIRI(t):
		return loss("relative or invalid datatype IRI", t)
	}
	if lang, ok := m["@language"].(string); ok && ld.InvalidNode(ld.NewLiteral("", "", lang)) {
		return loss("invalid @language value", lang)
	}
	if dir, ok := m["@direction"].(string); ok {
		// JSON-LD 1.1 "Object to RDF Conversion" keeps a base direction
		// only when the rdfDirection option is i18n-datatype or
		// compound-literal; json-gold implements neither, so it would be lost.
		return loss("base direction", dir)
	}
	return nil
}

// validIRI reports whether iri is absolute and passes the validity test that
// json-gold applies before emitting a quad.
func (*checker) validIRI(iri string) bool {
	return validIRIs.check(iri)
}
