package resolver

import (
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/did"
)

// BenchmarkResolveCached measures a cache hit: lookup, copy and rendering.
func BenchmarkResolveCached(b *testing.B) {
	r := New(WithCache(NewCache(CacheConfig{MaxAge: time.Hour})))
	if err := r.Register("example", &fakeMethod{}); err != nil {
		b.Fatal(err)
	}
	opts := did.ResolutionOptions{Accept: did.MediaTypeDID}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Resolve(b.Context(), exDID, opts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDereferenceFragment measures dereferencing a verification method.
func BenchmarkDereferenceFragment(b *testing.B) {
	r := New(WithCache(NewCache(CacheConfig{MaxAge: time.Hour})))
	if err := r.Register("example", &fakeMethod{}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Dereference(b.Context(), exDID+"#key-2", DereferenceOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
