package jcs

import (
	"fmt"
	"slices"
	"unicode/utf8"
)

// AppendValue appends the canonical form of a decoded JSON value (as
// encoding/json or internal/jsonin decode it: maps, slices, strings, bools, nil,
// numbers) to dst, with the default bounds. See [Options.AppendValue].
func AppendValue(dst []byte, v any) ([]byte, error) {
	return Options{}.AppendValue(dst, v)
}

// AppendValue appends the canonical form of a decoded JSON value to dst without
// encoding it and parsing it back: the bytes are those Marshal gives. Numbers and
// values of other Go types go through Marshal. It fails with an error wrapping
// ErrTooDeep or ErrInvalidString, or Marshal's error.
func (o Options) AppendValue(dst []byte, v any) ([]byte, error) {
	return o.appendValue(dst, v, 0)
}

// AppendString appends s as a canonical JSON string (RFC 8785 section 3.2.2.2); it
// fails with ErrInvalidString when s is not valid UTF-8.
func AppendString(dst []byte, s string) ([]byte, error) {
	if !utf8.ValidString(s) {
		return nil, fmt.Errorf("%w: %q", ErrInvalidString, s)
	}
	return appendString(dst, s), nil
}

func (o Options) appendValue(dst []byte, v any, depth int) ([]byte, error) {
	if depth > o.maxDepth() {
		return nil, ErrTooDeep
	}
	switch v := v.(type) {
	case nil:
		return append(dst, "null"...), nil
	case bool:
		if v {
			return append(dst, "true"...), nil
		}
		return append(dst, "false"...), nil
	case string:
		return AppendString(dst, v)
	case map[string]any:
		return o.appendObject(dst, v, depth)
	case []any:
		dst = append(dst, '[')
		for i, e := range v {
			if i > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = o.appendValue(dst, e, depth+1); err != nil {
				return nil, err
			}
		}
		return append(dst, ']'), nil
	}
	// Numbers (json.Number, float64, integers) and other Go values.
	b, err := o.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(dst, b...), nil
}

// appendObject writes the members sorted by their UTF-16 code units (RFC 8785
// section 3.2.3).
func (o Options) appendObject(dst []byte, m map[string]any, depth int) ([]byte, error) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, compareUTF16[string])
	dst = append(dst, '{')
	for i, k := range keys {
		if i > 0 {
			dst = append(dst, ',')
		}
		var err error
		if dst, err = AppendString(dst, k); err != nil {
			return nil, err
		}
		dst = append(dst, ':')
		if dst, err = o.appendValue(dst, m[k], depth+1); err != nil {
			return nil, err
		}
	}
	return append(dst, '}'), nil
}
