package claims

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Object is a JSON object being read: its members and its JSON Pointer.
type Object struct {
	Members map[string]any
	Path    string
}

// AsObject checks that v is an object whose members are all among allowed.
func AsObject(v any, path string, allowed ...string) (Object, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return Object{}, Malformed(path, nil, "must be an object")
	}
	for k := range m {
		if !slices.Contains(allowed, k) {
			return Object{}, Malformed(At(path, k), nil, "unknown member %s (allowed: %s)", Quote(k), strings.Join(allowed, ", "))
		}
	}
	return Object{Members: m, Path: path}, nil
}

// Has reports whether the member name is present.
func (o Object) Has(name string) bool { _, ok := o.Members[name]; return ok }

// Str returns a string member; a required member must be present, and a present one must be a
// non-empty string of at most max characters. An absent optional member is "".
func (o Object) Str(name string, required bool, max int) (string, error) {
	v, ok := o.Members[name]
	if !ok {
		if required {
			return "", Malformed(At(o.Path, name), nil, "%s is required", name)
		}
		return "", nil
	}
	s, ok := v.(string)
	if !ok || s == "" || utf8.RuneCountInString(s) > max {
		return "", Malformed(At(o.Path, name), nil, "must be a non-empty string of at most %d characters", max)
	}
	return s, nil
}

// Strings returns an array member of 1 to maxItems unique non-empty strings of at most maxLen
// characters each. An absent optional member is nil.
func (o Object) Strings(name string, required bool, maxItems, maxLen int) ([]string, error) {
	v, ok := o.Members[name]
	if !ok {
		if required {
			return nil, Malformed(At(o.Path, name), nil, "%s is required", name)
		}
		return nil, nil
	}
	items, err := Array(v, At(o.Path, name), maxItems)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(items))
	for i, item := range items {
		s, ok := item.(string)
		p := At(At(o.Path, name), i)
		if !ok || s == "" || utf8.RuneCountInString(s) > maxLen {
			return nil, Malformed(p, nil, "must be a non-empty string of at most %d characters", maxLen)
		}
		if slices.Contains(out[:i], s) {
			return nil, Malformed(p, nil, "duplicate item %s", Quote(s))
		}
		out[i] = s
	}
	return out, nil
}

// Boolean returns a boolean member; an absent optional member is false.
func (o Object) Boolean(name string, required bool) (bool, error) {
	v, ok := o.Members[name]
	if !ok {
		if required {
			return false, Malformed(At(o.Path, name), nil, "%s is required", name)
		}
		return false, nil
	}
	b, ok := v.(bool)
	if !ok {
		return false, Malformed(At(o.Path, name), nil, "must be true or false")
	}
	return b, nil
}

// Array checks that v is an array of 1 to max items.
func Array(v any, path string, max int) ([]any, error) {
	items, ok := v.([]any)
	if !ok || len(items) == 0 || len(items) > max {
		return nil, Malformed(path, nil, "must be an array of 1 to %d items", max)
	}
	return items, nil
}
