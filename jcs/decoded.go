package jcs

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/kakunin-dev/kakunin/internal/jsonin"
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
	// A number literal as internal/jsonin decodes it: Marshal would write the literal as is
	// and Transform parse it to this double, unless it is out of range.
	if n, ok := v.(json.Number); ok && jsonin.ValidNumber(string(n)) {
		if f, err := strconv.ParseFloat(string(n), 64); err == nil {
			return appendNumber(dst, f), nil
		}
	}
	// Other numbers (float64, integers), out-of-range literals and other Go values.
	b, err := o.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(dst, b...), nil
}

// field is an object member being written.
type field struct {
	name  string
	value any
}

// appendObject writes the members sorted by their UTF-16 code units (RFC 8785
// section 3.2.3).
func (o Options) appendObject(dst []byte, m map[string]any, depth int) ([]byte, error) {
	var buf [16]field // most objects fit, and then sorting allocates nothing
	fields := buf[:0]
	if len(m) > len(buf) {
		fields = make([]field, 0, len(m))
	}
	for k, v := range m {
		fields = append(fields, field{k, v})
	}
	slices.SortFunc(fields, func(a, b field) int { return compareUTF16(a.name, b.name) })
	dst = append(dst, '{')
	for i := range fields {
		if i > 0 {
			dst = append(dst, ',')
		}
		var err error
		if dst, err = AppendString(dst, fields[i].name); err != nil {
			return nil, err
		}
		dst = append(dst, ':')
		if dst, err = o.appendValue(dst, fields[i].value, depth+1); err != nil {
			return nil, err
		}
	}
	return append(dst, '}'), nil
}
