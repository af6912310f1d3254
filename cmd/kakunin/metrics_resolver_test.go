package main

import (
	"context"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/resolver"
)

// fakeRegistry answers from a rendered cache holding did:key:cached, resolves
// did:key:* otherwise (rendering the answer) and knows no other DID.
type fakeRegistry struct{ registry }

func (fakeRegistry) Methods() []string { return []string{"key"} }

func (fakeRegistry) Rendered(id string, _ did.ResolutionOptions, _ string) (*resolver.Rendering, bool) {
	return &resolver.Rendering{}, id == "did:key:cached"
}

func (fakeRegistry) ResolveRendered(_ context.Context, id string, _ did.ResolutionOptions, _ string,
	render func(*did.ResolutionResult) (*resolver.Rendering, error)) (*resolver.Rendering, *did.ResolutionResult, error) {
	if d, err := did.Parse(id); err != nil || d.Method != "key" {
		return nil, nil, did.ErrMethodNotSupported
	}
	res := &did.ResolutionResult{}
	r, err := render(res)
	return r, res, err
}

func counterValue(t *testing.T, c prometheus.Counter) float64 {
	t.Helper()
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}

// TestMeteredResolver drives the HTTP binding's two calls (cache lookup, then
// resolution on a miss) and reads the counters.
func TestMeteredResolver(t *testing.T) {
	m := newResolverMetrics()
	r := m.wrap(fakeRegistry{})
	render := func(*did.ResolutionResult) (*resolver.Rendering, error) { return &resolver.Rendering{}, nil }
	for _, id := range []string{"did:key:cached", "did:key:cached", "did:key:z6Mk", "did:web:example.com", "not a DID"} {
		if _, ok := r.Rendered(id, did.ResolutionOptions{}, "result"); !ok {
			r.ResolveRendered(context.Background(), id, did.ResolutionOptions{}, "result", render)
		}
	}
	tests := []struct {
		name string
		got  float64
		want float64
	}{
		{"key ok", counterValue(t, m.results.WithLabelValues("key", "ok")), 3},
		{"other unsupported", counterValue(t, m.results.WithLabelValues("other", "METHOD_NOT_SUPPORTED")), 1},
		{"invalid", counterValue(t, m.results.WithLabelValues("invalid", "METHOD_NOT_SUPPORTED")), 1},
		{"hits", counterValue(t, m.cache.WithLabelValues("hit")), 2},
		{"misses", counterValue(t, m.cache.WithLabelValues("miss")), 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %v, want %v", tc.got, tc.want)
			}
		})
	}
}

// BenchmarkMeteredRenderedHit measures what metering adds to a cache hit of the
// HTTP binding, the resolver's hot path.
func BenchmarkMeteredRenderedHit(b *testing.B) {
	r := newResolverMetrics().wrap(fakeRegistry{})
	b.ReportAllocs()
	for b.Loop() {
		r.Rendered("did:key:cached", did.ResolutionOptions{}, "result")
	}
}
