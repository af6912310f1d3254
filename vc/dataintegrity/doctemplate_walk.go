package dataintegrity

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kakunin-dev/kakunin/jcs"
)

// docWalker reads a document in a fixed order (object members sorted by
// name) and splits it into a skeleton and slots. The slots are the string
// values that JSON-LD processing may copy into the RDF dataset unchanged. The
// skeleton is an unambiguous serialization of everything else: two documents
// that differ other than in slot values have different skeletons. It keeps,
// verbatim, the @context, type values, keyword values other than @id and
// @value, empty strings and strings that start with "@", numbers, booleans
// and nulls; of a slot it keeps only its class: the scheme it starts with, if
// any, and whether "//" follows, which decide how JSON-LD expands it as an
// IRI. When mark is set, the walker also returns a copy of the document with
// each slot replaced by mark(index, value).
type docWalker struct {
	skeleton []byte
	slots    []string
	mark     func(i int, s string) string
}

// maxWalkDepth bounds the nesting the walker follows.
const maxWalkDepth = 64

func (w *docWalker) value(v any, parent string, depth int) (any, bool) {
	if depth > maxWalkDepth {
		return nil, false
	}
	switch v := v.(type) {
	case map[string]any:
		return w.object(v, depth)
	case []any:
		return w.array(v, parent, depth)
	case string:
		return w.str(v, parent)
	}
	b, err := jcsOptions.AppendValue(w.skeleton, v)
	if err != nil {
		return nil, false
	}
	w.skeleton = b
	return v, true
}

func (w *docWalker) object(m map[string]any, depth int) (any, bool) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var out map[string]any
	if w.mark != nil {
		out = make(map[string]any, len(m))
	}
	w.skeleton = append(w.skeleton, '{')
	for i, k := range keys {
		if i > 0 {
			w.skeleton = append(w.skeleton, ',')
		}
		if !w.quote(k) {
			return nil, false
		}
		w.skeleton = append(w.skeleton, ':')
		v := m[k]
		if k == "@context" {
			b, err := jcsOptions.AppendValue(w.skeleton, v)
			if err != nil {
				return nil, false
			}
			w.skeleton = b
		} else {
			var ok bool
			if v, ok = w.value(v, k, depth+1); !ok {
				return nil, false
			}
		}
		if out != nil {
			out[k] = v
		}
	}
	w.skeleton = append(w.skeleton, '}')
	if out == nil {
		return m, true
	}
	return out, true
}

func (w *docWalker) array(a []any, parent string, depth int) (any, bool) {
	var out []any
	if w.mark != nil {
		out = make([]any, len(a))
	}
	w.skeleton = append(w.skeleton, '[')
	for i, e := range a {
		if i > 0 {
			w.skeleton = append(w.skeleton, ',')
		}
		e, ok := w.value(e, parent, depth+1)
		if !ok {
			return nil, false
		}
		if out != nil {
			out[i] = e
		}
	}
	w.skeleton = append(w.skeleton, ']')
	if out == nil {
		return a, true
	}
	return out, true
}

func (w *docWalker) str(s, parent string) (any, bool) {
	if fixedString(s, parent) {
		w.skeleton = append(w.skeleton, '=')
		return s, w.quote(s)
	}
	w.skeleton = append(w.skeleton, '$')
	if scheme, slashes, ok := iriClass(s); ok {
		if !w.quote(scheme) {
			return nil, false
		}
		if slashes {
			w.skeleton = append(w.skeleton, '/')
		}
	}
	if !utf8.ValidString(s) {
		return nil, false
	}
	i := len(w.slots)
	w.slots = append(w.slots, s)
	if w.mark != nil {
		return w.mark(i, s), true
	}
	return s, true
}

// quote appends s as a JSON string, failing for invalid UTF-8.
func (w *docWalker) quote(s string) bool {
	b, err := jcs.AppendString(w.skeleton, s)
	if err != nil {
		return false
	}
	w.skeleton = b
	return true
}

// fixedString reports whether a string value belongs in the skeleton.
func fixedString(s, parent string) bool {
	if s == "" || s[0] == '@' || parent == "type" || parent == "@type" {
		return true
	}
	return strings.HasPrefix(parent, "@") && parent != "@id" && parent != "@value"
}

// iriClass returns the scheme of s, if it has one, and whether "//" follows.
func iriClass(s string) (scheme string, slashes, ok bool) {
	scheme, rest, ok := strings.Cut(s, ":")
	if !ok || scheme == "" {
		return "", false, false
	}
	return scheme, strings.HasPrefix(rest, "//"), true
}

// marker is the stand-in for slot i: it has the class of s, and a form that
// no other term of the dataset has ("kkslot" and the index, closed by "x").
func marker(i int, s string) string {
	body := "kkslot" + strconv.Itoa(i) + "x"
	scheme, slashes, ok := iriClass(s)
	switch {
	case !ok:
		return body
	case slashes:
		return scheme + "://" + body
	}
	return scheme + ":" + body
}

const markerTag = "kkslot"
