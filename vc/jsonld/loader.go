package jsonld

import (
	"encoding/json"
	"fmt"

	"github.com/piprate/json-gold/ld"
)

// maxContextBytes bounds a context document registered with NewLoader.
const maxContextBytes = 1 << 20

// Loader is a json-gold document loader that serves the embedded contexts and
// the ones registered with NewLoader, and nothing else. It never touches the
// network. It is safe for concurrent use.
type Loader struct {
	docs map[string]any // parsed documents, copied out on every load
}

var _ ld.DocumentLoader = (*Loader)(nil)

// NewLoader returns a Loader serving the embedded contexts plus extra, which
// maps a context URL to its document (a JSON object with an @context entry).
// An extra URL may not replace an embedded context. It fails with an error
// wrapping ErrInvalidContext.
func NewLoader(extra map[string][]byte) (*Loader, error) {
	l := &Loader{docs: make(map[string]any, len(embeddedFiles)+len(extra))}
	for url := range embeddedFiles {
		b, _ := Embedded(url)
		if err := l.add(url, b); err != nil {
			return nil, err
		}
	}
	for url, b := range extra {
		if _, ok := embeddedFiles[url]; ok {
			return nil, fmt.Errorf("%w: %s would replace an embedded context", ErrInvalidContext, url)
		}
		if err := l.add(url, b); err != nil {
			return nil, err
		}
	}
	return l, nil
}

func (l *Loader) add(url string, b []byte) error {
	if len(b) > maxContextBytes {
		return fmt.Errorf("%w: %s is larger than %d bytes", ErrInvalidContext, url, maxContextBytes)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrInvalidContext, url, err)
	}
	if _, ok := doc["@context"]; !ok {
		return fmt.Errorf("%w: %s has no @context entry", ErrInvalidContext, url)
	}
	l.docs[url] = doc
	return nil
}

// LoadDocument returns the context document registered for u, or an error
// wrapping ErrUnknownContext. Each call returns a fresh copy, so a caller
// (json-gold merges @import into the imported map) cannot alter the next one.
func (l *Loader) LoadDocument(u string) (*ld.RemoteDocument, error) {
	doc, ok := l.docs[u]
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrUnknownContext, u)
	}
	return &ld.RemoteDocument{DocumentURL: u, Document: copyJSON(doc)}, nil
}

// copyJSON deep-copies a value decoded by encoding/json.
func copyJSON(v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, e := range v {
			m[k] = copyJSON(e)
		}
		return m
	case []any:
		s := make([]any, len(v))
		for i, e := range v {
			s[i] = copyJSON(e)
		}
		return s
	default:
		return v
	}
}
