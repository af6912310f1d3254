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

// BenchmarkRendered measures the lookup of a kept rendering, the cached path of the
// HTTP binding.
func BenchmarkRendered(b *testing.B) {
	r := New(WithCache(NewCache(CacheConfig{MaxAge: time.Hour})))
	if err := r.Register("example", &fakeMethod{}); err != nil {
		b.Fatal(err)
	}
	opts := did.ResolutionOptions{Accept: did.MediaTypeDID}
	var c counter
	if _, _, err := r.ResolveRendered(b.Context(), exDID, opts, "v", c.render); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := r.Rendered(exDID, opts, "v"); !ok {
			b.Fatal("not kept")
		}
	}
}
