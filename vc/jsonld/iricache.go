package jsonld

import (
	"sync"
	"sync/atomic"

	"github.com/piprate/json-gold/ld"
)

// maxCachedIRIs bounds the IRI validity cache; IRIs beyond it are validated
// on every use.
const maxCachedIRIs = 1 << 14

// validIRIs remembers which IRIs pass json-gold's validity test. The test runs
// a large regular expression over every http(s) IRI, which dominated ToRDF,
// while credentials repeat the same vocabulary IRIs; the result depends on
// the string alone, so it is shared by all Processors.
var validIRIs iriCache

type iriCache struct {
	entries sync.Map // string -> bool
	size    atomic.Int64
}

func (c *iriCache) check(iri string) bool {
	if ok, seen := c.entries.Load(iri); seen {
		return ok.(bool)
	}
	ok := !ld.IsRelativeIri(iri) && !ld.IsKeyword(iri) && !ld.InvalidNode(ld.NewIRI(iri))
	if c.size.Load() < maxCachedIRIs {
		if _, loaded := c.entries.LoadOrStore(iri, ok); !loaded {
			c.size.Add(1)
		}
	}
	return ok
}
