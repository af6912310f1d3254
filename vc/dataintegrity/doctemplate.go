package dataintegrity

import (
	"crypto"
	"errors"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/kakunin-dev/kakunin/jcs"
	"github.com/kakunin-dev/kakunin/vc/jsonld"
	"github.com/kakunin-dev/kakunin/vc/rdfc"
)

// Documents that an issuer signs, and that a verifier sees, come in few
// shapes: the same credential type with other subjects, dates and ids.
// documentCanonical learns, per processor and shape, an RDF template whose
// terms hold the document's slots (see docWalker), from JSON-LD processing of
// a copy of the document in which the slots are replaced by unique markers.
// A template is used only after it has given the same canonical form as
// JSON-LD processing for the document it was learned from; the shape also
// records which slots hold equal values (JSON-LD merges nodes with equal ids
// and drops duplicate values). Slots that JSON-LD does not copy verbatim
// into one term (a value expanded against the vocabulary, a blank node
// identifier, a value inside a @json literal) are "fixed": their values join
// the shape. IRI values are checked at every use with json-gold's own test.

// maxTemplates bounds each cache; beyond it, new shapes take the JSON-LD path.
// maxShapeBytes bounds the size of a shape worth a template, so that the
// caches hold at most a few megabytes whatever documents they see.
const (
	maxTemplates  = 256
	maxShapeBytes = 16 << 10
)

type templateKey struct {
	proc  *jsonld.Processor
	shape string
}

// boundedMap is a sync.Map that stops taking new keys at maxTemplates.
type boundedMap struct {
	m sync.Map
	n atomic.Int64
}

func (b *boundedMap) load(k templateKey) (any, bool) { return b.m.Load(k) }

// full reports whether b takes no new keys.
func (b *boundedMap) full() bool { return b.n.Load() >= maxTemplates }

func (b *boundedMap) store(k templateKey, v any) {
	if b.n.Load() >= maxTemplates {
		return
	}
	if _, loaded := b.m.LoadOrStore(k, v); !loaded {
		b.n.Add(1)
	}
}

var (
	skeletons boundedMap // skeleton -> []bool, the fixed slots (nil: unusable)
	templates boundedMap // shape -> *template (nil: unsafe)
)

// template is an RDF dataset whose terms at refs take slot values.
type template struct {
	quads []rdfc.Quad
	refs  []termRef
}

type termRef struct {
	quad int
	pos  int8 // 0 subject, 1 predicate, 2 object, 3 graph
	slot int
}

// documentCanonical returns the serialized canonical form of doc's dataset.
func documentCanonical(proc *jsonld.Processor, h crypto.Hash, doc map[string]any) ([]byte, error) {
	w := docWalker{skeleton: make([]byte, 0, 1024), slots: make([]string, 0, 32)}
	if _, ok := w.value(doc, "", 0); !ok || len(w.skeleton) > maxShapeBytes {
		return rdfCanonical(proc, h, doc)
	}
	skel := templateKey{proc, string(w.skeleton)}
	fixed, seen := skeletons.load(skel)
	if !seen && skeletons.full() {
		// Learning costs several JSON-LD runs; past the bound it would be paid
		// for every document of an unseen skeleton and kept for none.
		return rdfCanonical(proc, h, doc)
	}
	if !seen {
		fixed = classifySlots(proc, doc, len(w.slots))
		skeletons.store(skel, fixed)
	}
	if f := fixed.([]bool); f == nil || len(f) != len(w.slots) {
		return rdfCanonical(proc, h, doc)
	}
	shape := templateKey{proc, shapeOf(skel.shape, w.slots, fixed.([]bool))}
	if len(shape.shape) > 2*maxShapeBytes {
		return rdfCanonical(proc, h, doc)
	}
	if t, seen := templates.load(shape); seen {
		if ds, ok := t.(*template).instantiate(w.slots); ok {
			return canonicalNQuads(ds, h)
		}
		return rdfCanonical(proc, h, doc)
	}
	want, err := rdfCanonical(proc, h, doc)
	if err != nil {
		return nil, err // a property of the values: learn nothing
	}
	t := learnTemplate(proc, doc, fixed.([]bool))
	if ds, ok := t.instantiate(w.slots); !ok || !sameCanonical(ds, h, want) {
		t = nil
	}
	templates.store(shape, t)
	return want, nil
}

