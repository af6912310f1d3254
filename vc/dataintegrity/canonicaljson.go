package dataintegrity

import "github.com/kakunin-dev/kakunin/jcs"

// jcsOptions bounds the nesting of the documents and proof configurations that
// are canonicalized (RFC 8785) for the JCS cryptosuites and for output.
var jcsOptions = jcs.Options{MaxDepth: 128}

// marshalJCS returns the RFC 8785 (JCS) canonical form of a decoded JSON value.
func marshalJCS(v any) ([]byte, error) {
	return jcsOptions.AppendValue(make([]byte, 0, 1024), v)
}
