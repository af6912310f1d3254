package main

import (
	"context"
	"errors"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/resolver"
	"github.com/kakunin-dev/kakunin/resolver/resolverhttp"
)

// resolverMetrics counts resolutions by DID method and outcome, and the answers
// of the HTTP binding's rendered cache.
type resolverMetrics struct {
	results *prometheus.CounterVec // method, outcome
	cache   *prometheus.CounterVec // result: hit, miss
	hit     prometheus.Counter
	miss    prometheus.Counter
}

func newResolverMetrics() *resolverMetrics {
	m := &resolverMetrics{
		results: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kakunin_resolutions_total",
			Help: "DID resolutions by method and outcome (ok or the DID Resolution error type, e.g. NOT_FOUND).",
		}, []string{"method", "outcome"}),
		cache: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kakunin_resolver_cache_total",
			Help: "Resolutions of the HTTP binding answered from the cache (hit) or resolved (miss).",
		}, []string{"result"}),
	}
	m.hit, m.miss = m.cache.WithLabelValues("hit"), m.cache.WithLabelValues("miss")
	return m
}

func (m *resolverMetrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{m.results, m.cache}
}

// registry is what the resolver's HTTP binding and the metering need of the
// service's *resolver.Registry: the binding keeps rendered answers only through a
// resolver with every rendering method, so the wrapper must pass each of them on.
type registry interface {
	resolverhttp.Resolver
	Rendered(id string, opts did.ResolutionOptions, view string) (*resolver.Rendering, bool)
	ResolveRendered(ctx context.Context, id string, opts did.ResolutionOptions, view string,
		render func(*did.ResolutionResult) (*resolver.Rendering, error)) (*resolver.Rendering, *did.ResolutionResult, error)
	DereferenceRendered(ctx context.Context, didURL string, opts resolver.DereferenceOptions, view string,
		render func(*did.DereferencingResult) (*resolver.Rendering, error)) (*resolver.Rendering, *did.DereferencingResult, error)
}

// meteredResolver wraps the registry served by the HTTP binding.
type meteredResolver struct {
	registry
	m     *resolverMetrics
	known map[string]bool // the methods registered when wrapped
}

// wrap meters r, whose methods are all registered by now.
func (m *resolverMetrics) wrap(r registry) *meteredResolver {
	known := map[string]bool{}
	for _, name := range r.Methods() {
		known[name] = true
	}
	return &meteredResolver{registry: r, m: m, known: known}
}

func (r *meteredResolver) Resolve(ctx context.Context, id string, opts did.ResolutionOptions) (*did.ResolutionResult, error) {
	res, err := r.registry.Resolve(ctx, id, opts)
	r.count(id, err)
	return res, err
}

// Rendered is a cache lookup: a hit is a resolution answered.
func (r *meteredResolver) Rendered(id string, opts did.ResolutionOptions, view string) (*resolver.Rendering, bool) {
	out, ok := r.registry.Rendered(id, opts, view)
	if ok {
		r.count(id, nil)
		r.m.hit.Inc()
	}
	return out, ok
}

// ResolveRendered resolves: it is a miss when it had to render the answer.
func (r *meteredResolver) ResolveRendered(ctx context.Context, id string, opts did.ResolutionOptions, view string,
	render func(*did.ResolutionResult) (*resolver.Rendering, error)) (*resolver.Rendering, *did.ResolutionResult, error) {
	rendered := false
	out, res, err := r.registry.ResolveRendered(ctx, id, opts, view, func(res *did.ResolutionResult) (*resolver.Rendering, error) {
		rendered = true
		return render(res)
	})
	r.count(id, err)
	if rendered || err != nil {
		r.m.miss.Inc()
	} else {
		r.m.hit.Inc()
	}
	return out, res, err
}

// count records one resolution. The method label is a registered method,
// "other" or "invalid", so its values stay bounded.
func (r *meteredResolver) count(id string, err error) {
	method := "invalid"
	if d, perr := did.Parse(id); perr == nil {
		method = "other"
		if r.known[d.Method] {
			method = d.Method
		}
	}
	r.m.results.WithLabelValues(method, outcome(err)).Inc()
}

// outcome names a resolution's result: ok, or the name of its error's kind.
func outcome(err error) string {
	if err == nil {
		return "ok"
	}
	var kind *did.ErrorKind
	if errors.As(err, &kind) {
		return kind.Name()
	}
	return did.ErrInternal.Name()
}
