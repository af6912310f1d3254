package jsonld

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/kakunin-dev/kakunin/jcs"
	"github.com/piprate/json-gold/ld"
)

var (
	rdfType  = ld.NewIRI(ld.RDFType)
	rdfFirst = ld.NewIRI(ld.RDFFirst)
	rdfRest  = ld.NewIRI(ld.RDFRest)
	rdfNil   = ld.NewIRI(ld.RDFNil)
)

// toRDF is JSON-LD 1.1 "Deserialize JSON-LD to RDF" as json-gold's
// JsonLdApi.ToRDF implements it (same node map, same blank node labels, same
// literals), minus the per-call IRI validation that json-gold runs after the
// fact: checkExpanded has already rejected every IRI that validation would
// drop, using a cache shared across calls. Graphs and subjects are visited in
// sorted order, so blank node labels do not depend on map iteration.
func toRDF(expanded []any) (*ld.RDFDataset, error) {
	issuer := ld.NewIdentifierIssuer("_:b")
	nodeMap := map[string]any{"@default": map[string]any{}}
	if _, err := ld.NewJsonLdApi().GenerateNodeMap(expanded, nodeMap, "@default", issuer, "", "", nil); err != nil {
		return nil, processingError(err)
	}
	ds := ld.NewRDFDataset()
	for _, name := range slices.Sorted(maps.Keys(nodeMap)) {
		graph, _ := nodeMap[name].(map[string]any)
		quads, err := graphToRDF(name, graph, issuer)
		if err != nil {
			return nil, err
		}
		ds.Graphs[name] = quads
	}
	return ds, nil
}

func graphToRDF(graphName string, graph map[string]any, issuer *ld.IdentifierIssuer) ([]*ld.Quad, error) {
	var quads []*ld.Quad
	for _, id := range slices.Sorted(maps.Keys(graph)) {
		node, _ := graph[id].(map[string]any)
		subject := resource(id)
		for _, property := range ld.GetOrderedKeys(node) {
			predicate := rdfType
			if property != "@type" {
				if ld.IsKeyword(property) {
					continue
				}
				predicate = ld.NewIRI(property)
			}
			values, _ := node[property].([]any)
			for _, item := range values {
				object, err := objectToRDF(item, issuer, graphName, &quads)
				if err != nil {
					return nil, err
				}
				quads = append(quads, ld.NewQuad(subject, predicate, object, graphName))
			}
		}
	}
	return quads, nil
}

// resource is the RDF node for a node identifier.
func resource(id string) ld.Node {
	if strings.HasPrefix(id, "_:") {
		return ld.NewBlankNode(id)
	}
	return ld.NewIRI(id)
}

// objectToRDF converts a value object, list object, node reference or @type
// string; list triples are appended to quads.
func objectToRDF(item any, issuer *ld.IdentifierIssuer, graphName string, quads *[]*ld.Quad) (ld.Node, error) {
	switch v := item.(type) {
	case string: // a @type value
		return resource(v), nil
	case map[string]any:
		if _, ok := v["@value"]; ok {
			return literal(v)
		}
		if list, ok := v["@list"]; ok {
			items, _ := list.([]any)
			return listToRDF(items, issuer, graphName, quads)
		}
		id, _ := v["@id"].(string)
		return resource(id), nil
	}
	return nil, fmt.Errorf("%w: unexpected %T in expanded form", ErrProcessing, item)
}

func listToRDF(items []any, issuer *ld.IdentifierIssuer, graphName string, quads *[]*ld.Quad) (ld.Node, error) {
	if len(items) == 0 {
		return rdfNil, nil
	}
	head := ld.NewBlankNode(issuer.GetId(""))
	subject := head
	for i, item := range items {
		object, err := objectToRDF(item, issuer, graphName, quads)
		if err != nil {
			return nil, err
		}
		var next ld.Node = rdfNil
		if i < len(items)-1 {
			next = ld.NewBlankNode(issuer.GetId(""))
		}
		*quads = append(*quads,
			ld.NewQuad(subject, rdfFirst, object, graphName),
			ld.NewQuad(subject, rdfRest, next, graphName))
		if b, ok := next.(ld.BlankNode); ok {
			subject = b
		}
	}
	return head, nil
}

// literal converts a value object as json-gold does: booleans and numbers
// take XSD datatypes (a number with a fractional part, or typed xsd:double,
// in json-gold's canonical double form), @json values their RFC 8785 form.
func literal(v map[string]any) (ld.Node, error) {
	datatype, _ := v["@type"].(string)
	if datatype == "@json" {
		datatype = ld.RDFJSONLiteral
	}
	withDefault := func(def string) string {
		if datatype == "" {
			return def
		}
		return datatype
	}
	switch value := v["@value"].(type) {
	case bool:
		return ld.NewLiteral(strconv.FormatBool(value), withDefault(ld.XSDBoolean), ""), nil
	case float64:
		return number(value, datatype, withDefault), nil
	case json.Number:
		if f, err := value.Float64(); err == nil {
			return number(f, datatype, withDefault), nil
		}
		return ld.NewLiteral(value.String(), withDefault(ld.XSDString), ""), nil
	case string:
		if lang, ok := v["@language"].(string); ok {
			return ld.NewLiteral(value, withDefault(ld.RDFLangString), lang), nil
		}
		return ld.NewLiteral(value, withDefault(ld.XSDString), ""), nil
	case map[string]any:
		canonical, err := jcs.Marshal(value)
		if err != nil {
			return nil, &DataLossError{Reason: "@json literal that cannot be canonicalized", Err: ErrUnsupported}
		}
		return ld.NewLiteral(string(canonical), ld.RDFJSONLiteral, ""), nil
	}
	return nil, &DataLossError{Reason: fmt.Sprintf("value of type %T", v["@value"]), Err: ErrUnsupported}
}

// number follows JSON-LD 1.1 "Object to RDF Conversion" step 10: "if value
// is a number with a non-zero fractional part (the result of a modulo-1
// operation) or an absolute value greater or equal to 10^21, or value is a
// number and datatype equals xsd:double", the canonical xsd:double form;
// otherwise the integer in decimal. (json-gold tests integrality through an
// int64 conversion, which wrongly makes 2^63 <= |value| < 10^21 a double.)
func number(f float64, datatype string, withDefault func(string) string) ld.Node {
	if f != math.Trunc(f) || math.Abs(f) >= 1e21 || datatype == ld.XSDDouble {
		return ld.NewLiteral(ld.GetCanonicalDouble(f), withDefault(ld.XSDDouble), "")
	}
	if f == 0 {
		f = 0 // no "-0"
	}
	return ld.NewLiteral(strconv.FormatFloat(f, 'f', -1, 64), withDefault(ld.XSDInteger), "")
}
