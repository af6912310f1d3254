// Package jsonin decodes untrusted JSON strictly, before any other processing sees it.
//
// Every HTTP handler and every credential parser in kakunin goes through it. Input must be an
// I-JSON message (RFC 7493): UTF-8 without invalid sequences, no lone surrogate escapes and no
// Unicode noncharacters in strings, no duplicate member names in an object. On top of that the
// input is bounded in size and in nesting depth, and must hold exactly one JSON value (trailing
// data other than whitespace is an error).
//
// Call [Decode] to obtain a generic value (objects are map[string]any, arrays []any, numbers
// [encoding/json.Number] holding the exact literal, strings string, booleans bool, null nil),
// [Unmarshal] to fill a struct, and [ReadAll] to take a request body under the size limit.
// Errors are [*Error] values that wrap one of [ErrTooLarge], [ErrTooDeep], [ErrDuplicateKey],
// [ErrInvalidUTF8] or [ErrSyntax]; branch on them with [errors.Is].
package jsonin

import (
	"encoding/json/v2"
	"errors"
	"fmt"
	"io"
)

// Defaults applied when an [Options] field is zero.
const (
	DefaultMaxBytes = 1 << 20 // 1 MiB
	DefaultMaxDepth = 64
)

// Options bound the input. The zero value is safe: it applies [DefaultMaxBytes],
// [DefaultMaxDepth] and every I-JSON rule.
type Options struct {
	// MaxBytes is the largest accepted input, in bytes. Zero means DefaultMaxBytes.
	MaxBytes int64
	// MaxDepth is the deepest accepted nesting of objects and arrays; a top-level object or
	// array has depth 1. Zero means DefaultMaxDepth.
	MaxDepth int
	// AllowNoncharacters accepts Unicode noncharacters (U+FDD0..U+FDEF and U+xxFFFE/U+xxFFFF)
	// in strings, which RFC 7493 §2.1 forbids. Leave it false unless a peer is known to send them.
	AllowNoncharacters bool
}

func (o Options) maxBytes() int64 {
	if o.MaxBytes <= 0 {
		return DefaultMaxBytes
	}
	return o.MaxBytes
}

func (o Options) maxDepth() int {
	if o.MaxDepth <= 0 {
		return DefaultMaxDepth
	}
	return o.MaxDepth
}

// Decode checks data against every rule of the package and returns its value: map[string]any
// for objects, []any for arrays, json.Number (the exact literal, so that no precision is lost
// before canonicalization) for numbers, string, bool, or nil.
func Decode(data []byte, opts Options) (any, error) {
	return walk(data, opts, true)
}

// Unmarshal checks data like [Decode] and then stores it in v with encoding/json/v2, whose
// member-name matching is case-sensitive. Numbers stored in interface-typed fields become float64.
func Unmarshal(data []byte, v any, opts Options) error {
	if _, err := walk(data, opts, false); err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		e := &Error{Err: ErrSyntax, Detail: err.Error()}
		var se *json.SemanticError
		if errors.As(err, &se) {
			e.Offset, e.Pointer = se.ByteOffset, string(se.JSONPointer)
			if se.Err != nil {
				e.Detail = se.Err.Error()
			}
		}
		return e
	}
	return nil
}

// ReadAll reads r to its end, failing with [ErrTooLarge] as soon as more than the size limit of
// opts has arrived, so that a body is never buffered beyond the limit.
func ReadAll(r io.Reader, opts Options) ([]byte, error) {
	limit := opts.maxBytes()
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("jsonin: reading input: %w", err)
	}
	if int64(len(data)) > limit {
		return nil, tooLarge(limit)
	}
	return data, nil
}

func tooLarge(limit int64) error {
	return &Error{Err: ErrTooLarge, Offset: limit, Detail: fmt.Sprintf("input exceeds %d bytes", limit)}
}
