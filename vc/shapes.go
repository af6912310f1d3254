package vc

import (
	"strconv"
	"strings"
)

var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

// at appends reference tokens to a JSON Pointer, escaping them as RFC 6901 §3 requires.
func at(base string, tokens ...any) string {
	var b strings.Builder
	b.WriteString(base)
	for _, t := range tokens {
		b.WriteByte('/')
		switch t := t.(type) {
		case int:
			b.WriteString(strconv.Itoa(t))
		case string:
			b.WriteString(pointerEscaper.Replace(t))
		}
	}
	return b.String()
}

// oneOrMany returns v as a list: an array as is, any other value as a list of one.
// JSON-LD "one or more" values take either form.
func oneOrMany(v any) []any {
	if a, ok := v.([]any); ok {
		return a
	}
	return []any{v}
}

// pathOf is the pointer of item i of the value at path, which was an array iff isArray.
func pathOf(path string, isArray bool, i int) string {
	if isArray {
		return at(path, i)
	}
	return path
}

// urlValue checks that v is a string holding a URL and returns it.
func urlValue(v any, path string) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", malformed(path, "must be a URL string")
	}
	if !isURL(s) {
		return "", malformed(path, "%s is not a URL", quote(s))
	}
	return s, nil
}

// optionalID checks the id member of m when present (VC 2.0 §4.4: "If present, id property's
// value MUST be a single URL").
func optionalID(m map[string]any, path string) (string, error) {
	v, ok := m["id"]
	if !ok {
		return "", nil
	}
	return urlValue(v, at(path, "id"))
}

// typeValues checks a type member: one or more non-empty strings (VC 2.0 §4.5: "one or more
// terms and absolute URL strings"; whether each term is defined is a JSON-LD matter).
func typeValues(v any, path string) ([]string, error) {
	items := oneOrMany(v)
	_, isArray := v.([]any)
	if len(items) == 0 {
		return nil, malformed(path, "must hold at least one type")
	}
	types := make([]string, len(items))
	for i, item := range items {
		s, ok := item.(string)
		if !ok || s == "" {
			return nil, malformed(pathOf(path, isArray, i), "a type must be a non-empty string")
		}
		types[i] = s
	}
	return types, nil
}

// requiredTypes checks that m has a type member and returns its values.
func requiredTypes(m map[string]any, path string) ([]string, error) {
	v, ok := m["type"]
	if !ok {
		return nil, malformed(at(path, "type"), "type is required")
	}
	return typeValues(v, at(path, "type"))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// objectList checks that v is an object or a non-empty array of objects.
func objectList(v any, path string) ([]map[string]any, error) {
	items := oneOrMany(v)
	_, isArray := v.([]any)
	if len(items) == 0 {
		return nil, malformed(path, "must hold at least one object")
	}
	out := make([]map[string]any, len(items))
	for i, item := range items {
		m, ok := item.(map[string]any)
		if !ok {
			return nil, malformed(pathOf(path, isArray, i), "must be an object")
		}
		out[i] = m
	}
	return out, nil
}

// quote returns a short quoted excerpt of s for error details.
func quote(s string) string {
	const limit = 64
	if len(s) > limit {
		s = s[:limit] + "…"
	}
	return strconv.Quote(s)
}
