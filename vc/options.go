package vc

import "github.com/kakunin-dev/kakunin/internal/jsonin"

// ParseOptions bound and select the input of [ParseCredential] and [ParsePresentation]. The zero
// value is safe: 1 MiB, depth 64, Data Model 2.0 and 1.1 both accepted.
type ParseOptions struct {
	// MaxBytes is the largest accepted document; zero means 1 MiB.
	MaxBytes int64
	// MaxDepth is the deepest accepted nesting of objects and arrays; zero means 64.
	MaxDepth int
	// RejectV1 refuses Data Model 1.1 documents (base context
	// https://www.w3.org/2018/credentials/v1), including 1.1 credentials inside a presentation.
	RejectV1 bool
}

func (o ParseOptions) json() jsonin.Options {
	return jsonin.Options{MaxBytes: o.MaxBytes, MaxDepth: o.MaxDepth}
}

// Version is the data model version a document declares through its first @context item.
type Version int

// Versions of the data model.
const (
	Version20 Version = iota + 1 // https://www.w3.org/ns/credentials/v2
	Version11                    // https://www.w3.org/2018/credentials/v1
)

// Base contexts of the two versions.
const (
	ContextV2 = "https://www.w3.org/ns/credentials/v2"
	ContextV1 = "https://www.w3.org/2018/credentials/v1"
)

func (v Version) String() string {
	switch v {
	case Version20:
		return "2.0"
	case Version11:
		return "1.1"
	default:
		return "unknown"
	}
}
