package rdfc

// Kind is the kind of an RDF term. The zero Kind marks the default graph in Quad.Graph.
type Kind uint8

const (
	// DefaultGraph is the zero Kind: a Quad whose Graph has it is in the default graph.
	DefaultGraph Kind = iota
	// IRIKind is an IRI; Term.Value is the absolute IRI.
	IRIKind
	// BlankKind is a blank node; Term.Value is its identifier without "_:".
	BlankKind
	// LiteralKind is a literal; Term.Value is its lexical form.
	LiteralKind
)

// Well-known datatype IRIs.
const (
	XSDString     = "http://www.w3.org/2001/XMLSchema#string"
	RDFLangString = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
)

// Term is an RDF term: an IRI, a blank node or a literal. The zero Term stands for the
// default graph and is only valid as Quad.Graph.
type Term struct {
	Kind  Kind
	Value string
	// Datatype is the datatype IRI of a literal; "" means xsd:string (or rdf:langString
	// when Language is set).
	Datatype string
	// Language is the language tag of a literal ("" for none), kept as written.
	Language string
}

// IRI returns the IRI term for iri, which must be absolute.
func IRI(iri string) Term { return Term{Kind: IRIKind, Value: iri} }

// Blank returns the blank node term with identifier id (without "_:").
func Blank(id string) Term { return Term{Kind: BlankKind, Value: id} }

// Literal returns a literal with the given lexical form and datatype IRI ("" for xsd:string).
func Literal(lexical, datatype string) Term {
	return Term{Kind: LiteralKind, Value: lexical, Datatype: datatype}
}

// LangLiteral returns a language-tagged string (datatype rdf:langString).
func LangLiteral(lexical, lang string) Term {
	return Term{Kind: LiteralKind, Value: lexical, Language: lang}
}

// Quad is an RDF triple with the graph it belongs to; Graph is the zero Term for the
// default graph.
type Quad struct {
	Subject, Predicate, Object, Graph Term
}

// Dataset is an RDF dataset given as a list of quads. Duplicate quads are allowed in a
// Dataset and count once, since an RDF dataset is a set.
type Dataset []Quad

// positions names the quad components in errors.
var positions = [4]string{"subject", "predicate", "object", "graph"}

// Validate reports the first term of ds that RDF 1.1 or canonical N-Quads does not allow,
// as a *TermError wrapping ErrInvalidTerm.
func (ds Dataset) Validate() error {
	for i := range ds {
		if err := ds[i].validate(i); err != nil {
			return err
		}
	}
	return nil
}

func (q *Quad) validate(i int) error {
	checks := [4]struct {
		t       *Term
		allowed uint8 // bit set of Kinds
	}{
		{&q.Subject, 1<<IRIKind | 1<<BlankKind},
		{&q.Predicate, 1 << IRIKind},
		{&q.Object, 1<<IRIKind | 1<<BlankKind | 1<<LiteralKind},
		{&q.Graph, 1<<DefaultGraph | 1<<IRIKind | 1<<BlankKind},
	}
	for p, c := range checks {
		if c.t.Kind > LiteralKind || c.allowed&(1<<c.t.Kind) == 0 {
			return &TermError{Quad: i, Position: positions[p], Msg: "term kind not allowed here"}
		}
		if msg := checkTerm(c.t); msg != "" {
			return &TermError{Quad: i, Position: positions[p], Msg: msg}
		}
	}
	return nil
}

// checkTerm returns why t is invalid, or "".
func checkTerm(t *Term) string {
	switch t.Kind {
	case IRIKind:
		return checkIRI(t.Value)
	case BlankKind:
		if !validBlankLabel(t.Value) {
			return "blank node identifier is not a BLANK_NODE_LABEL"
		}
	case LiteralKind:
		return checkLiteral(t)
	default:
		if *t != (Term{}) {
			return "default graph term has a value"
		}
	}
	return ""
}

func checkLiteral(t *Term) string {
	if !validUTF8(t.Value) {
		return "literal is not valid UTF-8"
	}
	if t.Language != "" {
		if !validLangTag(t.Language) {
			return "malformed language tag"
		}
		if t.Datatype != "" && t.Datatype != RDFLangString {
			return "language-tagged literal with a datatype other than rdf:langString"
		}
		return ""
	}
	if t.Datatype == RDFLangString {
		return "rdf:langString literal without a language tag"
	}
	if t.Datatype != "" {
		return checkIRI(t.Datatype)
	}
	return ""
}

// checkIRI accepts an absolute IRI made of characters that an IRIREF may hold unescaped:
// RFC 3987 allows none of U+0000–U+0020 and <>"{}|^`\ in an IRI, so an IRI holding one
// is rejected rather than given an escaped spelling that peers would not reproduce.
func checkIRI(s string) string {
	if !validUTF8(s) {
		return "IRI is not valid UTF-8"
	}
	if !hasScheme(s) {
		return "IRI is not absolute"
	}
	for i := 0; i < len(s); i++ {
		if iriForbidden[s[i]] {
			return "IRI holds a character that IRIs may not contain"
		}
	}
	return ""
}

// iriForbidden[c] is forbiddenInIRI(c) for every byte; bytes of multi-byte UTF-8
// sequences are all allowed.
var iriForbidden = func() (t [256]bool) {
	for c := range t {
		t[c] = forbiddenInIRI(rune(c))
	}
	return t
}()

// hasScheme reports whether s starts with scheme ":" (RFC 3986 § 3.1).
func hasScheme(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return true
		default:
			return false
		}
	}
	return false
}

func forbiddenInIRI(r rune) bool {
	switch r {
	case '<', '>', '"', '{', '}', '|', '^', '`', '\\':
		return true
	}
	return r <= 0x20
}

// validLangTag matches LANGTAG without its "@": [a-zA-Z]+ ('-' [a-zA-Z0-9]+)*.
func validLangTag(s string) bool {
	if s == "" {
		return false
	}
	first, run := true, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			run++
		case c >= '0' && c <= '9' && !first:
			run++
		case c == '-' && run > 0:
			first, run = false, 0
		default:
			return false
		}
	}
	return run > 0
}
