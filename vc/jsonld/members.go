package jsonld

import (
	"reflect"
	"strconv"
	"strings"
)

// Members of the input that expansion drops without an error even in safe
// mode are rejected by two walks over the input, which name each member by
// its JSON Pointer (RFC 6901):
//
//   - checkMemberNames, before expansion, rejects a member named "" (the
//     empty string). JSON-LD 1.1, section 9.1: a term "MUST NOT be an empty
//     string ("") as not all programming languages are able to handle empty
//     JSON keys". json-gold uses "" for "no active property": with an @vocab
//     in scope the key expands to the vocabulary IRI, but its value is then
//     expanded as a top-level value, so scalars, value objects and node
//     references under it vanish, and a node object under it fails oddly.
//     The rule holds inside @json literals too, which is stricter than
//     JSON-LD but keeps the check independent of expansion.
//   - checkNullMembers, after expansion, rejects a member whose value is
//     null, or an array item that is null. JSON-LD 1.1, General Terminology:
//     "A key-value pair in the body of a JSON-LD document whose value is null
//     has the same meaning as if the key-value pair was not defined", so the
//     member would be in the signed document but not in its RDF. @json
//     literals (the maps in jsonLiterals) keep their nulls, so are not walked.
//
// Undefined terms, including terms mapped to null in the context, fail inside
// expansion. @context entries are context definitions, where null is
// meaningful, so neither walk enters them.
func checkMemberNames(doc any) error {
	if loss := (memberWalk{}).value(doc); loss != nil {
		return loss
	}
	return nil
}

func checkNullMembers(doc any, jsonLiterals map[uintptr]bool) error {
	if loss := (memberWalk{nulls: true, jsonLiterals: jsonLiterals}).value(doc); loss != nil {
		return loss
	}
	return nil
}

// memberWalk checks member names, or member values for null. The path of a
// failure is built as the recursion unwinds, so a clean document costs no
// allocation.
type memberWalk struct {
	nulls        bool
	jsonLiterals map[uintptr]bool // @value maps of @json literals, by identity
}

func (w memberWalk) value(v any) *DataLossError {
	switch v := v.(type) {
	case map[string]any:
		if w.jsonLiterals[reflect.ValueOf(v).Pointer()] {
			return nil
		}
		return w.object(v)
	case []any:
		for i, item := range v {
			var loss *DataLossError
			if item == nil && w.nulls {
				loss = &DataLossError{Reason: "null array item", Err: ErrDataLoss}
			} else {
				loss = w.value(item)
			}
			if loss != nil {
				loss.Path = "/" + strconv.Itoa(i) + loss.Path
				return loss
			}
		}
	}
	return nil
}

func (w memberWalk) object(m map[string]any) *DataLossError {
	for key, v := range m {
		if key == "@context" {
			continue
		}
		var loss *DataLossError
		switch {
		case key == "" && !w.nulls:
			loss = &DataLossError{Reason: "empty member name", Err: ErrDataLoss}
		case v == nil && w.nulls:
			loss = &DataLossError{Reason: "null member value", Err: ErrDataLoss}
		default:
			loss = w.value(v)
		}
		if loss != nil {
			loss.Path = "/" + pointerToken(key) + loss.Path
			return loss
		}
	}
	return nil
}

// pointerToken escapes a member name for a JSON Pointer (RFC 6901, section
// 3: "~" is written "~0" and "/" is written "~1").
func pointerToken(key string) string {
	if !strings.ContainsAny(key, "~/") {
		return key
	}
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(key)
}
