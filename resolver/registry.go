package resolver

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/kakunin-dev/kakunin/did"
)

// Registry resolves DIDs of the methods registered with it and dereferences DID URLs.
// It is safe for concurrent use; the zero Registry is not usable, call New.
type Registry struct {
	mu      sync.RWMutex
	methods map[string]did.Resolver
	cfg     config
}

type config struct {
	cache   *Cache
	timeout time.Duration
	steps   []Step
}

// Option configures New.
type Option func(*config)

// WithCache makes the registry keep results in c. Without it nothing is cached.
func WithCache(c *Cache) Option { return func(cf *config) { cf.cache = c } }

// WithTimeout bounds each call to a method resolver (and each dereferencing) to d,
// on top of any deadline of the caller's context. Zero or negative means none.
func WithTimeout(d time.Duration) Option { return func(cf *config) { cf.timeout = d } }

// WithSteps replaces the resource steps that Dereference tries in order (default:
// DefaultSteps()). The fragment step always runs after them.
func WithSteps(steps ...Step) Option { return func(cf *config) { cf.steps = steps } }

// New returns an empty registry.
func New(opts ...Option) *Registry {
	r := &Registry{methods: map[string]did.Resolver{}}
	r.cfg.steps = DefaultSteps()
	for _, o := range opts {
		o(&r.cfg)
	}
	return r
}

// Register adds the resolver of a DID method ("key", "web", "kakunin", ...). Errors:
// ErrInvalidMethodName, ErrDuplicateMethod.
func (r *Registry) Register(method string, res did.Resolver) error {
	if d, err := did.Parse("did:" + method + ":x"); err != nil || d.Method != method || res == nil {
		return fmt.Errorf("%w: %q", ErrInvalidMethodName, method)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.methods[method]; ok {
		return fmt.Errorf("%w: %q", ErrDuplicateMethod, method)
	}
	r.methods[method] = res
	return nil
}

// Methods returns the registered method names, sorted.
func (r *Registry) Methods() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	names := make([]string, 0, len(r.methods))
	for m := range r.methods {
		names = append(names, m)
	}
	slices.Sort(names)
	return names
}

func (r *Registry) method(name string) (did.Resolver, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	res, ok := r.methods[name]
	return res, ok
}

// Invalidate drops every cached result of id, under any spelling whose canonicalId
// is id. The registry of a method calls it when the DID's state changes (a
// certificate revoked, a DID deactivated). It is a no-op without a cache.
func (r *Registry) Invalidate(id string) {
	if r.cfg.cache != nil {
		r.cfg.cache.Invalidate(id)
	}
}
