package dataintegrity

import (
	"sync"
	"sync/atomic"

	"github.com/piprate/json-gold/ld"
)

// maxCachedIRIs bounds the IRI validity cache.
const maxCachedIRIs = 1 << 14

var (
	validIRIs     sync.Map // string -> bool
	validIRICount atomic.Int64
)

// validIRI is the test json-gold applies before emitting an IRI, which the
// jsonld package also applies: absolute, not a keyword, and for http(s) IRIs
// a large regular expression, whose result is cached.
func validIRI(iri string) bool {
	if ok, seen := validIRIs.Load(iri); seen {
		return ok.(bool)
	}
	ok := !ld.IsRelativeIri(iri) && !ld.IsKeyword(iri) && !ld.InvalidNode(ld.NewIRI(iri))
	if validIRICount.Load() < maxCachedIRIs {
		if _, loaded := validIRIs.LoadOrStore(iri, ok); !loaded {
			validIRICount.Add(1)
		}
	}
	return ok
}
