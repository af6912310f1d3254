package jcs

import (
	"encoding/json"
	"fmt"
)

// Default bounds, used where an Options field is zero.
const (
	DefaultMaxBytes = 1 << 20 // 1 MiB of input
	DefaultMaxDepth = 64      // nested arrays and objects
)

// Options bounds the input that Transform accepts. The zero value is safe: it
// applies DefaultMaxBytes and DefaultMaxDepth.
type Options struct {
	// MaxBytes is the largest input accepted, in bytes; 0 means DefaultMaxBytes.
	MaxBytes int
	// MaxDepth is the deepest nesting of arrays and objects accepted; 0 means
	// DefaultMaxDepth.
	MaxDepth int
}

// Transform returns the RFC 8785 canonical form of the JSON text input with
// the default bounds. See [Options.Transform].
func Transform(input []byte) ([]byte, error) {
	return Options{}.Transform(input)
}

// Marshal encodes v with encoding/json and returns the canonical form of the
// result, with the default bounds. Encoding errors are wrapped as returned by
// encoding/json (NaN and infinities are among them).
func Marshal(v any) ([]byte, error) {
	return Options{}.Marshal(v)
}

// Transform returns the RFC 8785 canonical form of the JSON text input.
//
// It fails with an error wrapping ErrTooLarge, ErrTooDeep, ErrSyntax,
// ErrInvalidString, ErrDuplicateKey or ErrNumber; a *SyntaxError gives the
// byte offset of the failure.
func (o Options) Transform(input []byte) ([]byte, error) {
	if len(input) > o.maxBytes() {
		return nil, &SyntaxError{Offset: o.maxBytes(), Err: ErrTooLarge}
	}
	p := parser{data: input, maxDepth: o.maxDepth()}
	root, err := p.document()
	if err != nil {
		return nil, err
	}
	if err := sortObjects(&root); err != nil {
		return nil, err
	}
	return appendValue(make([]byte, 0, len(input)), &root), nil
}

// Marshal encodes v with encoding/json, then canonicalizes it with o.
func (o Options) Marshal(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("jcs: %w", err)
	}
	return o.Transform(b)
}

func (o Options) maxBytes() int {
	if o.MaxBytes > 0 {
		return o.MaxBytes
	}
	return DefaultMaxBytes
}

func (o Options) maxDepth() int {
	if o.MaxDepth > 0 {
		return o.MaxDepth
	}
	return DefaultMaxDepth
}
