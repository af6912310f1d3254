package dataintegrity

import (
	"errors"

	"github.com/kakunin-dev/kakunin/jcs"
)

// jcsOptions bounds the nesting of the documents and proof configurations that
// are canonicalized (RFC 8785) for the JCS cryptosuites and for output.
var jcsOptions = jcs.Options{MaxDepth: 128}

// marshalJCS returns the RFC 8785 (JCS) canonical form of a decoded JSON value.
func marshalJCS(v any) ([]byte, error) {
	return jcsOptions.AppendValue(make([]byte, 0, 1024), v)
}

// proofJCSOptions bounds the proof member as jcsOptions bounds it inside the document, one
// level down.
var proofJCSOptions = jcs.Options{MaxDepth: jcsOptions.MaxDepth - 1}

var errCanonicalForm = errors.New("not the canonical form of an object")

// secureJCS returns marshalJCS(secured) from canon, the JCS of secured without its proof
// member, by writing the proof member in at its place in the sorted order. "proof" is ASCII,
// so byte order places it among the other names as the UTF-16 order of JCS does.
func secureJCS(canon []byte, secured map[string]any) ([]byte, error) {
	before := 0
	for k := range secured {
		if k < "proof" {
			before++
		}
	}
	if len(canon) < 2 || canon[0] != '{' {
		return nil, errCanonicalForm
	}
	at := 1 // where the member goes: after '{', or at the ',' or '}' that ends a member
	for i := range before {
		end, err := memberEnd(canon, at+min(i, 1))
		if err != nil {
			return nil, err
		}
		at = end
	}
	out := make([]byte, 0, len(canon)+512)
	out = append(out, canon[:at]...)
	if before > 0 {
		out = append(out, ',')
	}
	out = append(out, `"proof":`...)
	out, err := proofJCSOptions.AppendValue(out, secured["proof"])
	if err != nil {
		return nil, err
	}
	if before == 0 && canon[1] != '}' {
		out = append(out, ',')
	}
	return append(out, canon[at:]...), nil
}

// memberEnd returns the offset of the ',' or '}' that ends the member of the canonical
// object b starting at start.
func memberEnd(b []byte, start int) (int, error) {
	depth, inString := 0, false
	for i := start; i < len(b); i++ {
		c := b[i]
		switch {
		case inString && c == '\\':
			i++
		case inString:
			inString = c != '"'
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
		case (c == '}' || c == ']') && depth > 0:
			depth--
		case depth == 0 && (c == '}' || c == ','):
			return i, nil
		}
	}
	return 0, errCanonicalForm
}
