package rdfc

import (
	"fmt"
	"slices"
	"strings"

	"github.com/piprate/json-gold/ld"
)

// jsonGoldDefaultGraph is the key json-gold uses for the default graph in RDFDataset.Graphs.
const jsonGoldDefaultGraph = "@default"

// FromJSONGold converts the dataset returned by json-gold's toRDF (ld.JsonLdApi.ToRDF, or
// ld.JsonLdProcessor.ToRDF without a Format) into a Dataset. Graphs are taken in sorted
// order of their names and quads in their order, so equal inputs give equal Datasets.
// Blank node identifiers lose their "_:" prefix. The result is not validated here:
// Canonicalize does that. A nil dataset gives an empty Dataset.
func FromJSONGold(in *ld.RDFDataset) (Dataset, error) {
	if in == nil {
		return nil, nil
	}
	names := make([]string, 0, len(in.Graphs))
	total := 0
	for name, quads := range in.Graphs {
		names = append(names, name)
		total += len(quads)
	}
	slices.Sort(names)
	out := make(Dataset, 0, total)
	for _, name := range names {
		graph, err := graphFromName(name)
		if err != nil {
			return nil, err
		}
		for _, q := range in.Graphs[name] {
			cq, err := quadFromJSONGold(q, graph, len(out))
			if err != nil {
				return nil, err
			}
			out = append(out, cq)
		}
	}
	return out, nil
}

// graphFromName maps a key of RDFDataset.Graphs to the graph term.
func graphFromName(name string) (Term, error) {
	switch {
	case name == jsonGoldDefaultGraph:
		return Term{}, nil
	case strings.HasPrefix(name, "_:"):
		return Blank(name[2:]), nil
	case name == "":
		return Term{}, fmt.Errorf("%w: empty graph name", ErrInvalidTerm)
	}
	return IRI(name), nil
}

func quadFromJSONGold(q *ld.Quad, graph Term, i int) (Quad, error) {
	if q == nil {
		return Quad{}, &TermError{Quad: i, Position: "quad", Msg: "nil quad"}
	}
	var out Quad
	var err error
	nodes := [3]ld.Node{q.Subject, q.Predicate, q.Object}
	terms := [3]*Term{&out.Subject, &out.Predicate, &out.Object}
	for p, n := range nodes {
		if *terms[p], err = termFromJSONGold(n); err != nil {
			return Quad{}, &TermError{Quad: i, Position: positions[p], Msg: err.Error()}
		}
	}
	out.Graph = graph
	if q.Graph != nil {
		if out.Graph, err = termFromJSONGold(q.Graph); err != nil {
			return Quad{}, &TermError{Quad: i, Position: "graph", Msg: err.Error()}
		}
	}
	return out, nil
}

// termFromJSONGold converts one json-gold node, which json-gold creates as a value but
// callers may build as a pointer.
func termFromJSONGold(n ld.Node) (Term, error) {
	switch v := n.(type) {
	case ld.IRI:
		return IRI(v.Value), nil
	case *ld.IRI:
		if v != nil {
			return IRI(v.Value), nil
		}
	case ld.BlankNode:
		return blankFromJSONGold(v.Attribute)
	case *ld.BlankNode:
		if v != nil {
			return blankFromJSONGold(v.Attribute)
		}
	case ld.Literal:
		return literalFromJSONGold(v), nil
	case *ld.Literal:
		if v != nil {
			return literalFromJSONGold(*v), nil
		}
	}
	return Term{}, fmt.Errorf("unsupported json-gold node %T", n)
}

func blankFromJSONGold(attr string) (Term, error) {
	id, ok := strings.CutPrefix(attr, "_:")
	if !ok {
		return Term{}, fmt.Errorf("blank node %q lacks the _: prefix", attr)
	}
	return Blank(id), nil
}

// literalFromJSONGold keeps the lexical form, datatype and language. json-gold gives
// xsd:string or rdf:langString explicitly, which canonical N-Quads leaves out; its
// NewLiteral also sets xsd:string on a language-tagged literal, which is read as
// rdf:langString (RDF 1.1 § 3.3: a literal with a language tag has that datatype).
func literalFromJSONGold(l ld.Literal) Term {
	t := Term{Kind: LiteralKind, Value: l.Value, Datatype: l.Datatype, Language: l.Language}
	if t.Language != "" && t.Datatype == XSDString {
		t.Datatype = RDFLangString
	}
	return t
}