// shapeOf is the skeleton, the values of the fixed slots (quoted, so that the
// encoding stays unambiguous) and which slots have equal values.
func shapeOf(skeleton string, slots []string, fixed []bool) string {
	b := []byte(skeleton)
	first := make(map[string]int, len(slots))
	for i, s := range slots {
		b = append(b, 0)
		if fixed[i] {
			b, _ = jcs.AppendString(b, s) // cannot fail: the walker took only valid UTF-8
		}
		j, ok := first[s]
		if !ok {
			first[s], j = i, i
		}
		b = append(b, 1)
		b = append(b, itoa(j)...)
	}
	return string(b)
}

// learnTemplate builds the template of doc's shape, or nil.
// Slots with equal values share the marker of the first of them, so that
// JSON-LD merges and deduplicates them as it does the values.
func learnTemplate(proc *jsonld.Processor, doc map[string]any, fixed []bool) *template {
	markers := map[string]int{} // marker -> slot
	first := map[string]int{}   // value -> first slot with it
	w := docWalker{mark: func(i int, s string) string {
		if fixed[i] {
			return s
		}
		j, ok := first[s]
		if !ok {
			first[s], j = i, i
		}
		m := marker(j, s)
		markers[m] = j
		return m
	}}
	marked, ok := w.value(doc, "", 0)
	if !ok {
		return nil
	}
	ds, err := datasetOf(proc, marked)
	if err != nil {
		return nil
	}
	t := &template{quads: ds}
	safe := true
	eachTerm(ds, func(q int, pos int8, v string) {
		if i, ok := markers[v]; ok {
			t.refs = append(t.refs, termRef{quad: q, pos: pos, slot: i})
		} else if strings.Contains(v, markerTag) {
			safe = false
		}
	})
	if !safe {
		return nil
	}
	return t
}

// markedDataset runs JSON-LD processing on doc with the chosen slots marked.
func markedDataset(proc *jsonld.Processor, doc map[string]any, chosen func(int) bool) (rdfc.Dataset, error) {
	w := docWalker{mark: func(i int, s string) string {
		if chosen(i) {
			return marker(i, s)
		}
		return s
	}}
	marked, ok := w.value(doc, "", 0)
	if !ok {
		return nil, errUnwalkable
	}
	return datasetOf(proc, marked)
}

// errUnwalkable is markedDataset's error for a document the walker refuses.
var errUnwalkable = errors.New("dataintegrity: document has no template shape")

// datasetOf is the RDF dataset of doc by JSON-LD processing.
func datasetOf(proc *jsonld.Processor, doc any) (rdfc.Dataset, error) {
	gold, err := proc.ToRDF(doc)
	if err != nil {
		return nil, err
	}
	return rdfc.FromJSONGold(gold)
}

// instantiate returns the template's dataset with the slot values, or false
// when a value that lands in an IRI fails json-gold's IRI test.
func (t *template) instantiate(slots []string) (rdfc.Dataset, bool) {
	if t == nil {
		return nil, false
	}
	ds := slices.Clone(t.quads)
	for _, r := range t.refs {
		term := quadTerm(&ds[r.quad], r.pos)
		v := slots[r.slot]
		if term.Kind == rdfc.IRIKind && !validIRI(v) {
			return nil, false
		}
		term.Value = v
	}
	return ds, true
}

func quadTerm(q *rdfc.Quad, pos int8) *rdfc.Term {
	switch pos {
	case 0:
		return &q.Subject
	case 1:
		return &q.Predicate
	case 2:
		return &q.Object
	}
	return &q.Graph
}

// eachTerm calls f with the value of every IRI and literal term of ds.
func eachTerm(ds rdfc.Dataset, f func(q int, pos int8, v string)) {
	for q := range ds {
		for pos := int8(0); pos < 4; pos++ {
			if t := quadTerm(&ds[q], pos); t.Kind == rdfc.IRIKind || t.Kind == rdfc.LiteralKind {
				f(q, pos, t.Value)
			}
		}
	}
}

func canonicalNQuads(ds rdfc.Dataset, h crypto.Hash) ([]byte, error) {
	res, err := rdfc.Canonicalize(ds, rdfc.Options{Hash: h})
	if err != nil {
		return nil, err
	}
	return res.NQuads, nil
}

func sameCanonical(ds rdfc.Dataset, h crypto.Hash, want []byte) bool {
	got, err := canonicalNQuads(ds, h)
	return err == nil && slices.Equal(got, want)
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}
