package compliance

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kakunin-dev/kakunin/vc"
)

// Bounds shared with spec/schemas/compliance-credential.json.
const (
	maxList     = 32   // articles, controls, safeguards
	maxEvidence = 16   // audit-log evidence entries
	maxText     = 256  // names, versions, origins
	maxURL      = 2048 // URLs and DIDs
)

// malformed reports a MALFORMED_VALUE_ERROR at the JSON Pointer path, wrapping cause if any.
func malformed(path string, cause error, format string, args ...any) error {
	return &vc.Error{Type: vc.MalformedValueError, Path: path, Detail: fmt.Sprintf(format, args...), Err: cause}
}

var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

func at(path string, token any) string {
	switch t := token.(type) {
	case int:
		return path + "/" + strconv.Itoa(t)
	default:
		return path + "/" + pointerEscaper.Replace(t.(string))
	}
}

// object is a JSON object being read, with its JSON Pointer.
type object struct {
	m    map[string]any
	path string
}

// asObject checks that v is an object whose members are all among allowed.
func asObject(v any, path string, allowed ...string) (object, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return object{}, malformed(path, nil, "must be an object")
	}
	for k := range m {
		if !slices.Contains(allowed, k) {
			return object{}, malformed(at(path, k), nil, "unknown member %s (allowed: %s)", quote(k), strings.Join(allowed, ", "))
		}
	}
	return object{m: m, path: path}, nil
}

func (o object) has(name string) bool { _, ok := o.m[name]; return ok }

// str returns a string member; a required member must be present, and a present one must be a
// non-empty string of at most max bytes.
func (o object) str(name string, required bool, max int) (string, error) {
	v, ok := o.m[name]
	if !ok {
		if required {
			return "", malformed(at(o.path, name), nil, "%s is required", name)
		}
		return "", nil
	}
	s, ok := v.(string)
	if !ok || s == "" || utf8.RuneCountInString(s) > max {
		return "", malformed(at(o.path, name), nil, "must be a non-empty string of at most %d characters", max)
	}
	return s, nil
}

// strings returns an array member of unique non-empty strings, 1 to maxItems long.
func (o object) strings(name string, required bool, maxItems, maxLen int) ([]string, error) {
	v, ok := o.m[name]
	if !ok {
		if required {
			return nil, malformed(at(o.path, name), nil, "%s is required", name)
		}
		return nil, nil
	}
	items, err := array(v, at(o.path, name), maxItems)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(items))
	for i, item := range items {
		s, ok := item.(string)
		p := at(at(o.path, name), i)
		if !ok || s == "" || utf8.RuneCountInString(s) > maxLen {
			return nil, malformed(p, nil, "must be a non-empty string of at most %d characters", maxLen)
		}
		if slices.Contains(out[:i], s) {
			return nil, malformed(p, nil, "duplicate item %s", quote(s))
		}
		out[i] = s
	}
	return out, nil
}

// array checks that v is an array of 1 to max items.
func array(v any, path string, max int) ([]any, error) {
	items, ok := v.([]any)
	if !ok || len(items) == 0 || len(items) > max {
		return nil, malformed(path, nil, "must be an array of 1 to %d items", max)
	}
	return items, nil
}

// integer returns a required integer member in [min, max]. JSON numbers arrive as
// json.Number from vc.ParseCredential and as float64 from encoding/json.
func (o object) integer(name string, min, max int64) (int64, error) {
	p := at(o.path, name)
	v, ok := o.m[name]
	if !ok {
		return 0, malformed(p, nil, "%s is required", name)
	}
	var n int64
	var err error
	switch v := v.(type) {
	case json.Number:
		if n, err = strconv.ParseInt(string(v), 10, 64); err != nil {
			n, err = integral(string(v))
		}
	case float64:
		n, err = integral(strconv.FormatFloat(v, 'g', -1, 64))
	default:
		err = strconv.ErrSyntax
	}
	if err != nil || n < min || n > max {
		return 0, malformed(p, nil, "must be an integer from %d to %d", min, max)
	}
	return n, nil
}

// integral accepts a number literal with a zero fraction ("10.0", "1e1"), as JSON Schema's
// "integer" type does, when it is small enough to be exact.
func integral(s string) (int64, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != float64(int64(f)) || f > 1<<53 || f < -(1<<53) {
		return 0, strconv.ErrSyntax
	}
	return int64(f), nil
}

func quote(s string) string {
	const limit = 64
	if len(s) > limit {
		s = s[:limit] + "…"
	}
	return strconv.Quote(s)
}

// boolean returns a boolean member; required says whether it must be present.
func (o object) boolean(name string, required bool) (bool, error) {
	v, ok := o.m[name]
	if !ok {
		if required {
			return false, malformed(at(o.path, name), nil, "%s is required", name)
		}
		return false, nil
	}
	b, ok := v.(bool)
	if !ok {
		return false, malformed(at(o.path, name), nil, "must be true or false")
	}
	return b, nil
}

// enum returns a string member that must be one of values.
func (o object) enum(name string, required bool, values ...string) (string, error) {
	s, err := o.str(name, required, maxText)
	if err != nil || s == "" {
		return s, err
	}
	if !slices.Contains(values, s) {
		return "", malformed(at(o.path, name), nil, "must be one of %s", strings.Join(values, ", "))
	}
	return s, nil
}

// enums returns an array member of unique strings, each one of values.
func (o object) enums(name string, required bool, values ...string) ([]string, error) {
	list, err := o.strings(name, required, maxList, maxText)
	if err != nil {
		return nil, err
	}
	for i, s := range list {
		if !slices.Contains(values, s) {
			return nil, malformed(at(at(o.path, name), i), nil, "must be one of %s", strings.Join(values, ", "))
		}
	}
	return list, nil
}
